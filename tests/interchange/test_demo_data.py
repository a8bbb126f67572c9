"""The demo data: deterministic, valid interchange records, and matchable."""

from collections import Counter

from diaspora import geo
from diaspora.demo.generate import SKILL_NAMES, demo_experts, demo_institutions, demo_projects
from diaspora.interchange import parse_expert, parse_project
from diaspora.vocabulary import cefr_at_least


def _concept_of():
    return {name.casefold(): concept for concept, names in SKILL_NAMES.items() for name in names}


def test_demo_data_is_the_same_for_the_same_seed_and_differs_for_another():
    assert demo_experts() == demo_experts()
    assert demo_projects() == demo_projects()
    assert demo_experts(n=20, seed=1) != demo_experts(n=20, seed=2)


def test_every_demo_expert_and_project_parses():
    experts = [parse_expert(obj) for obj in demo_experts()]
    projects = [parse_project(obj) for obj in demo_projects(n=60)]
    assert len(experts) == 320 and len(projects) == 60
    assert len({e.ref for e in experts}) == 320 and len({e.email for e in experts}) == 320
    assert len({p.ref for p in projects}) == 60


def test_demo_experts_live_where_the_diaspora_lives_with_the_right_time_zone():
    experts = [parse_expert(obj) for obj in demo_experts()]
    for expert in experts:
        residence = expert.residence
        assert residence.timezone == geo.derive_timezone(residence.country, residence.city)
        assert residence.timezone is not None
    countries = Counter(e.residence.country for e in experts)
    assert {"FR", "CA", "US", "AE", "BE", "ES"} <= set(countries)


def test_about_three_percent_of_demo_experts_refuse_matching():
    refusals = sum(not e["consent_matching"] for e in demo_experts())
    assert 3 <= refusals <= 20


def test_skill_names_name_one_concept_each():
    owners: dict[str, set[str]] = {}
    for concept, names in SKILL_NAMES.items():
        for name in names:
            owners.setdefault(name.casefold(), set()).add(concept)
    assert [name for name, concepts in owners.items() if len(concepts) > 1] == []


def test_every_demo_project_has_experts_who_could_take_it():
    """Hard constraints met and at least half the required skills: the engine has material."""
    concept = _concept_of()
    experts = [parse_expert(obj) for obj in demo_experts()]
    for project in (parse_project(obj) for obj in demo_projects()):
        required = {concept[s.name.casefold()] for s in project.skills if s.required}
        candidates = 0
        for expert in experts:
            speaks = not project.languages or any(
                lang.code in project.languages and cefr_at_least(lang.level, "B2")
                for lang in expert.languages
            )
            wanted = {"remote", "short_mission"} if project.mode == "hybrid" else {project.mode}
            has = {concept[s.name.casefold()] for s in expert.skills}
            if (
                expert.consent_matching
                and speaks
                and wanted <= set(expert.modes)
                and len(required & has) * 2 >= len(required)
            ):
                candidates += 1
        assert candidates >= 2 * project.seats, project.title


def test_demo_projects_belong_to_demo_institutions():
    institutions = demo_institutions()
    names = {i["name"] for i in institutions}
    assert {p["institution"] for p in demo_projects(n=40)} <= names
    assert {i["kind"] for i in institutions} == {
        "ministry",
        "university",
        "agency",
        "public_company",
    }
    assert all("." in i["email_domain"] and " " not in i["email_domain"] for i in institutions)
