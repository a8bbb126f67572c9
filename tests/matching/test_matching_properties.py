"""Properties that must hold for any input."""

from conftest import TODAY, build_candidate, build_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora.matching import Index

KEYS = [f"k{i}" for i in range(8)] + ["free:x"]
skills = st.lists(st.tuples(st.sampled_from(KEYS), st.integers(1, 5)), max_size=6)
candidates = st.builds(
    lambda sk, hours, pending, tz: build_candidate(
        1, skills=tuple(sk), hours_per_month=hours, pending_invitations=pending, timezone=tz
    ),
    skills,
    st.one_of(st.none(), st.floats(0, 200)),
    st.integers(0, 30),
    st.sampled_from([None, "Europe/Paris", "Pacific/Kiritimati", "America/Los_Angeles"]),
)
PEERS = [
    build_candidate(i, skills=((KEYS[i % 8], 3), (KEYS[(i * 3) % 8], 4))) for i in range(2, 12)
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates, skills, skills, st.sampled_from(["remote", "hybrid", "long_term"]))
def test_score_is_always_between_0_and_1(candidate, required, nice, mode):
    project = build_project(required=tuple(required), nice=tuple(nice), mode=mode)
    index = Index.build([candidate, *PEERS])
    score = index.explain(project, 1, TODAY).score
    assert 0.0 <= score <= 1.0
    for s in index.rank(project, 5, today=TODAY):
        assert 0.0 <= s.score <= 1.0


@settings(max_examples=60, deadline=None)
@given(candidates, skills, st.data())
def test_adding_a_required_skill_the_expert_has_never_lowers_their_score(candidate, required, data):
    held = dict(candidate.skills)
    if not held:
        return
    key = data.draw(st.sampled_from(sorted(held)))
    min_level = data.draw(st.integers(1, held[key]))
    index = Index.build([candidate, *PEERS])
    before = build_project(required=tuple(required))
    after = build_project(required=(*before.required, (key, min_level)))
    assert index.explain(after, 1, TODAY).score >= index.explain(before, 1, TODAY).score - 1e-12


@settings(max_examples=40, deadline=None)
@given(st.lists(skills, min_size=1, max_size=8), skills, skills)
def test_vectorised_scores_equal_the_per_pair_definition_for_any_input(profiles, required, nice):
    people = [build_candidate(100 + i, skills=tuple(p)) for i, p in enumerate(profiles)]
    index = Index.build([*people, *PEERS])
    project = build_project(required=tuple(required), nice=tuple(nice))
    scores = index.scores(project, TODAY)
    for person in people:
        expected = index.explain(project, person.id, TODAY).score
        assert abs(scores[index.position(person.id)] - expected) < 1e-9
