"""Validation of single expert and project objects: what is accepted, normalised, and refused."""

import copy
from datetime import UTC, date, datetime

import pytest

from diaspora.interchange import (
    LanguageLevel,
    ProjectSkillRecord,
    RecordError,
    parse_expert,
    parse_project,
    read_records,
)
from tests.conftest import DEV_SET as DEV  # noqa: E402

EXPERT = {
    "ref": "E-000123",
    "full_name": "Salma Bennani",
    "email": "salma.bennani@example.org",
    "residence": {"country": "AE", "city": "Dubai", "timezone": "Asia/Dubai"},
    "languages": [{"code": "ar", "level": "C2"}, {"code": "fr", "level": "C1"}],
    "skills": [
        {"name": "machine learning", "level": 4},
        {"name": "vision par ordinateur", "level": 3},
    ],
    "sectors": ["health", "agriculture"],
    "modes": ["remote", "short_mission"],
    "hours_per_month": 10,
    "bio": "Free text, any language.",
    "consent_matching": True,
}

PROJECT = {
    "ref": "P-0042",
    "institution": "Ministère de la Santé et de la Protection sociale",
    "title": "Détection précoce de la rétinopathie diabétique",
    "description": "Free text, any language.",
    "sector": "health",
    "skills": [
        {"name": "computer vision", "level": 3, "required": True},
        {"name": "python", "level": 2, "required": False},
    ],
    "languages": ["fr"],
    "mode": "remote",
    "location": "Rabat",
    "hours_per_month": 8,
    "seats": 2,
    "starts_on": "2027-01-15",
    "duration_months": 6,
}


def expert(**changes):
    obj = copy.deepcopy(EXPERT)
    obj.update(changes)
    return obj


def project(**changes):
    obj = copy.deepcopy(PROJECT)
    obj.update(changes)
    return obj


def reasons_for(parse, obj):
    with pytest.raises(RecordError) as caught:
        parse(obj)
    return caught.value.reasons


@pytest.mark.parametrize("kind, count", [("experts", 413), ("projects", 54)])
def test_the_dev_files_parse_without_a_single_error(kind, count):
    results = list(read_records(DEV / f"{kind}.jsonl", kind))
    errors = [(line, r.reasons) for line, r in results if isinstance(r, RecordError)]
    assert errors == []
    assert len(results) == count
    assert [line for line, _ in results] == list(range(1, count + 1))


def test_the_example_expert_of_the_format_is_accepted():
    record = parse_expert(EXPERT)
    assert record.ref == "E-000123"
    assert record.residence.timezone == "Asia/Dubai"
    assert record.languages == (LanguageLevel("ar", "C2"), LanguageLevel("fr", "C1"))
    assert record.skills[1].name == "vision par ordinateur"
    assert record.sectors == ("health", "agriculture")
    assert record.headline is None and record.confirmed_at is None


def test_the_example_project_of_the_format_is_accepted():
    record = parse_project(PROJECT)
    assert record.skills == (
        ProjectSkillRecord("computer vision", 3, True),
        ProjectSkillRecord("python", 2, False),
    )
    assert record.starts_on == date(2027, 1, 15)
    assert record.languages == ("fr",)


def test_codes_and_whitespace_are_normalised():
    record = parse_expert(
        expert(
            ref="  E-1 ",
            full_name="  Salma   Bennani ",
            residence={"country": "fr", "city": " Lyon "},
            languages=[{"code": "FR", "level": "c1"}, {"code": "Ary", "level": "NATIVE"}],
            sectors=["Health", "health"],
            modes=["REMOTE"],
        )
    )
    assert record.ref == "E-1"
    assert record.full_name == "Salma Bennani"
    assert (record.residence.country, record.residence.city) == ("FR", "Lyon")
    assert record.languages == (LanguageLevel("fr", "C1"), LanguageLevel("ary", "native"))
    assert record.sectors == ("health",)
    assert record.modes == ("remote",)


def test_missing_timezone_is_derived_and_ambiguous_one_left_empty():
    derived = parse_expert(expert(residence={"country": "CA", "city": "Montréal"}))
    assert derived.residence.timezone == "America/Toronto"
    ambiguous = parse_expert(expert(residence={"country": "US", "city": "Springfield"}))
    assert ambiguous.residence.timezone is None


def test_a_given_timezone_wins_over_the_derived_one():
    record = parse_expert(expert(residence={"country": "US", "city": "Boston", "timezone": "UTC"}))
    assert record.residence.timezone == "UTC"


def test_a_repeated_skill_or_language_is_kept_once_at_the_highest_level():
    record = parse_expert(
        expert(
            skills=[{"name": "Python", "level": 2}, {"name": "python", "level": 4}],
            languages=[{"code": "fr", "level": "B2"}, {"code": "fr", "level": "C1"}],
        )
    )
    assert [(s.name, s.level) for s in record.skills] == [("Python", 4)]
    assert record.languages == (LanguageLevel("fr", "C1"),)


def test_optional_expert_fields_are_read():
    record = parse_expert(
        expert(
            headline="ML engineer",
            linkedin="linkedin.com/in/salma",
            years_experience=12,
            available_from="2027-03-01",
            confirmed_at="2026-05-01T10:00:00+02:00",
        )
    )
    assert record.linkedin == "https://linkedin.com/in/salma"
    assert record.years_experience == 12
    assert record.available_from == date(2027, 3, 1)
    assert record.confirmed_at == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def test_unknown_keys_are_ignored_so_other_tools_can_extend_the_format():
    assert parse_expert(expert(phone="+971 50 000 0000")).ref == "E-000123"


