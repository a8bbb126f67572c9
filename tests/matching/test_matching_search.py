"""Searching the index: the same scores as a project's ranking, kept to filters, with counts
per filter value; nobody found who withheld consent, is not listed or is stale, and nothing
found by a section a candidate hides."""

from dataclasses import replace
from datetime import date

import pytest
from conftest import TODAY, build_candidate, build_project
from test_matching_index import PATHS, population

from diaspora.matching import Index, SkillSpace
from diaspora.matching.search import SearchFilters

SPACE = SkillSpace(paths=PATHS)
EVERYONE = build_project(required=(), languages=(), sector=None, hours_per_month=None)


def ids(hits):
    return [candidate_id for candidate_id, _score in hits.ranked]


def test_a_search_scores_as_the_ranking_of_the_same_need():
    people = population()
    index = Index.build(people, skill_space=SPACE)
    # A margin of 100 %: nobody is held back by hours (a search does not hold anyone back).
    need = build_project(required=(("s1", 3), ("s4", 2)), languages=(), hours_margin=1.0)
    ranked = index.rank(need, 10, today=TODAY)
    hits = index.search(need, SearchFilters(), TODAY, limit=10)
    assert [round(s, 9) for _i, s in hits.ranked] == [round(r.score, 9) for r in ranked]
    assert hits.total >= len(ranked) == 10


def test_only_candidates_meeting_some_skill_are_hits_best_first():
    people = [
        build_candidate(1, skills=(("s1", 5),)),
        build_candidate(2, skills=(("s1", 2),)),
        build_candidate(3, skills=(("s9", 5),)),
    ]
    index = Index.build(people, skill_space=SkillSpace())
    hits = index.search(build_project(required=(("s1", 3),)), SearchFilters(), TODAY)
    assert ids(hits) == [1, 2] and hits.total == 2


@pytest.mark.parametrize(
    "change",
    [
        {"consent": False},
        {"listed": False},
        {"confirmed_at": date(2024, 1, 1)},
        {"confirmed_at": None},
    ],
)
def test_nobody_who_withheld_consent_is_unlisted_or_stale_is_found_or_counted(change):
    people = [build_candidate(1), build_candidate(2, **change)]
    index = Index.build(people, skill_space=SkillSpace())
    hits = index.search(EVERYONE, SearchFilters(), TODAY)
    assert ids(hits) == [1]
    assert hits.facets.countries == {"FR": 1}
    assert hits.facets.modes["remote"] == 1


def test_filters_combine_and_page():
    people = [
        build_candidate(1, country="FR", city="paris", modes=frozenset({"remote"})),
        build_candidate(2, country="FR", city="lyon", languages={"ar": "B1"}),
        build_candidate(3, country="CA", city="montreal", sectors=frozenset({"water"})),
        build_candidate(4, country="CA", hours_per_month=40, available_from=date(2026, 9, 1)),
    ]
    index = Index.build(people, skill_space=SkillSpace())

    def found(**filters):
        return sorted(ids(index.search(EVERYONE, SearchFilters(**filters), TODAY)))

    assert found(countries=frozenset({"FR"})) == [1, 2]
    assert found(countries=frozenset({"FR", "CA"}), city="lyon") == [2]
    assert found(modes=frozenset({"remote", "short_mission"})) == [2, 3, 4]
    assert found(sectors=frozenset({"water", "energy"})) == [3]
    assert found(languages=(("fr", 4),)) == [1, 3, 4]  # C1 or better
    assert found(languages=(("ar", 2),)) == [1, 2, 3, 4]  # B1 or better
    assert found(languages=(("ar", 6),)) == [1, 3, 4]  # native
    assert found(min_hours=20) == [4]
    assert found(available_by=TODAY) == [1, 2, 3]
    assert found(available_by=date(2026, 9, 1)) == [1, 2, 3, 4]
    assert found(min_overlap_hours=8, countries=frozenset({"CA"})) == [3, 4]  # Paris time
    page = index.search(EVERYONE, SearchFilters(), TODAY, offset=1, limit=2)
    assert page.total == 4 and len(page.ranked) == 2


def test_counts_leave_an_any_of_filter_out_and_keep_an_all_of_one():
    people = [
        build_candidate(1, country="FR", modes=frozenset({"remote"})),
        build_candidate(2, country="FR", modes=frozenset({"remote", "long_term"})),
        build_candidate(3, country="CA", modes=frozenset({"remote", "long_term"})),
    ]
    index = Index.build(people, skill_space=SkillSpace())
    filters = SearchFilters(countries=frozenset({"FR"}), modes=frozenset({"long_term"}))
    hits = index.search(EVERYONE, filters, TODAY)
    assert ids(hits) == [2]
    assert hits.facets.countries == {"FR": 1, "CA": 1}  # what choosing each would find
    assert hits.facets.modes == {"remote": 1, "short_mission": 0, "long_term": 1}
    assert hits.facets.hours == {10: 1} and hits.facets.available_now == 1


@pytest.mark.parametrize(
    "section, filters",
    [
        ("city", SearchFilters(city="paris")),
        ("languages", SearchFilters(languages=(("fr", 3),))),
        ("availability", SearchFilters(min_hours=5)),
        ("availability", SearchFilters(available_by=TODAY)),
    ],
)
def test_a_hidden_section_finds_nobody_unless_the_reader_sees_everything(section, filters):
    people = [build_candidate(1, city="paris", hidden=frozenset({section}))]
    index = Index.build(people, skill_space=SkillSpace())
    assert index.search(EVERYONE, filters, TODAY).total == 0
    assert index.search(EVERYONE, replace(filters, see_hidden=True), TODAY).total == 1


def test_updates_reach_the_search():
    index = Index.build([build_candidate(1), build_candidate(2)], skill_space=SkillSpace())
    index.update_candidate(build_candidate(2, listed=False))
    index.update_candidate(build_candidate(3, city="rabat", languages={"es": "C2"}))
    hits = index.search(EVERYONE, SearchFilters(), TODAY)
    assert sorted(ids(hits)) == [1, 3]
    assert ids(index.search(EVERYONE, SearchFilters(city="rabat"), TODAY)) == [3]
    assert ids(index.search(EVERYONE, SearchFilters(languages=(("es", 5),)), TODAY)) == [3]
