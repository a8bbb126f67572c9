"""Ranking: the vectorised path equals the plain per-pair score; order, edge cases, explanations."""

import json
import random

import numpy as np
import pytest
from conftest import TODAY, build_candidate, build_project

from diaspora.matching import ENGINE_VERSION, Exposure, Index, SkillSpace, Weights
from diaspora.matching.scoring import score_pair

SKILLS = [f"s{i}" for i in range(30)] + ["free:obscure tool"]
PATHS = {f"s{i}": (("S", "S5", f"S5.{i % 4}", f"S5.{i % 4}.{i % 2}"),) for i in range(30)}


def population(n=120, seed=7):
    rng = random.Random(seed)
    vecs = np.random.default_rng(seed).normal(size=(n, 8))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    out = []
    for i in range(n):
        cluster = rng.randrange(3)
        pool = SKILLS[cluster * 10 : cluster * 10 + 10] + [SKILLS[-1]]
        skills = tuple((k, rng.randint(1, 5)) for k in rng.sample(pool, rng.randint(0, 6)))
        out.append(
            build_candidate(
                i,
                ref=f"E-{rng.randrange(10**6):06d}",
                skills=skills,
                sectors=frozenset(rng.sample(["health", "water", "energy"], rng.randint(0, 2))),
                hours_per_month=rng.choice([None, 2, 5, 10, 20]),
                timezone=rng.choice([None, "Europe/Paris", "America/Montreal", "Asia/Tokyo"]),
                utc_offset_hours=rng.choice([None, 3.0]),
                pending_invitations=rng.randint(0, 6),
                text_vector=vecs[i] if rng.random() < 0.7 else None,
                languages=rng.choice([{"fr": "C1"}, {"fr": "B1"}, {"en": "native"}]),
            )
        )
    return out


def projects():
    vec = np.ones(8) / np.sqrt(8)
    return [
        build_project(1, required=(("s1", 3), ("s4", 2)), nice=(("s22", 2),), text_vector=vec),
        build_project(2, required=(("s12", 4),), mode="hybrid", languages=()),
        build_project(3, required=(), nice=(("s3", 1),), sector=None, hours_per_month=None),
        build_project(4, required=(("s7", 2), ("unseen", 3)), mode="short_mission"),
        build_project(5, required=(("free:obscure tool", 2),), languages=("fr", "en")),
    ]


@pytest.fixture(scope="module")
def index():
    return Index.build(population(), projects=projects(), skill_space=SkillSpace(paths=PATHS))


@pytest.mark.parametrize("project", projects(), ids=lambda p: p.ref)
def test_vectorised_scores_equal_the_per_pair_definition(index, project):
    # Within 1e-6 because the index stores text vectors as float32.
    scores = index.scores(project, TODAY)
    for pos, candidate in enumerate(population()):
        pair = score_pair(candidate, project, index.context, TODAY)
        if pair.eligible:
            assert scores[pos] == pytest.approx(pair.score, abs=1e-6)
        else:
            assert scores[pos] == -np.inf


@pytest.mark.parametrize("project", projects(), ids=lambda p: p.ref)
def test_above_returns_every_eligible_candidate_over_the_bar_best_first(index, project):
    scores = index.scores(project, TODAY)
    over = index.above(project, 0.3, today=TODAY)
    assert sorted(pos for pos, s in enumerate(scores) if s >= 0.3) == sorted(
        index.position(candidate_id) for candidate_id, _ in over
    )
    assert [s for _, s in over] == sorted((s for _, s in over), reverse=True)
    assert all(s >= 0.3 for _, s in over)


@pytest.mark.parametrize("project", projects(), ids=lambda p: p.ref)
def test_rank_returns_best_first_ties_by_ref(index, project):
    suggestions = index.rank(project, 15, today=TODAY)
    keys = [(-s.score, s.ref) for s in suggestions]
    assert keys == sorted(keys)
    scores = index.scores(project, TODAY)
    eligible = np.sort(scores[np.isfinite(scores)])[::-1]
    assert [s.score for s in suggestions] == pytest.approx(list(eligible[:15]))


