"""Skill names typed by people (experts, project authors), placed in the taxonomy.

Shared by the expert profile and project services, so that both sides of a match store the
same concept for the same words.
"""

import re
from collections.abc import Sequence
from typing import NamedTuple

from diaspora.taxonomy import get_taxonomy

MAX_SKILL_NAME = 200
# Control characters mean nothing in a name, and PostgreSQL refuses NUL in text columns.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SkillMatch(NamedTuple):
    """Where a typed name landed: ``concept_id`` is None for a skill kept as typed (``free``)."""

    concept_id: str | None
    label: str
    method: str
    confidence: float


def clean_skill_name(name: str) -> str:
    """The name as stored: control characters dropped, inner whitespace collapsed, trimmed,
    at most MAX_SKILL_NAME long."""
    return " ".join(_CONTROL.sub("", str(name)).split())[:MAX_SKILL_NAME]


def normalise_skill(name: str) -> SkillMatch:
    """Place one typed skill name (English, French or Arabic) in the taxonomy."""
    return normalise_skills([name])[0]


def normalise_skills(names: Sequence[str]) -> list[SkillMatch]:
    """Place several names at once; faster than one by one (the semantic step is batched)."""
    cleaned = [clean_skill_name(n) for n in names]
    if not cleaned:
        return []
    results = get_taxonomy().normalise_many(cleaned)
    return [SkillMatch(r.concept_id, r.label, r.method, float(r.confidence)) for r in results]


def concept_label(concept_id: str, lang: str) -> str:
    """Display label of a concept in ``lang`` (fr, ar, en), with the taxonomy's fallbacks."""
    return get_taxonomy().label(concept_id, lang)
