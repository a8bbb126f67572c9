"""The engine stays pure: plain values in and out, no framework or storage imports."""

import ast
from pathlib import Path

import diaspora.matching

PACKAGE = Path(diaspora.matching.__file__).parent
FORBIDDEN = ("flask", "sqlalchemy", "diaspora")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_matching_package_imports_no_framework_storage_or_taxonomy():
    offenders = {
        f"{path.name}: {name}"
        for path in PACKAGE.glob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders, offenders


def test_import_scan_sees_the_package_modules():
    assert len(list(PACKAGE.glob("*.py"))) >= 8
    assert "numpy" in imported_modules(PACKAGE / "index.py")


def test_the_engine_loads_without_flask_or_sqlalchemy():
    """Importing the engine, through its parent package, pulls in no web or database layer."""
    import subprocess
    import sys

    code = (
        "import sys, diaspora.matching, diaspora.taxonomy, diaspora.interchange; "
        "bad = [m for m in ('flask', 'sqlalchemy', 'diaspora.models') if m in sys.modules]; "
        "sys.exit(', '.join(bad) or None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
