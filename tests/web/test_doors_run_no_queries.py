"""Routes, forms and template helpers ask services; they never query the database themselves
(no `db.session`, no `select(...)`, no `Model.query`, no SQLAlchemy at all), so that every
query has one home, with its permission check and its eager loading, in diaspora/services/."""

import ast
from pathlib import Path

import diaspora

ROOT = Path(diaspora.__file__).parent
# The doors: one package per area of pages, the JSON API, and what every template may call.
DOOR_PACKAGES = (
    "admin",
    "api",
    "auth",
    "experts",
    "invitations",
    "main",
    "projects",
    "review",
    "search",
)
DOOR_MODULES = ("template_helpers.py", "forms_support.py", "i18n.py")


def door_files() -> list[Path]:
    files = [path for package in DOOR_PACKAGES for path in (ROOT / package).rglob("*.py")]
    return sorted(files + [ROOT / name for name in DOOR_MODULES])


def queries_in(path: Path) -> list[str]:
    """Each place in the module that reaches the database without a service, as `line: what`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        what = None
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "sqlalchemy" for alias in node.names
        ):
            what = "imports sqlalchemy"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            what = "imports from sqlalchemy"
        elif isinstance(node, ast.ImportFrom) and any(alias.name == "db" for alias in node.names):
            what = "imports the database handle"
        elif isinstance(node, ast.Attribute) and node.attr == "query":
            what = ".query"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "session"
            and isinstance(node.value, ast.Name)
            and node.value.id == "db"
        ):
            what = "db.session"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "select":
            what = "select(...)"
        if what:
            found.append(f"{node.lineno}: {what}")
    return found


def test_the_scan_sees_every_door_package():
    assert all((ROOT / package / "__init__.py").exists() for package in DOOR_PACKAGES)
    assert any(path.name == "routes.py" for path in door_files())


def test_no_route_form_or_template_helper_queries_the_database():
    offending = {
        str(path.relative_to(ROOT)): found for path in door_files() if (found := queries_in(path))
    }
    assert not offending
