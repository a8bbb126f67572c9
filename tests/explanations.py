"""Explanations for tests, written by the engine itself for a pair described in words.

Pages and emails read what the engine stores; a fixture that wrote its own dict could drift from
that shape unnoticed, so fixtures score a real pair through the engine instead.
"""

import copy
import math
from datetime import date
from functools import cache

import numpy as np

from diaspora.matching import Candidate, Index, ProjectNeed
from diaspora.matching.explain import Explanation
from diaspora.services.engine_inputs import skill_key, skill_space
from diaspora.taxonomy import get_taxonomy

TODAY = date(2026, 6, 1)
Skills = tuple[tuple[str, int], ...]  # (name as typed, level)

# Salma holds computer vision and machine learning; the project wants computer vision and deep
# learning (met through machine learning, a skill of the same family) and, as a plus, Python.
HELD: Skills = (("computer vision", 4), ("machine learning", 4))
REQUIRED: Skills = (("computer vision", 3), ("deep learning", 3))
NICE: Skills = (("Python", 2),)


def key(name: str) -> str:
    """The engine's key for a skill typed as ``name``: its concept, or a free skill."""
    return skill_key(get_taxonomy().normalise(name).concept_id, name)


def _keyed(skills: Skills) -> tuple[tuple[str, int], ...]:
    return tuple((key(name), level) for name, level in skills)


@cache
def _explain(
    held: Skills, required: Skills, nice: Skills, pending: int, text_similarity: float | None
) -> Explanation:
    texts = (None, None)
    if text_similarity is not None:  # two unit vectors at that cosine
        s = text_similarity
        texts = (np.array([1.0, 0.0]), np.array([s, math.sqrt(1 - s * s)]))
    expert = Candidate(
        id=1,
        ref="E-1",
        skills=_keyed(held),
        languages={"fr": "C1"},
        modes=frozenset({"remote", "short_mission"}),
        sectors=frozenset({"health"}),
        hours_per_month=8,
        timezone="Europe/Paris",
        confirmed_at=TODAY,
        pending_invitations=pending,
        text_vector=texts[0],
    )
    project = ProjectNeed(
        id=1,
        ref="P-1",
        required=_keyed(required),
        nice=_keyed(nice),
        languages=("fr",),
        mode="remote",
        sector="health",
        hours_per_month=8,
        text_vector=texts[1],
    )
    keys = {k for k, _ in (*expert.skills, *project.required, *project.nice)}
    index = Index.build([expert], projects=[project], skill_space=skill_space(keys))
    return index.explain(project, expert.id, TODAY).explanation


def engine_explanation(
    held: Skills = HELD,
    required: Skills = REQUIRED,
    nice: Skills = NICE,
    pending: int = 0,
    text_similarity: float | None = None,
) -> Explanation:
    """What the engine stores for an expert holding ``held`` suggested for a project wanting
    ``required`` and ``nice`` skills, with ``pending`` invitations already waiting; their texts
    are compared only when ``text_similarity`` (a cosine in [0, 1]) is given."""
    return copy.deepcopy(_explain(held, required, nice, pending, text_similarity))
