"""Plain value types of the taxonomy: what callers receive."""

from __future__ import annotations

from dataclasses import dataclass

# How a free-typed name was placed; the order is the order the normaliser tries them.
METHODS = ("exact", "alias", "fuzzy", "semantic", "free")


@dataclass(frozen=True, slots=True)
class Concept:
    """One skill or knowledge concept (ESCO, or ours when ``source == "diaspora"``)."""

    id: str
    labels: dict[str, str]  # preferred label per language: "en", "fr", "ar" (when known)
    alt_labels: dict[str, tuple[str, ...]]  # synonyms per language
    aliases: tuple[str, ...]  # our curated, language-neutral aliases and abbreviations
    paths: tuple[tuple[str, ...], ...]  # hierarchy codes, e.g. ("S", "S4", "S4.5", "S4.5.0")
    skill_type: str  # "skill" or "knowledge"
    source: str = "esco"  # "esco" or "diaspora" (added by this platform)

    def all_labels(self) -> list[str]:
        """Every label and synonym of the concept, preferred labels first."""
        out = list(self.labels.values())
        for alts in self.alt_labels.values():
            out.extend(alts)
        out.extend(self.aliases)
        return out


@dataclass(frozen=True, slots=True)
class Normalised:
    """Result of placing a free-typed skill name in the taxonomy.

    ``concept_id`` is None for a free skill. ``label`` is the concept's English preferred
    label, or the input (whitespace-trimmed, lower-cased) for a free skill. ``method`` is one
    of ``exact`` (English preferred label), ``alias`` (synonym, translation, abbreviation),
    ``fuzzy`` (typo), ``semantic`` (nearest label by meaning) or ``free``.
    """

    concept_id: str | None
    label: str
    method: str
    confidence: float

    @property
    def is_free(self) -> bool:
        return self.concept_id is None


@dataclass(frozen=True, slots=True)
class Completion:
    """An autocomplete answer: the concept, its label in the asked language, what matched."""

    concept_id: str
    label: str
    matched: str
