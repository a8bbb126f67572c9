"""Hard constraints: a candidate failing any of them is never suggested.

Scalar form here (explanations, hand-added experts, the reference scorer); the index applies the
same rules to whole arrays at once.
"""

# No `from __future__ import annotations`: a TypedDict needs its annotations evaluated
# to tell its NotRequired keys (Python 3.11).

from datetime import date
from typing import Literal, NotRequired, TypedDict, get_args

from .inputs import Candidate, ProjectNeed, cefr_rank

ConstraintName = Literal[
    "consent", "recently_confirmed", "language", "mode", "capacity", "start_date", "not_excluded"
]
CONSTRAINTS: tuple[ConstraintName, ...] = get_args(ConstraintName)
MIN_LANGUAGE_RANK = cefr_rank("B2")  # B2, C1, C2 and native pass
MODE_BITS = {"remote": 1, "short_mission": 2, "long_term": 4}


class Outcome(TypedDict):
    """Each hard constraint's outcome for one pair (the keys of ``CONSTRAINTS``), plus the
    project language the expert speaks well enough, when there is one."""

    consent: bool
    recently_confirmed: bool
    language: bool
    mode: bool
    capacity: bool
    start_date: bool
    not_excluded: bool
    language_used: NotRequired[str]


def mode_bits(modes: frozenset[str]) -> int:
    """Bit set of the modes an expert accepts."""
    return sum(MODE_BITS[m] for m in modes if m in MODE_BITS)


def needed_mode_bits(project_mode: str) -> int:
    """Modes an expert must all accept: a hybrid project needs remote and short missions."""
    if project_mode == "hybrid":
        return MODE_BITS["remote"] | MODE_BITS["short_mission"]
    return MODE_BITS[project_mode]


def confirmation_cutoff(today: date) -> date:
    """Oldest confirmation date still valid: the same day twelve months before ``today``."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def good_languages(candidate: Candidate) -> frozenset[str]:
    """Language codes the candidate speaks at B2 or better."""
    return frozenset(
        code.lower()
        for code, level in candidate.languages.items()
        if cefr_rank(level) >= MIN_LANGUAGE_RANK
    )


def has_capacity(remaining: float | None, project: ProjectNeed) -> bool:
    """Whether the expert's remaining monthly hours (None: unknown) cover the project's hours,
    give or take its margin."""
    needed = project.hours_per_month
    if remaining is None or not needed or needed <= 0:
        return True
    return remaining >= needed * (1.0 - max(0.0, project.hours_margin)) - 1e-9


def can_start(available_from: date | None, project: ProjectNeed) -> bool:
    """Whether the expert is available when the project starts (or it accepts a later start)."""
    if project.flexible_start or project.starts_on is None or available_from is None:
        return True
    return available_from <= project.starts_on


def check(candidate: Candidate, project: ProjectNeed, today: date) -> Outcome:
    """Each hard constraint's outcome for one pair, plus the language that satisfied it."""
    spoken = good_languages(candidate)
    wanted = [code.lower() for code in project.languages]
    language = next((code for code in wanted if code in spoken), None)
    need = needed_mode_bits(project.mode)
    result: Outcome = {
        "consent": bool(candidate.consent),
        "recently_confirmed": candidate.confirmed_at is not None
        and candidate.confirmed_at >= confirmation_cutoff(today),
        "language": not wanted or language is not None,
        "mode": mode_bits(candidate.modes) & need == need,
        "capacity": has_capacity(candidate.remaining_hours(), project),
        "start_date": can_start(candidate.available_from, project),
        "not_excluded": candidate.id not in project.excluded,
    }
    if language is not None:
        result["language_used"] = language
    return result


def passes(outcome: Outcome) -> bool:
    """True when every hard constraint of a ``check`` outcome holds."""
    return all(outcome[name] for name in CONSTRAINTS)
