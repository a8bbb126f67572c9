"""Time as capacity (hours left after commitments, start dates) and presence in Morocco for
on-site work, as the engine ranks and explains them; the array form agrees with the pair form."""

from datetime import date, timedelta

import pytest
from conftest import TODAY, build_candidate, build_project

from diaspora.matching import Index
from diaspora.matching.inputs import OnSiteWindow
from diaspora.matching.scoring import score_pair
from diaspora.matching.search import SearchFilters

CASABLANCA = (33.573, -7.590)
RABAT = (34.020, -6.841)
OUJDA = (34.681, -1.908)
JULY = date(2026, 7, 1)


def ranked_ids(candidates, project):
    return [r.candidate_id for r in Index.build(candidates).rank(project, 10, today=TODAY)]


def stay(start, days, place=RABAT, city="Rabat"):
    return OnSiteWindow(start, start + timedelta(days=days - 1), city, *place)


def test_committed_hours_are_taken_off_the_hours_offered():
    free = build_candidate(1, hours_per_month=10)
    busy = build_candidate(2, hours_per_month=10, committed_hours=6)  # 4 left
    project = build_project(hours_per_month=8, hours_margin=0.25)  # 6 h at the least
    assert ranked_ids([free, busy], project) == [1]


def test_an_expert_beyond_the_margin_is_left_out_and_one_within_it_ranks_lower():
    project = build_project(hours_per_month=16, hours_margin=0.25)  # 12 h at the least
    enough = build_candidate(1, hours_per_month=16)
    within = build_candidate(2, hours_per_month=12)  # "offers 12 h, the project needs 16"
    beyond = build_candidate(3, hours_per_month=11)
    ranked = Index.build([within, beyond, enough]).rank(project, 10, today=TODAY)
    assert [r.candidate_id for r in ranked] == [1, 2]
    assert ranked[0].score > ranked[1].score
    # A wider margin lets the third in, below the others.
    wider = build_project(hours_per_month=16, hours_margin=0.5)
    assert ranked_ids([within, beyond, enough], wider) == [1, 2, 3]


def test_experts_with_unknown_hours_are_not_held_back():
    assert ranked_ids([build_candidate(1, hours_per_month=None)], build_project()) == [1]


def test_a_start_before_the_experts_first_day_leaves_them_out_unless_the_project_can_wait():
    later = build_candidate(1, available_from=date(2026, 9, 1))
    ready = build_candidate(2, available_from=date(2026, 6, 15))
    undated = build_candidate(3)
    strict = build_project(starts_on=date(2026, 7, 1))
    assert sorted(ranked_ids([later, ready, undated], strict)) == [2, 3]
    flexible = build_project(starts_on=date(2026, 7, 1), flexible_start=True)
    assert sorted(ranked_ids([later, ready, undated], flexible)) == [1, 2, 3]
    explained = Index.build([later]).explain(strict, 1, TODAY).explanation
    assert explained["constraints"]["start_date"] is False
    assert explained["start"] == {
        "starts_on": "2026-07-01",
        "available_from": "2026-09-01",
        "flexible": False,
    }


def on_site_project(**overrides):
    values = {
        "mode": "short_mission",
        "starts_on": JULY,
        "ends_on": JULY + timedelta(days=29),
        "location": "Casablanca",
        "latitude": CASABLANCA[0],
        "longitude": CASABLANCA[1],
    }
    return build_project(**{**values, **overrides})


def test_experts_in_morocco_during_the_projects_dates_rank_first_by_days_present():
    project = on_site_project()
    month = build_candidate(1, on_site=(stay(JULY, 30),))
    week = build_candidate(2, on_site=(stay(JULY + timedelta(days=20), 30),))  # 10 days in
    away = build_candidate(3)
    before = build_candidate(4, on_site=(stay(date(2026, 5, 1), 30),))  # over by July
    ranked = Index.build([away, before, week, month]).rank(project, 10, today=TODAY)
    assert [r.candidate_id for r in ranked][:2] == [1, 2]
    by_id = {r.candidate_id: r for r in ranked}
    # Rabat is 85 km from Casablanca: a day there counts 1 / (1 + 85 / 300).
    rabat = 1 / (1 + 85.2 / 300)
    assert by_id[1].factors["onsite"] == pytest.approx(rabat, abs=1e-3)  # 30 days of 30
    assert by_id[2].factors["onsite"] == pytest.approx(rabat / 3, abs=1e-3)  # 10 days of 30
    assert by_id[3].factors["onsite"] == by_id[4].factors["onsite"] == 0.0
    assert by_id[2].explanation["onsite"] == {"days": 10, "needed": 30, "city": "Rabat", "km": 85}


