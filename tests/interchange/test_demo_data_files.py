"""The demo tables are data files: readable, shipped with the package, consistent with each
other, and the generator draws the same valid records from them for a seed."""

import fnmatch
import hashlib
import importlib.resources
import json
import re
import tomllib
from pathlib import Path

import pytest

from diaspora.demo.generate import SKILL_NAMES, demo_experts, demo_institutions, demo_projects
from diaspora.interchange import parse_expert, parse_project
from diaspora.vocabulary import LANGUAGES, PROJECT_MODES, SECTORS

DATA = importlib.resources.files("diaspora.demo") / "data"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def _table(kind):
    return json.loads((DATA / f"{kind}.json").read_text(encoding="utf-8"))


def _digest(records):
    text = json.dumps(records, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_data_files_are_json_that_explains_itself_with_arabic_written_as_text():
    files = [f for f in DATA.iterdir() if f.name.endswith(".json")]
    assert {f.name for f in files} >= {"skills.json", "people.json", "projects.json"}
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert json.loads(text)["about"], file.name
        assert not re.search(r"\\u0[67]", text), f"{file.name}: Arabic escaped"
    assert ARABIC.search((DATA / "people.json").read_text(encoding="utf-8"))


def test_data_files_are_listed_in_the_package_data():
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]
    for file in DATA.iterdir():
        path = f"demo/data/{file.name}"
        assert any(fnmatch.fnmatch(path, p) for p in patterns["diaspora"]), path


def test_every_name_the_tables_refer_to_exists():
    """An edit that misspells a concept, sector or institution would otherwise break only the
    seeds that happen to draw it."""
    archetypes = _table("archetypes")["archetypes"]
    projects = _table("projects")["projects"]
    institutions = {i["name"] for i in _table("institutions")["institutions"]}
    concepts = {"project_mgmt"}  # every expert may add project management
    for archetype in archetypes:
        concepts |= {*archetype["core"], *archetype["extra"]}
        assert set(archetype["sectors"]) <= set(SECTORS)
        assert len(archetype["core"]) >= 4  # an expert draws at least four core skills
    for project in projects:
        concepts |= {*project["required"], *project["nice_to_have"]}
        assert project["institution"] in institutions, project["title"]
        assert project["sector"] in SECTORS and project["mode"] in PROJECT_MODES
        assert set(project["languages"]) <= set(LANGUAGES)
    assert concepts <= set(SKILL_NAMES)
    cities = _table("places")["cities"]
    assert {c["local_language"] for c in cities} - {None} <= set(LANGUAGES)


def test_every_name_has_an_arabic_spelling():
    people = _table("people")
    for group in (*people["given_names"].values(), *people["family_names"].values()):
        for latin, arabic in group.items():
            assert latin.isascii() and ARABIC.search(arabic), latin


def test_demo_records_come_in_arabic_too():
    experts = demo_experts()
    assert any(ARABIC.search(e["full_name"]) for e in experts)
    assert any(ARABIC.search(e["bio"]) and ARABIC.search(e["headline"]) for e in experts)
    assert any(ARABIC.search(s["name"]) for e in experts for s in e["skills"])
    assert any(ARABIC.search(p["title"]) for p in demo_projects())
    assert all(e["email"].isascii() for e in experts)


@pytest.mark.parametrize("seed", [1, 99])
def test_any_seed_gives_valid_records_with_unique_refs(seed):
    experts = [parse_expert(obj) for obj in demo_experts(n=150, seed=seed)]
    projects = [parse_project(obj) for obj in demo_projects(n=70, seed=seed)]
    assert len({e.ref for e in experts}) == 150 and len({e.email for e in experts}) == 150
    assert len({p.ref for p in projects}) == 70
    assert demo_experts(n=150, seed=seed) == demo_experts(n=150, seed=seed)


def test_callers_get_copies_they_may_change():
    demo_institutions()[0]["name"] = "changed"
    demo_projects(n=1)[0]["languages"].append("changed")
    assert demo_institutions()[0]["name"] != "changed"
    assert "changed" not in demo_projects(n=1)[0]["languages"]


def test_the_demo_is_the_one_generated_before_the_tables_became_files():
    """Benchmarks run on this demo and people try the platform with it: a change to it must be
    deliberate (then update these digests)."""
    assert _digest(demo_experts()) == (
        "15e8463d203e63a393abb7b601e87986e925ff9679f76c4abe78ab391e54be77"
    )
    assert _digest(demo_experts(n=40, seed=1)) == (
        "4de620b27e2610040fef969624d67d4c0659ec9119ed5d7a3c8f7ce8b1a56aeb"
    )
    assert _digest(demo_institutions()) == (
        "edae5496b9b6d8670537fd6dc49f03f2d6d828532d58e1c4e8725135d8638768"
    )
    assert _digest(demo_projects(n=60)) == (
        "46560cf8aa577669e6534c96174d91634896fc49888ed128a85ede1086d2411e"
    )
