"""Loading, labels, hierarchy, curated data, autocomplete, and the no-Flask rule."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from diaspora.taxonomy import Completion, Taxonomy, get_taxonomy
from diaspora.taxonomy.build import CURATED_PATH

PACKAGE = Path(__file__).resolve().parents[2] / "diaspora" / "taxonomy"
STATISTICS = "7ee4c2ea-b349-4bd2-81a3-ec31475d4833"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return get_taxonomy()


def test_loads_every_esco_concept_and_ours(tax):
    ids = tax.concept_ids
    assert len(ids) > 13_400
    assert len(set(ids)) == len(ids)
    assert get_taxonomy() is tax  # loaded once per process


def test_concept_fields(tax):
    concept = tax.get(STATISTICS)
    assert concept.labels["en"] == "statistics"
    assert concept.labels["fr"] == "statistiques"
    assert concept.labels["ar"] == "الإحصاء"
    assert "data analysis" not in concept.aliases and concept.alt_labels["en"]
    assert concept.skill_type == "knowledge" and concept.source == "esco"
    assert tax.get("no-such-id") is None


def test_labels_per_language_with_fallback(tax):
    assert tax.label(STATISTICS, "en") == "statistics"
    assert tax.label(STATISTICS, "fr") == "statistiques"
    assert tax.label(STATISTICS, "ar") == "الإحصاء"
    no_arabic = next(c for c in tax.concepts if "ar" not in c.labels and "fr" in c.labels)
    assert tax.label(no_arabic.id, "ar") == no_arabic.labels["fr"]
    no_french = next(c for c in tax.concepts if "fr" not in c.labels)
    assert tax.label(no_french.id, "fr") == no_french.labels["en"]


def test_hierarchy_paths_and_group_names(tax):
    assert tax.paths(STATISTICS) == (("K", "K05", "K054", "K0542"),)
    assert tax.group_name("K0542") == "statistics"
    assert tax.group_name("S") == "skills"
    for concept in tax.concepts:
        for path in concept.paths:
            assert all(tax.group_name(code) != code for code in path), concept.id


def test_every_curated_entry_resolves_to_its_concept(tax):
    curated = json.loads(CURATED_PATH.read_text(encoding="utf-8"))
    for entry in curated["labels"]:
        concept = tax.get(entry["id"])
        assert concept is not None and concept.labels["en"] == entry["esco"]
        for arabic in entry.get("ar", []):
            assert (
                tax.normaliser.normalise_many([arabic], semantic=False)[0].concept_id == entry["id"]
            )
    arabic_concepts = sum("ar" in c.labels for c in tax.concepts)
    assert arabic_concepts >= 80
    assert all(c["id"].startswith("diaspora:") for c in curated["concepts"])


@pytest.mark.parametrize(
    ("query", "lang", "expected_label"),
    [
        ("vision par", "fr", "vision par ordinateur"),
        ("statis", "en", "statistics"),
        ("statist", "fr", "statistiques"),
        ("الإحص", "ar", "الإحصاء"),
        ("تعلم", "ar", "تعلم الآلة"),
        ("ordinateur", "fr", "vision par ordinateur"),  # a later word of the label
    ],
)
def test_autocomplete_in_each_language(tax, query, lang, expected_label):
    suggestions = tax.suggest(query, lang=lang, limit=10)
    assert all(isinstance(s, Completion) for s in suggestions)
    assert expected_label in [s.label for s in suggestions]


def test_autocomplete_labels_are_in_the_asked_language(tax):
    [first] = tax.suggest("statistics", lang="fr", limit=1)
    assert (first.concept_id, first.label, first.matched) == (
        STATISTICS,
        "statistiques",
        "statistics",
    )


def test_autocomplete_answers_every_kind_of_prefix_within_the_limit(tax):
    # Its speed is printed by bench/taxonomy.py and bench/autocomplete.py, not asserted here.
    for query in ["a", "ma", "mach", "gestion de", "python", "تعل", "data", "s", "zzzz"]:
        found = tax.suggest(query, "fr", 10)
        assert len(found) <= 10
        assert all(s.concept_id and s.label for s in found)
    assert tax.suggest("mach", "fr", 10)


def test_taxonomy_package_imports_nothing_from_flask_or_the_database():
    banned = ("flask", "sqlalchemy", "diaspora.models", "werkzeug")
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.startswith(banned), f"{path.name} imports {name}"


def test_taxonomy_runs_without_flask_loaded():
    # diaspora/__init__.py builds the Flask app; load our package as if it were standalone.
    code = (
        "import sys, types; pkg = types.ModuleType('diaspora'); "
        f"pkg.__path__ = [{str(PACKAGE.parent)!r}]; sys.modules['diaspora'] = pkg; "
        "from diaspora.taxonomy import get_taxonomy; "
        "assert get_taxonomy().normaliser.normalise_many(['ML'], semantic=False)[0].concept_id; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_shipped_data_is_what_the_build_command_produces(tmp_path):
    from diaspora.taxonomy.build import DATA_FILENAME, DEFAULT_ESCO_DIR, build

    if not (DEFAULT_ESCO_DIR / "skills_en.csv.gz").exists():
        pytest.skip("ESCO export not available")
    built = build(DEFAULT_ESCO_DIR, tmp_path)
    shipped = PACKAGE / "data" / DATA_FILENAME
    assert built.read_bytes() == shipped.read_bytes(), "run: python -m diaspora.taxonomy.build"
