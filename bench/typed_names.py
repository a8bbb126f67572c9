"""Skill names as people type them, for `import_speed.py --realistic` (seeded).

Each mention picks a concept (a few are common, most are rare) among the skills of computing,
data, management and communication, then a way of writing it: the English or French label, a
synonym, the Arabic label, an abbreviation ("ML", "BI"), or both languages at once
("apprentissage automatique (machine learning)"); then the accidents of typing: case, missing
accents, a dropped, swapped or doubled letter.
"""

import random
import unicodedata
from itertools import accumulate

from diaspora.taxonomy import Concept

# Hierarchy groups the pool is drawn from: working with computers, ICT, mathematics and
# statistics, management.
_GROUPS = ("S5", "K06", "K05", "S4")


# A share of names with a typo (and a few more with two).
TYPO = 0.05
# How fast popularity falls with a concept's rank (tuned to give ~17,000 distinct names in
# 20,000 experts, as the issue measured on a real registry).
ZIPF = 1.6


def concept_pool(concepts: list[Concept], rng: random.Random) -> list[Concept]:
    """The concepts people will name, most common first (curated ones lead: they are the
    popular skills with abbreviations and Arabic labels)."""
    pool = [c for c in concepts if any(len(p) > 1 and p[1] in _GROUPS for p in c.paths)]
    rng.shuffle(pool)
    curated = [c for c in concepts if c.aliases or "ar" in c.labels]
    rng.shuffle(curated)
    first = {c.id for c in curated[:300]}
    return curated[:300] + [c for c in pool if c.id not in first]


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]  # a letter dropped
    if kind < 0.75:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # two letters swapped
    return text[:i] + text[i] + text[i:]  # a letter doubled


def _wording(concept: Concept, rng: random.Random) -> str:
    labels, alts = concept.labels, concept.alt_labels
    roll = rng.random()
    if roll < 0.08 and concept.aliases:
        return rng.choice(concept.aliases)
    if roll < 0.15 and "ar" in labels:
        return rng.choice([labels["ar"], *alts.get("ar", ())])
    if roll < 0.20 and "fr" in labels and "en" in labels:
        return f"{labels['fr']} ({labels['en']})"
    if roll < 0.32 and alts.get("en"):
        return rng.choice(alts["en"])
    if roll < 0.40 and alts.get("fr"):
        return rng.choice(alts["fr"])
    if roll < 0.65 and "fr" in labels:
        return labels["fr"]
    return labels.get("en") or next(iter(labels.values()))


def typed_name(concept: Concept, rng: random.Random) -> str:
    """One way a person might type the concept's name."""
    name = _wording(concept, rng)
    roll = rng.random()
    if roll < 0.25:
        name = name.title()
    elif roll < 0.30:
        name = name.upper()
    if rng.random() < 0.5:
        name = _without_accents(name)
    roll = rng.random()
    if roll < TYPO:
        name = _typo(name, rng)
    elif roll < TYPO * 1.15:
        name = _typo(_typo(name, rng), rng)
    return name


class TypedSkills:
    """Experts' skills: 3 to 9 distinct concepts each (a few common ones, a long tail)."""

    def __init__(self, concepts: list[Concept], rng: random.Random) -> None:
        self.rng = rng
        self.pool = concept_pool(concepts, rng)
        self.cum_weights = list(
            accumulate(1 / (rank + 10) ** ZIPF for rank in range(len(self.pool)))
        )

    def __call__(self) -> list[dict]:
        rng, pool = self.rng, self.pool
        chosen = rng.choices(range(len(pool)), cum_weights=self.cum_weights, k=rng.randint(3, 9))
        names = dict.fromkeys(typed_name(pool[i], rng)[:200] for i in dict.fromkeys(chosen))
        return [{"name": name, "level": rng.randint(1, 5)} for name in names if name.strip()]
