"""Hard constraints: a candidate failing one is never suggested; each is reported."""

from datetime import date

import pytest
from conftest import TODAY

from diaspora.matching import Index


def ranked_refs(candidates, project):
    return [s.ref for s in Index.build(candidates).rank(project, 50, today=TODAY)]


def test_expert_without_consent_is_never_suggested(make_candidate, make_project):
    refs = ranked_refs([make_candidate(1), make_candidate(2, consent=False)], make_project())
    assert refs == ["E-0001"]


@pytest.mark.parametrize(
    ("languages", "passes"),
    [
        ({"fr": "B2"}, True),
        ({"fr": "c2"}, True),
        ({"fr": "native"}, True),
        ({"fr": "B1"}, False),
        ({"en": "C2"}, False),
        ({}, False),
    ],
)
def test_a_project_language_at_b2_or_better_is_required(
    make_candidate, make_project, languages, passes
):
    refs = ranked_refs([make_candidate(1, languages=languages)], make_project(languages=("fr",)))
    assert (refs == ["E-0001"]) is passes


def test_one_of_several_project_languages_is_enough(make_candidate, make_project):
    c = make_candidate(1, languages={"en": "C1"})
    assert ranked_refs([c], make_project(languages=("fr", "en")))
    suggestion = Index.build([c]).rank(make_project(languages=("fr", "en")), 1, today=TODAY)[0]
    assert suggestion.explanation["constraints"]["language_used"] == "en"


def test_project_without_languages_has_no_language_constraint(make_candidate, make_project):
    assert ranked_refs([make_candidate(1, languages={})], make_project(languages=()))


@pytest.mark.parametrize(
    ("modes", "project_mode", "passes"),
    [
        ({"remote"}, "remote", True),
        ({"short_mission"}, "remote", False),
        ({"remote", "short_mission"}, "hybrid", True),
        ({"remote"}, "hybrid", False),
        ({"short_mission"}, "hybrid", False),
        ({"long_term"}, "long_term", True),
        ({"remote", "short_mission"}, "long_term", False),
    ],
)
def test_mode_compatibility(make_candidate, make_project, modes, project_mode, passes):
    c = make_candidate(1, modes=frozenset(modes))
    assert bool(ranked_refs([c], make_project(mode=project_mode))) is passes


def test_declined_or_invited_expert_is_never_suggested_again(make_candidate, make_project):
    project = make_project(excluded=frozenset({2}))
    assert ranked_refs([make_candidate(1), make_candidate(2)], project) == ["E-0001"]


@pytest.mark.parametrize(
    ("confirmed_at", "passes"),
    [
        (date(2025, 6, 1), True),  # exactly twelve months before TODAY
        (date(2025, 5, 31), False),
        (date(2026, 5, 1), True),
        (None, False),
    ],
)
def test_profile_must_be_confirmed_within_twelve_months(
    make_candidate, make_project, confirmed_at, passes
):
    c = make_candidate(1, confirmed_at=confirmed_at)
    assert bool(ranked_refs([c], make_project())) is passes


def test_confirmation_cutoff_on_29_february(make_candidate, make_project):
    index = Index.build([make_candidate(1, confirmed_at=date(2023, 2, 28))])
    assert index.rank(make_project(), 1, today=date(2024, 2, 29))


def test_filter_counts_report_each_constraint_in_turn(make_candidate, make_project):
    candidates = [
        make_candidate(1),
        make_candidate(2, consent=False),
        make_candidate(3, confirmed_at=None),
        make_candidate(4, languages={"en": "C2"}),
        make_candidate(5, modes=frozenset({"long_term"})),
        make_candidate(6, hours_per_month=1),
        make_candidate(7, available_from=date(2026, 9, 1)),
        make_candidate(8),
    ]
    project = make_project(excluded=frozenset({8}), starts_on=date(2026, 7, 1))
    counts = Index.build(candidates).filter_counts(project, TODAY)
    assert counts == {
        "indexed": 8,
        "consent": 7,
        "recently_confirmed": 6,
        "language": 5,
        "mode": 4,
        "capacity": 3,
        "start_date": 2,
        "not_excluded": 1,
    }


def test_hand_added_expert_is_explained_with_failed_constraints(make_candidate, make_project):
    index = Index.build([make_candidate(1, consent=False)])
    suggestion = index.explain(make_project(), 1, TODAY)
    assert suggestion.explanation["constraints"]["consent"] is False
    assert 0 < suggestion.score <= 1