def test_project_skill_is_required_unless_said_otherwise():
    record = parse_project(project(skills=[{"name": "NLP", "level": 3}]))
    assert record.skills == (ProjectSkillRecord("NLP", 3, True),)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ref": ""}, "ref must not be empty"),
        ({"ref": "E 1"}, "ref 'E 1' must be at most 64 letters"),
        ({"full_name": 42}, "full_name must be a string (got 42)"),
        ({"email": "salma.example.org"}, "email 'salma.example.org' is not a valid email"),
        (
            {"residence": {"country": "XX", "city": "Paris"}},
            "residence.country 'XX' is not an ISO 3166-1 alpha-2 code",
        ),
        (
            {"residence": {"country": "FR", "timezone": "Europe/Lyon"}},
            "residence.timezone 'Europe/Lyon' is not an IANA time zone name",
        ),
        ({"residence": "Paris"}, "residence must be an object with country, city and timezone"),
        ({"residence": {"city": "Paris"}}, "residence.country is missing"),
        (
            {"languages": [{"code": "fr", "level": "D1"}]},
            "languages[0].level 'D1' is not a CEFR level (A1, A2, B1, B2, C1, C2 or native)",
        ),
        (
            {"languages": [{"code": "xx", "level": "C1"}]},
            "languages[0].code 'xx' is not a language",
        ),
        ({"languages": [{"code": "fr"}]}, "languages[0].level is missing"),
        ({"languages": "fr"}, "languages must be a list (got 'fr')"),
        (
            {
                "skills": [
                    {"name": "a", "level": 1},
                    {"name": "b", "level": 2},
                    {"name": "c", "level": 6},
                ]
            },
            "skills[2].level must be an integer from 1 to 5 (got 6)",
        ),
        (
            {"skills": [{"name": "a", "level": "3"}]},
            "skills[0].level must be an integer from 1 to 5",
        ),
        (
            {"skills": [{"name": "a", "level": True}]},
            "skills[0].level must be an integer from 1 to 5",
        ),
        ({"skills": [{"name": " ", "level": 3}]}, "skills[0].name must not be empty"),
        ({"skills": ["python"]}, "skills[0] must be an object with name and level (got 'python')"),
        ({"sectors": ["sante"]}, "sectors[0] 'sante' is not a sector (health, education"),
        ({"modes": ["hybrid"]}, "modes[0] 'hybrid' is not an expert mode (remote, short_mission"),
        ({"hours_per_month": -5}, "hours_per_month must be an integer from 0 to 160 (got -5)"),
        ({"hours_per_month": 7.5}, "hours_per_month must be an integer from 0 to 160 (got 7.5)"),
        ({"consent_matching": "yes"}, "consent_matching must be true or false (got 'yes')"),
        ({"consent_matching": None}, "consent_matching is missing"),
        ({"available_from": "2027-02-30"}, "available_from '2027-02-30' is not a date in the form"),
        ({"available_from": "01/03/2027"}, "available_from '01/03/2027' is not a date in the form"),
        ({"confirmed_at": "yesterday"}, "confirmed_at 'yesterday' is not an ISO 8601 date"),
        ({"linkedin": "https://example.org/salma"}, "linkedin 'https://example.org/salma' is not"),
        ({"years_experience": 120}, "years_experience must be an integer from 0 to 70"),
        ({"bio": "a\x00b"}, "bio must not contain control characters"),
    ],
)
def test_each_expert_error_names_the_field(changes, message):
    reasons = reasons_for(parse_expert, expert(**changes))
    assert any(reason.startswith(message) for reason in reasons), reasons


@pytest.mark.parametrize(
    "key",
    [
        "ref",
        "full_name",
        "email",
        "residence",
        "languages",
        "skills",
        "sectors",
        "modes",
        "hours_per_month",
        "consent_matching",
    ],
)
def test_a_missing_required_expert_field_is_reported(key):
    obj = expert()
    del obj[key]
    assert f"{key} is missing" in reasons_for(parse_expert, obj)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ref": None}, "ref is missing"),
        ({"sector": "space"}, "sector 'space' is not a sector"),
        ({"mode": "onsite"}, "mode 'onsite' is not a project mode (remote, short_mission, "),
        ({"skills": []}, "skills must list at least one skill"),
        (
            {"skills": [{"name": "NLP", "level": 3, "required": "yes"}]},
            "skills[0].required must be true or false (got 'yes')",
        ),
        ({"languages": ["fr", "klingon"]}, "languages[1] 'klingon' is not a language code"),
        ({"hours_per_month": 0}, "hours_per_month must be an integer from 1 to 160 (got 0)"),
        ({"seats": 0}, "seats must be an integer from 1 to 50 (got 0)"),
        (
            {"starts_on": "2027-15-01"},
            "starts_on '2027-15-01' is not a date in the form YYYY-MM-DD",
        ),
        ({"duration_months": -1}, "duration_months must be an integer from 1 to 60"),
        ({"title": ""}, "title must not be empty"),
    ],
)
def test_each_project_error_names_the_field(changes, message):
    reasons = reasons_for(parse_project, project(**changes))
    assert any(reason.startswith(message) for reason in reasons), reasons


def test_every_problem_of_a_record_is_reported_at_once():
    with pytest.raises(RecordError) as caught:
        parse_expert(expert(email="nope", hours_per_month=-1, sectors=["space"]))
    assert len(caught.value.reasons) == 3
    assert caught.value.ref == "E-000123"


def test_a_record_that_is_not_an_object_is_refused():
    assert reasons_for(parse_project, ["P-1"]) == ["a record must be a JSON object (got a list)"]
