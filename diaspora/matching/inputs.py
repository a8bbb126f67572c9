"""Plain input and output values of the matching engine.

The engine never sees a database row: the service layer turns experts and projects into these
frozen dataclasses. Skill keys are taxonomy concept ids, or ``"free:<folded name>"`` for skills the
taxonomy could not place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the explanation's module builds on these inputs
    from .explain import Explanation

CandidateId = int | str

MODES = ("remote", "short_mission", "long_term")
PROJECT_MODES = (*MODES, "hybrid")
# Projects that need the expert in Morocco for at least part of the time.
ON_SITE_MODES = frozenset({"short_mission", "long_term", "hybrid"})
MAX_LEVEL = 5
CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2", "NATIVE")


def cefr_rank(level: str) -> int:
    """Position of a CEFR level ("A1".."C2", "native") in ascending order; -1 when unknown."""
    try:
        return CEFR_ORDER.index(level.strip().upper())
    except ValueError:
        return -1


def _check_levels(skills: tuple[tuple[str, int], ...], owner: str) -> None:
    """Skill levels run from 1 (notions) to 5 (expert); anything else is a caller's bug."""
    for key, level in skills:
        if not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
            raise ValueError(f"{owner}: skill {key!r} has level {level!r}, expected 1..{MAX_LEVEL}")


@dataclass(frozen=True)
class OnSiteWindow:
    """A period the expert will be in Morocco (both days included), in a city whose
    coordinates (degrees) are known, or None. An expert living in Morocco has one without end."""

    start: date
    end: date
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Candidate:
    """One expert as the engine sees them.

    ``skills`` holds ``(skill_key, level)`` pairs with level 1 (notions) .. 5 (authority).
    ``timezone`` (IANA name) wins over ``utc_offset_hours``; with neither, the time-zone factor
    is unknown for this expert and left out of their score.
    ``text_vector`` is an L2-normalised embedding of bio + skills, or None.
    Searches also read ``city`` (folded: case and accents), ``available_from``, ``listed``
    (False: the candidate chose not to be found by searches) and ``hidden`` (the sections of
    their profile they show to admins only, see ``search.HIDEABLE``).
    ``committed_hours``: monthly hours already given to accepted work, taken off
    ``hours_per_month``. ``on_site``: the periods they will be in Morocco.
    """

    id: CandidateId
    ref: str
    skills: tuple[tuple[str, int], ...] = ()
    languages: Mapping[str, str] = field(default_factory=dict)
    modes: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    hours_per_month: float | None = None
    timezone: str | None = None
    utc_offset_hours: float | None = None
    consent: bool = True
    confirmed_at: date | None = None
    pending_invitations: int = 0
    country: str = ""
    city: str = ""
    available_from: date | None = None
    listed: bool = True
    hidden: frozenset[str] = frozenset()
    committed_hours: float = 0.0
    on_site: tuple[OnSiteWindow, ...] = ()
    text_vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_levels(self.skills, f"candidate {self.ref}")

    def remaining_hours(self) -> float | None:
        """Monthly hours still free (offered minus committed, at least 0); None if unknown."""
        if self.hours_per_month is None:
            return None
        return max(0.0, float(self.hours_per_month) - float(self.committed_hours))

    def skill_levels(self) -> dict[str, int]:
        """One level per skill key (the highest when a key is listed twice)."""
        held: dict[str, int] = {}
        for key, level in self.skills:
            held[key] = max(level, held.get(key, 0))
        return held


@dataclass(frozen=True)
class ProjectNeed:
    """One open project as the engine sees it.

    ``required`` and ``nice`` hold ``(skill_key, min_level)`` pairs. ``excluded`` holds candidate
    ids already invited to or declined for this project: they are never suggested again.
    ``hours_margin``: how far the project's hours may exceed an expert's remaining hours, as a
    share of the project's hours, before the expert is left out (the application passes its
    MATCH_HOURS_MARGIN; the default is the same).
    ``starts_on`` .. ``ends_on``: the project's dates (both days included), when known; an
    expert available only after ``starts_on`` is left out unless ``flexible_start``.
    ``latitude``/``longitude``: where an on-site project takes place, when known.
    """

    id: CandidateId
    ref: str
    required: tuple[tuple[str, int], ...] = ()
    nice: tuple[tuple[str, int], ...] = ()
    languages: tuple[str, ...] = ()
    mode: str = "remote"
    sector: str | None = None
    hours_per_month: float | None = None
    seats: int = 1
    text_vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    excluded: frozenset[CandidateId] = frozenset()
    hours_margin: float = 0.75
    starts_on: date | None = None
    ends_on: date | None = None
    flexible_start: bool = False
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in PROJECT_MODES:
            raise ValueError(f"unknown project mode {self.mode!r}")
        _check_levels((*self.required, *self.nice), f"project {self.ref}")


@dataclass(frozen=True)
class SkillSpace:
    """What the taxonomy knows about skill keys, as plain values.

    ``paths``: per key, its hierarchy paths, e.g. ``(("S", "S4", "S4.5", "S4.5.0"),)``.
    ``vectors``: per key, an L2-normalised semantic vector of its label (optional).
    Keys missing here (free skills) simply get no hierarchy or semantic relatedness.
    """

    paths: Mapping[str, tuple[tuple[str | None, ...], ...]] = field(default_factory=dict)
    vectors: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """Weights of the score's factors; they must sum to 1.

    A factor that is unknown for a pair (no text vectors, a project with no required skill...)
    is left out and the remaining weights are rescaled to sum to 1 for that pair, so missing
    data neither rewards nor penalises anyone.
    """

    # Skills are what a project asks for; the softer factors mostly order experts of similar
    # skill fit (on the dev split, larger soft weights cost nDCG without adding information).
    # ``onsite`` is known only for on-site or hybrid projects with dates: for every other
    # project the rest keep the proportions they had before it existed.
    required_skills: float = 0.54
    nice_skills: float = 0.135
    text: float = 0.09
    sector: float = 0.045
    hours: float = 0.045
    timezone: float = 0.045
    onsite: float = 0.10

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(v < 0 for v in values) or abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"weights must be non-negative and sum to 1, got {values}")

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, float] | None) -> Weights:
        """Defaults overridden by a config mapping (unknown names raise TypeError)."""
        return cls(**{**asdict(cls()), **(overrides or {})})

    def as_dict(self) -> dict[str, float]:
        """The weights, for recording with every suggestion."""
        return dict(self._values)

    @cached_property
    def _values(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Exposure:
    """Fair-exposure penalty: score × 1 / (1 + alpha · max(0, pending − allowance)).

    The first ``allowance`` pending invitations cost nothing; each one beyond gently lowers the
    expert's scores so that the same few profiles do not absorb every project.
    """

    alpha: float = 0.1
    allowance: int = 2

    def multiplier(self, pending: int) -> float:
        """The penalty factor in (0, 1] for an expert with ``pending`` open invitations."""
        return 1.0 / (1.0 + self.alpha * max(0, pending - self.allowance))

    def as_dict(self) -> dict[str, float]:
        """The settings, for recording with every suggestion."""
        return asdict(self)


@dataclass(frozen=True)
class RankedCandidate:
    """One ranked candidate for a project: score in [0, 1], factor values, stored explanation."""

    candidate_id: CandidateId
    ref: str
    score: float
    factors: dict[str, float | None]
    explanation: Explanation