def test_a_stay_nearer_the_projects_city_counts_more():
    project = on_site_project()
    near = build_candidate(1, on_site=(stay(JULY, 30, RABAT, "Rabat"),))
    far = build_candidate(2, on_site=(stay(JULY, 30, OUJDA, "Oujda"),))
    here = build_candidate(3, on_site=(stay(JULY, 30, CASABLANCA, "Casablanca"),))
    ranked = Index.build([far, near, here]).rank(project, 10, today=TODAY)
    assert [r.candidate_id for r in ranked] == [3, 1, 2]
    assert ranked[0].factors["onsite"] == 1.0


def test_presence_says_nothing_for_remote_projects_or_projects_without_dates():
    expert = build_candidate(1, on_site=(stay(JULY, 30),))
    for project in (build_project(), on_site_project(starts_on=None, ends_on=None)):
        [ranked] = Index.build([expert]).rank(project, 1, today=TODAY)
        assert ranked.factors["onsite"] is None and "onsite" not in ranked.explanation


@pytest.mark.parametrize("mode", ["short_mission", "long_term", "hybrid"])
def test_remote_only_experts_are_never_proposed_for_on_site_work(mode):
    remote_only = build_candidate(1, modes=frozenset({"remote"}), on_site=(stay(JULY, 30),))
    assert ranked_ids([remote_only], on_site_project(mode=mode)) == []


def test_the_index_scores_as_the_pair_form_with_commitments_and_stays():
    candidates = [
        build_candidate(1, hours_per_month=10, committed_hours=3),
        build_candidate(2, hours_per_month=20, on_site=(stay(JULY, 12), stay(JULY, 40, OUJDA))),
        build_candidate(3, hours_per_month=9, on_site=(stay(JULY - timedelta(days=5), 8),)),
        build_candidate(4, hours_per_month=None),
    ]
    index = Index.build(candidates)
    for project in (
        on_site_project(hours_per_month=10, hours_margin=0.5),
        build_project(hours_per_month=10, hours_margin=0.5),
    ):
        ranked = {r.candidate_id: r.score for r in index.rank(project, 10, today=TODAY)}
        for candidate in candidates:
            pair = score_pair(candidate, project, index.context, TODAY)
            if pair.eligible:
                assert ranked[candidate.id] == pytest.approx(pair.score, abs=1e-9)
            else:
                assert candidate.id not in ranked


def test_a_changed_stay_is_seen_after_an_update():
    index = Index.build([build_candidate(1), build_candidate(2)])
    project = on_site_project()
    assert index.rank(project, 2, today=TODAY)[0].factors["onsite"] == 0.0
    index.update_candidate(build_candidate(2, on_site=(stay(JULY, 30, CASABLANCA),)))
    first = index.rank(project, 2, today=TODAY)[0]
    assert first.candidate_id == 2 and first.factors["onsite"] == 1.0
    index.update_candidate(build_candidate(2))
    assert index.rank(project, 2, today=TODAY)[0].factors["onsite"] == 0.0


def test_a_search_keeps_those_in_morocco_on_one_of_the_days_asked():
    people = [
        build_candidate(1, on_site=(stay(JULY, 10),)),
        build_candidate(2, on_site=(stay(date(2026, 8, 1), 10),)),
        build_candidate(3),
        build_candidate(4, on_site=(stay(JULY, 10),), hidden=frozenset({"availability"})),
    ]
    index = Index.build(people)
    need = build_project(required=(), languages=(), sector=None, hours_per_month=None)

    def found(first, last, see_hidden=False):
        filters = SearchFilters(in_morocco=(first, last), see_hidden=see_hidden)
        return sorted(i for i, _ in index.search(need, filters, TODAY).ranked)

    assert found(date(2026, 7, 5), date(2026, 7, 5)) == [1]
    assert found(date(2026, 7, 5), date(2026, 8, 2)) == [1, 2]
    assert found(date(2026, 7, 5), date(2026, 8, 2), see_hidden=True) == [1, 2, 4]
    assert found(date(2026, 9, 1), date(2026, 9, 30)) == []
