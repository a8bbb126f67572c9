"""The engine writes its explanations in exactly the shape its schema declares, for any pair."""

import json
from typing import get_args

import numpy as np
from conftest import TODAY, build_candidate, build_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora.matching import FACTORS, Index, SkillSpace
from diaspora.matching.constraints import Outcome
from diaspora.matching.explain import Explanation, ExposurePart, SkillEntry
from diaspora.matching.factors import FactorPart
from diaspora.matching.relatedness import MethodName

KEYS = [f"k{i}" for i in range(8)] + ["free:x"]
# Two families of four skills, so that related skills (and several of them) occur.
SPACE = SkillSpace(
    paths={k: (("S", "S5", f"S5.{i // 4}", f"S5.{i // 4}.0"),) for i, k in enumerate(KEYS[:8])}
)
PEERS = [
    build_candidate(i, skills=((KEYS[i % 8], 3), (KEYS[(i * 3) % 8], 4))) for i in range(2, 12)
]
skills = st.lists(st.tuples(st.sampled_from(KEYS), st.integers(1, 5)), max_size=6)
vectors = st.sampled_from([None, np.array([1.0, 0.0]), np.array([0.6, 0.8])])


def has_shape(value: dict, schema: type) -> bool:
    """True when ``value`` holds every key ``schema`` requires and no key it does not know."""
    required, optional = schema.__required_keys__, schema.__optional_keys__
    return required <= value.keys() <= required | optional


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    held=skills,
    required=skills,
    nice=skills,
    pending=st.integers(0, 8),
    languages=st.sampled_from([(), ("fr",), ("en", "ar")]),
    texts=st.tuples(vectors, vectors),
    mode=st.sampled_from(["remote", "hybrid", "long_term"]),
)
def test_every_explanation_has_the_declared_shape(
    held, required, nice, pending, languages, texts, mode
):
    candidate = build_candidate(
        1, skills=tuple(held), pending_invitations=pending, text_vector=texts[0]
    )
    project = build_project(
        required=tuple(required),
        nice=tuple(nice),
        languages=languages,
        mode=mode,
        text_vector=texts[1],
    )
    explanation = (
        Index.build([candidate, *PEERS], skill_space=SPACE).explain(project, 1, TODAY).explanation
    )

    assert json.loads(json.dumps(explanation)) == explanation  # stored as JSON, unchanged
    assert has_shape(explanation, Explanation)
    assert list(explanation["weights"]) == list(explanation["factors"]) == list(FACTORS)
    assert all(has_shape(part, FactorPart) for part in explanation["factors"].values())
    assert has_shape(explanation["exposure"], ExposurePart)
    assert has_shape(explanation["constraints"], Outcome)
    entries = [*explanation["required"], *explanation["nice"]]
    assert [e["skill"] for e in entries] == [k for k, _ in (*project.required, *project.nice)]
    for entry in entries:
        assert has_shape(entry, SkillEntry)
        # Only a skill that is met says through which of the expert's skills, and how.
        assert entry["met"] == (entry["credit"] > 0) == ("via" in entry) == ("how" in entry)
        assert entry.get("how", "exact") in get_args(MethodName)
    assert explanation["missing"] == [e["skill"] for e in entries if not e["met"]]