def test_text_pruning_does_not_change_the_top_k(index):
    project = projects()[0]
    full = index.scores(project, TODAY)
    order = sorted(np.flatnonzero(np.isfinite(full)), key=lambda p: (-full[p], p))
    top = {s.candidate_id for s in index.rank(project, 5, today=TODAY)}
    threshold = full[order[4]]
    assert {int(p) for p in order if full[p] > threshold} <= top
    assert all(full[index.position(c)] >= threshold for c in top)


def test_identical_experts_tie_and_are_ordered_by_ref():
    twins = [build_candidate(i, ref=ref) for i, ref in enumerate(["E-c", "E-a", "E-b"])]
    ranked = Index.build(twins).rank(build_project(), 3, today=TODAY)
    assert [s.ref for s in ranked] == ["E-a", "E-b", "E-c"]
    assert len({s.score for s in ranked}) == 1


def test_empty_profiles_and_empty_index_do_not_crash():
    empty = build_candidate(1, skills=(), sectors=frozenset(), hours_per_month=None, timezone=None)
    ranked = Index.build([empty]).rank(build_project(), 5, today=TODAY)
    assert ranked[0].factors["required_skills"] == 0.0
    assert Index.build([]).rank(build_project(), 5, today=TODAY) == []


def test_expert_with_only_free_skills_is_matched_on_them():
    c = build_candidate(1, skills=(("free:qgis plugin dev", 4),))
    project = build_project(required=(("free:qgis plugin dev", 3),))
    ranked = Index.build([c]).rank(project, 1, today=TODAY)
    assert ranked[0].factors["required_skills"] == 1.0


def test_project_without_required_skills_redistributes_the_weight():
    project = build_project(required=(), nice=())
    ranked = Index.build([build_candidate(1)]).rank(project, 1, today=TODAY)
    factors = ranked[0].explanation["factors"]
    assert factors["required_skills"]["weight"] == 0.0
    assert sum(f["weight"] for f in factors.values()) == pytest.approx(1.0, abs=1e-3)
    assert ranked[0].score == pytest.approx(1.0)


def test_explanation_says_what_was_met_how_and_what_is_missing(index):
    c = build_candidate("x", skills=(("s1", 2), ("s2", 4), ("s7", 3)), pending_invitations=5)
    project = build_project(required=(("s1", 3), ("s5", 2), ("s25", 1)), nice=(("s2", 3),))
    idx = Index.build([c, *population()], skill_space=SkillSpace(paths=PATHS))
    explanation = idx.explain(project, "x", TODAY).explanation
    assert explanation["engine"] == ENGINE_VERSION
    assert explanation["weights"] == Weights().as_dict()
    required = {e["skill"]: e for e in explanation["required"]}
    assert required["s1"] == {
        "skill": "s1",
        "min_level": 3,
        "met": True,
        "credit": 0.8,
        "via": "s1",
        "level": 2,
        "how": "exact",
    }
    assert required["s5"]["met"] and required["s5"]["how"] == "co-occurrence"
    assert 0 < required["s5"]["credit"] < 0.8
    assert "s25" in explanation["missing"] and not required["s25"]["met"]
    assert explanation["nice"][0]["credit"] == 1.0
    assert explanation["exposure"]["pending"] == 5
    assert explanation["exposure"]["multiplier"] == pytest.approx(1 / 1.3, abs=1e-4)
    assert all(explanation["constraints"][k] for k in ("consent", "mode", "language"))
    total = sum(f["contribution"] for f in explanation["factors"].values())
    assert total * explanation["exposure"]["multiplier"] == pytest.approx(
        explanation["score"], abs=1e-3
    )
    assert len(json.dumps(explanation)) < 3000


def test_unseen_project_skill_gets_hierarchy_credit():
    c = build_candidate(1, skills=(("s1", 4),))
    space = SkillSpace(
        paths={"s1": (("S", "S5", "S5.1", "S5.1.1"),), "new": (("S", "S5", "S5.1", "S5.1.1"),)}
    )
    suggestion = Index.build([c], skill_space=space).explain(
        build_project(required=(("new", 2),)), 1, TODAY
    )
    assert suggestion.explanation["required"][0]["how"] == "related-hierarchy"
    assert suggestion.factors["required_skills"] == pytest.approx(0.25)


