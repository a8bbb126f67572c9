"""Skill names typed by people (experts, project authors), placed in the taxonomy.

Shared by the expert profile and project services, so that both sides of a match store the
same concept for the same words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from diaspora.rules import text
from diaspora.services.errors import NotFound
from diaspora.taxonomy import Completion, get_taxonomy

MAX_SKILL_NAME = 200


class ResolvedSkill(NamedTuple):
    """Where a typed name landed: ``concept_id`` is None for a skill kept as typed (``free``)."""

    concept_id: str | None
    label: str
    method: str
    confidence: float


def placement(where: Any) -> dict[str, Any]:
    """The columns of a stored skill (expert's or project's) that say where it landed in the
    taxonomy, read from a `ResolvedSkill` or from another stored skill."""
    return {"concept_id": where.concept_id, "method": where.method, "confidence": where.confidence}


def clean_skill_name(name: str) -> str:
    """The name as stored: hidden characters dropped (``rules.text``), inner whitespace
    collapsed, trimmed, at most MAX_SKILL_NAME long."""
    return text.clean_line(str(name))[:MAX_SKILL_NAME]


def normalise_skill(name: str) -> ResolvedSkill:
    """Place one typed skill name (English, French or Arabic) in the taxonomy."""
    return normalise_skills([name])[0]


def normalise_skills(names: Sequence[str]) -> list[ResolvedSkill]:
    """Place several names at once; faster than one by one (the semantic step is batched)."""
    cleaned = [clean_skill_name(n) for n in names]
    if not cleaned:
        return []
    results = get_taxonomy().normalise_many(cleaned)
    return [ResolvedSkill(r.concept_id, r.label, r.method, float(r.confidence)) for r in results]


def concept_label(concept_id: str, lang: str) -> str:
    """Display label of a concept in ``lang`` (fr, ar, en), with the taxonomy's fallbacks."""
    return get_taxonomy().label(concept_id, lang)


def search(query: str, lang: str, limit: int) -> list[Completion]:
    """Autocomplete over the taxonomy: concepts whose labels start with (a word starting with)
    ``query``, labelled in ``lang``; none for an empty query."""
    query = " ".join(text.clean_line(query).split())
    if not query or limit < 1:
        return []
    return get_taxonomy().suggest(query, lang, limit)


@dataclass(frozen=True)
class ConceptView:
    """A taxonomy concept as readers see it: its labels, and where it sits (broadest first)."""

    id: str
    label: str
    labels: dict[str, str]
    alt_labels: dict[str, list[str]]
    type: str
    source: str
    groups: list[str]


def concept(concept_id: str, lang: str) -> ConceptView:
    """The concept with this id, labelled in ``lang``; NotFound for an unknown id."""
    taxonomy = get_taxonomy()
    found = taxonomy.get(concept_id)
    if found is None:
        raise NotFound("concept")
    first_path = found.paths[0] if found.paths else ()
    return ConceptView(
        id=found.id,
        label=taxonomy.label(found.id, lang),
        labels=dict(found.labels),
        alt_labels={language: list(alts) for language, alts in found.alt_labels.items()},
        type=found.skill_type,
        source=found.source,
        groups=[taxonomy.group_name(code) for code in first_path],
    )
