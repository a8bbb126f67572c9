"""The stored explanation of a suggestion: small, JSON-serialisable, enough to say why in words.

Its one schema is ``Explanation`` below (with ``factors.FactorPart``, ``constraints.Outcome``
and ``relatedness.MethodName``, defined beside the code that computes them). The engine writes
it here; ``Match.explanation`` stores it as JSON, ``flask match --json`` prints it
(shared/interchange.md) and ``diaspora.wording`` puts it into words. A change of shape
is a change of ``ENGINE_VERSION``.
"""

# No `from __future__ import annotations`: a TypedDict needs its annotations evaluated
# to tell its NotRequired keys (Python 3.11).

from typing import NotRequired, TypedDict

from .constraints import Outcome
from .factors import FactorPart
from .relatedness import MethodName
from .scoring import HoursPart, PairScore, ScoringContext, SkillMatch, StartPart, method_name

ENGINE_VERSION = "matching-1.1"
DIGITS = 4  # stored precision: plenty for display, keeps the JSON short


class SkillEntry(TypedDict):
    """One project skill and how the expert meets it (``credit`` in [0, 1], 0 when not met).

    Skills are engine keys: a taxonomy concept id or ``"free:<folded name>"``. ``via`` (the
    expert's skill that earns most), its ``level`` and ``how`` are there only when the skill is
    met; ``also`` counts further related skills of the expert that added evidence.
    """

    skill: str
    min_level: int
    met: bool
    credit: float
    via: NotRequired[str]
    level: NotRequired[int]
    how: NotRequired[MethodName]
    also: NotRequired[int]


class ExposurePart(TypedDict):
    """Fair-exposure settings, the expert's pending invitations and the resulting multiplier."""

    alpha: float
    allowance: int
    pending: int
    multiplier: float


class OnSitePart(TypedDict):
    """Days the expert is in Morocco during an on-site project's dates (of the ``needed`` for
    full credit), and the city that counts most with its distance to the project's place."""

    days: int
    needed: int
    city: str
    km: NotRequired[int]


class Explanation(TypedDict):
    """Why a pair scored what it did.

    ``score`` is the sum of the factors' contributions times the exposure multiplier;
    ``weights`` (as configured) and ``factors`` are keyed by ``factors.FACTORS``; ``missing``
    lists the project skills, required and nice-to-have, that the expert does not meet.
    ``hours``, ``start`` and ``onsite`` give the figures behind the capacity and start-date
    constraints and the on-site factor, when the pair has them.
    """

    engine: str
    score: float
    weights: dict[str, float]
    factors: dict[str, FactorPart]
    required: list[SkillEntry]
    nice: list[SkillEntry]
    missing: list[str]
    exposure: ExposurePart
    constraints: Outcome
    hours: NotRequired[HoursPart]
    start: NotRequired[StartPart]
    onsite: NotRequired[OnSitePart]


def _round(value: float) -> float:
    return round(float(value), DIGITS)


def _skill(match: SkillMatch) -> SkillEntry:
    entry: SkillEntry = {
        "skill": match.skill,
        "min_level": match.min_level,
        "met": match.credit > 0,
        "credit": _round(match.credit),
    }
    how = method_name(match.method)
    if match.via is not None and match.level is not None and how is not None:  # met
        entry["via"], entry["level"], entry["how"] = match.via, match.level, how
    if match.also:
        entry["also"] = match.also
    return entry


def _factor(part: FactorPart) -> FactorPart:
    value = part["value"]
    return {
        "value": None if value is None else _round(value),
        "weight": _round(part["weight"]),
        "contribution": _round(part["contribution"]),
    }


def explanation(pair: PairScore, ctx: ScoringContext) -> Explanation:
    """The explanation of one scored pair, as stored with the suggestion."""
    result: Explanation = {
        "engine": ENGINE_VERSION,
        "score": _round(pair.score),
        "weights": ctx.weights.as_dict(),
        "factors": {name: _factor(part) for name, part in pair.parts.items()},
        "required": [_skill(m) for m in pair.required],
        "nice": [_skill(m) for m in pair.nice],
        "missing": [m.skill for m in (*pair.required, *pair.nice) if m.credit <= 0],
        "exposure": {
            "alpha": ctx.exposure.alpha,
            "allowance": ctx.exposure.allowance,
            "pending": pair.pending,
            "multiplier": _round(pair.multiplier),
        },
        "constraints": pair.constraints,
    }
    if pair.hours is not None:
        result["hours"] = pair.hours
    if pair.start is not None:
        result["start"] = pair.start
    if pair.presence is not None:
        onsite: OnSitePart = {
            "days": pair.presence.days,
            "needed": pair.presence.needed,
            "city": pair.presence.city,
        }
        if pair.presence.km is not None:
            onsite["km"] = round(pair.presence.km)
        result["onsite"] = onsite
    return result