def test_exposure_penalty_lowers_busy_experts_gently():
    busy = build_candidate(1, pending_invitations=6)
    free = build_candidate(2, pending_invitations=0)
    index = Index.build([busy, free], exposure=Exposure(alpha=0.1, allowance=2))
    scores = index.scores(build_project(), TODAY)
    assert scores[0] == pytest.approx(scores[1] / 1.4)


def test_update_and_remove_candidate_match_a_fresh_index(index):
    idx = Index.build(population(), projects=projects(), skill_space=SkillSpace(paths=PATHS))
    changed = build_candidate(3, ref="E-changed", skills=(("s1", 5), ("brand-new", 3)))
    idx.update_candidate(changed)
    idx.update_candidate(build_candidate(999, ref="E-new", skills=(("s4", 4),)))
    idx.remove_candidate(5)
    project = projects()[0]
    scores = idx.scores(project, TODAY)
    assert scores[idx.position(5)] == -np.inf
    assert 5 not in idx and 999 in idx and len(idx) == 120
    for cid in (3, 999):
        pair = score_pair(idx.candidate(cid), project, idx.context, TODAY)
        assert scores[idx.position(cid)] == pytest.approx(pair.score, abs=1e-6)
    refs = [s.ref for s in idx.rank(build_project(required=(("brand-new", 2),)), 3, today=TODAY)]
    assert refs[0] == "E-changed"


def _change_at_random(idx, people, steps, seed=5):
    """Changes, removals, returns and newcomers beyond the spare room; the candidates now."""
    rng = random.Random(seed)
    current = {c.id: c for c in people}
    for step in range(steps):
        cid = rng.choice([*current, 1000 + step])
        if cid in current and rng.random() < 0.2:
            idx.remove_candidate(cid)
            del current[cid]
            continue
        skills = tuple((rng.choice([*SKILLS, "new-a", "new-b"]), rng.randint(1, 5)) for _ in "ab")
        current[cid] = build_candidate(cid, ref=f"E-{cid:05d}", skills=skills)
        idx.update_candidate(current[cid])
    return current


def _assert_scores_are_the_per_pair_definition(idx, current):
    assert len(idx) == len(current) and all(cid in idx for cid in current)
    for project in [*projects(), build_project(9, required=(("new-a", 2), ("s3", 3)))]:
        scores = idx.scores(project, TODAY)
        for cid, candidate in current.items():
            pair = score_pair(candidate, project, idx.context, TODAY)
            expected = pair.score if pair.eligible else -np.inf
            assert scores[idx.position(cid)] == pytest.approx(expected, abs=1e-6)
        assert np.isfinite(scores).sum() == sum(
            score_pair(c, project, idx.context, TODAY).eligible for c in current.values()
        )


def test_many_updates_score_as_the_per_pair_definition_and_leave_the_build_arrays_alone():
    people = population(n=80, seed=3)
    idx = Index.build(people, projects=projects(), skill_space=SkillSpace(paths=PATHS))
    laid_out = (idx._col_rows, idx._col_levels)
    current = _change_at_random(idx, people, 300)
    assert all(a is b for a, b in zip(laid_out, (idx._col_rows, idx._col_levels), strict=True))
    _assert_scores_are_the_per_pair_definition(idx, current)


def test_updates_beyond_the_free_room_of_the_build_lay_the_skills_out_again():
    people = population(n=80, seed=3)
    idx = Index.build(people, projects=projects(), skill_space=SkillSpace(paths=PATHS))
    laid_out = idx._col_rows
    newcomers = [
        build_candidate(2000 + i, ref=f"N-{i:05d}", skills=(("s1", 1 + i % 5), ("new-a", 3)))
        for i in range(3000)
    ]
    idx.update_candidates(newcomers)
    current = _change_at_random(idx, [*people, *newcomers], 300)
    assert idx._col_rows is not laid_out
    _assert_scores_are_the_per_pair_definition(idx, current)


def test_rank_all_reports_progress(index):
    seen = []
    results = index.rank_all(projects(), 3, today=TODAY, progress=lambda d, t: seen.append((d, t)))
    assert set(results) == {p.id for p in projects()}
    assert seen == [(i, 5) for i in range(1, 6)]


def test_invalid_levels_are_rejected():
    with pytest.raises(ValueError):
        build_candidate(1, skills=(("s1", 6),))
    with pytest.raises(ValueError):
        build_project(required=(("s1", 0),))
