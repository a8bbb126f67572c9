"""The score of one expert for one project, computed plainly, pair by pair.

This is the readable definition of the score. The index computes exactly the same thing for all
candidates at once with arrays; this form serves the explanations of the top suggestions, experts
an admin adds by hand, and the tests and benchmark that check the fast path against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from . import constraints, factors
from .inputs import Candidate, Exposure, ProjectNeed, Weights
from .relatedness import EXACT, METHOD_NAMES, MethodName


@dataclass(frozen=True)
class ScoringContext:
    """What scoring needs beyond the pair: settings, relatedness and skill weights."""

    weights: Weights
    exposure: Exposure
    related: Callable[[str], Mapping[str, tuple[float, int]]]
    skill_weight: Callable[[str], float]


@dataclass(frozen=True)
class SkillMatch:
    """How one project skill is met by the expert (credit 0 and via None when it is not).

    ``via`` is the expert skill that contributes most; ``also`` counts further related expert
    skills whose evidence was added in.
    """

    skill: str
    min_level: int
    weight: float
    credit: float
    via: str | None
    level: int | None
    method: int | None
    also: int


class HoursPart(TypedDict):
    """The expert's monthly hours (offered, already committed) against the project's, and
    the share of the project's hours by which they may fall short (the margin)."""

    offered: float
    committed: float
    needed: float
    margin: float


class StartPart(TypedDict):
    """The project's start date and the expert's first available day (ISO dates), and whether
    the project accepts a later start."""

    starts_on: str
    available_from: str
    flexible: bool


@dataclass(frozen=True)
class PairScore:
    """Everything computed for one pair."""

    score: float
    raw_score: float
    multiplier: float
    pending: int
    values: dict[str, float | None]
    parts: dict[str, factors.FactorPart]
    required: list[SkillMatch]
    nice: list[SkillMatch]
    constraints: constraints.Outcome
    presence: factors.Presence | None = None
    hours: HoursPart | None = None
    start: StartPart | None = None

    @property
    def eligible(self) -> bool:
        """True when the pair passes every hard constraint."""
        return constraints.passes(self.constraints)


def match_skill(
    held: Mapping[str, int], key: str, min_level: int, weight: float, ctx: ScoringContext
) -> SkillMatch:
    """Credit the expert's skills earn for one project skill, and which skill earns most.

    Holding the skill itself earns its level factor. Related skills are treated as independent
    pieces of evidence that the expert can cover the skill (noisy-or): 1 − Π(1 − credit_i), so
    one neighbouring skill earns a little and a whole neighbourhood earns nearly full credit —
    which is what tells an expert of the right trade from one who shares a single skill.
    The better of the two counts.
    """
    exact = factors.level_factor(held[key], min_level) if key in held else 0.0
    missing = 1.0
    best: tuple[float, str, int] | None = None
    others = 0
    for other, (related_credit, method) in ctx.related(key).items():
        level = held.get(other)
        if level is None:
            continue
        credit = related_credit * factors.level_factor(level, min_level)
        if credit <= 0:
            continue
        missing *= 1.0 - credit
        others += 1
        if best is None or credit > best[0]:
            best = (credit, other, method)
    related = 1.0 - missing
    if key in held and exact >= related:
        return SkillMatch(key, min_level, weight, exact, key, held[key], EXACT, 0)
    if best is None:
        return SkillMatch(key, min_level, weight, 0.0, None, None, None, 0)
    _, other, method = best
    return SkillMatch(key, min_level, weight, related, other, held[other], method, others - 1)


def coverage(
    held: Mapping[str, int], needs: tuple[tuple[str, int], ...], ctx: ScoringContext
) -> tuple[float | None, list[SkillMatch]]:
    """Weighted share of the project skills met; None when the project lists none.

    Each skill counts with its rarity weight, so a rare specialist skill matters more than one
    almost everybody lists.
    """
    matches = [match_skill(held, key, level, ctx.skill_weight(key), ctx) for key, level in needs]
    total = sum(m.weight for m in matches)
    if not matches or total <= 0:
        return None, matches
    return sum(m.weight * m.credit for m in matches) / total, matches


def expert_offset(candidate: Candidate, day: date) -> float | None:
    """The candidate's UTC offset on ``day``, from their time zone or fixed offset."""
    if candidate.timezone:
        offset = factors.utc_offset_hours(candidate.timezone, day)
        if offset is not None:
            return offset
    return candidate.utc_offset_hours


def score_pair(
    candidate: Candidate, project: ProjectNeed, ctx: ScoringContext, today: date
) -> PairScore:
    """Score one expert for one project (hard constraints are reported, not applied)."""
    held = candidate.skill_levels()
    required_value, required = coverage(held, project.required, ctx)
    nice_value, nice = coverage(held, project.nice, ctx)
    presence = factors.presence(candidate.on_site, project)
    remaining = candidate.remaining_hours()
    values: dict[str, float | None] = {
        "required_skills": required_value,
        "nice_skills": nice_value,
        "text": factors.text_factor(candidate.text_vector, project.text_vector),
        "sector": factors.sector_factor(candidate.sectors, project.sector),
        "hours": factors.hours_factor(remaining, project.hours_per_month, project.hours_margin),
        "timezone": factors.timezone_factor(expert_offset(candidate, today), project.mode, today),
        "onsite": None if presence is None else presence.value,
    }
    raw, parts = factors.combine(values, ctx.weights.as_dict())
    multiplier = ctx.exposure.multiplier(candidate.pending_invitations)
    return PairScore(
        # A weighted mean of values in [0, 1] can round a hair past 1: keep the promise.
        score=min(1.0, max(0.0, raw * multiplier)),
        raw_score=raw,
        multiplier=multiplier,
        pending=candidate.pending_invitations,
        values=values,
        parts=parts,
        required=required,
        nice=nice,
        constraints=constraints.check(candidate, project, today),
        presence=presence,
        hours=_hours_part(candidate, project),
        start=_start_part(candidate, project),
    )


def _hours_part(candidate: Candidate, project: ProjectNeed) -> HoursPart | None:
    if candidate.hours_per_month is None or not project.hours_per_month:
        return None
    return {
        "offered": float(candidate.hours_per_month),
        "committed": float(candidate.committed_hours),
        "needed": float(project.hours_per_month),
        "margin": float(project.hours_margin),
    }


def _start_part(candidate: Candidate, project: ProjectNeed) -> StartPart | None:
    if project.starts_on is None or candidate.available_from is None:
        return None
    return {
        "starts_on": project.starts_on.isoformat(),
        "available_from": candidate.available_from.isoformat(),
        "flexible": project.flexible_start,
    }


def method_name(method: int | None) -> MethodName | None:
    """Readable name of a relatedness method code."""
    return None if method is None else METHOD_NAMES[method]
