"""Skill names typed by people (experts, project authors), placed in the taxonomy.

Shared by the expert profile and project services, so that both sides of a match store the
same concept for the same words.
"""

from collections.abc import Sequence
from typing import Any, NamedTuple

from diaspora.rules import text
from diaspora.taxonomy import get_taxonomy

MAX_SKILL_NAME = 200


class SkillMatch(NamedTuple):
    """Where a typed name landed: ``concept_id`` is None for a skill kept as typed (``free``)."""

    concept_id: str | None
    label: str
    method: str
    confidence: float


def placement(where: Any) -> dict[str, Any]:
    """The columns of a stored skill (expert's or project's) that say where it landed in the
    taxonomy, read from a `SkillMatch` or from another stored skill."""
    return {"concept_id": where.concept_id, "method": where.method, "confidence": where.confidence}


def clean_skill_name(name: str) -> str:
    """The name as stored: hidden characters dropped (``rules.text``), inner whitespace
    collapsed, trimmed, at most MAX_SKILL_NAME long."""
    return text.clean_line(str(name))[:MAX_SKILL_NAME]


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
