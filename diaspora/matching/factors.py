"""The score's factors, each in [0, 1], in scalar form (explanations, reference) and array form.

The scalar and array forms implement the same formulas; tests check they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from .inputs import MAX_LEVEL, ON_SITE_MODES, OnSiteWindow, ProjectNeed

FACTORS = ("required_skills", "nice_skills", "text", "sector", "hours", "timezone", "onsite")

# One level below the project's minimum keeps 80 % of the credit: levels are self-declared and
# a near miss is still a useful expert, so the penalty is gentle rather than a cliff.
LEVEL_GAP_PENALTY = 0.2

# Moroccan institutions' working day, local time, and the part of an expert's own day in which a
# call or a working session is reasonable (wider than office hours: diaspora experts contribute
# around their main job).
MOROCCO_TZ = "Africa/Casablanca"
MOROCCO_DAY = (9.0, 17.0)
EXPERT_DAY = (8.0, 20.0)
REMOTE_MODES = frozenset({"remote", "hybrid"})

# A month in Morocco during an on-site project's dates is full presence: missions last days or
# weeks, so a long project does not ask for every one of its days on site.
FULL_PRESENCE_DAYS = 30
# Presence in a city this far from the project's counts half (a day's return trip or so).
HALF_CREDIT_KM = 300.0
EARTH_RADIUS_KM = 6371.0


class FactorPart(TypedDict):
    """One factor of a pair's score: its value (None when unknown for the pair, then left out),
    its effective weight (rescaled over the known factors) and its contribution to the score."""

    value: float | None
    weight: float
    contribution: float


def level_factor(level: int, min_level: int) -> float:
    """Credit for holding a skill at ``level`` when ``min_level`` is wanted."""
    gap = min_level - level
    return 1.0 if gap <= 0 else max(0.0, 1.0 - LEVEL_GAP_PENALTY * gap)


def level_table() -> np.ndarray:
    """``table[min_level, level]`` = level_factor(level, min_level), for array lookups;
    level 0 (the skill is not held: an index's entry taken out) earns nothing."""
    size = MAX_LEVEL + 1
    return np.array(
        [[level_factor(lv, m) if lv else 0.0 for lv in range(size)] for m in range(size)],
        dtype=np.float64,
    )


def hours_factor(
    remaining: float | None, project_hours: float | None, margin: float
) -> float | None:
    """1 when the expert's remaining monthly hours cover the project's, falling linearly to 0
    at the largest shortfall the margin allows (``margin`` × the project's hours; beyond it the
    ``capacity`` constraint leaves the expert out); None if unknown."""
    if not project_hours or project_hours <= 0 or remaining is None:
        return None
    shortfall = project_hours - max(0.0, remaining)
    if shortfall <= 0:
        return 1.0
    allowed = max(0.0, margin) * project_hours
    return 0.0 if allowed <= 0 else max(0.0, 1.0 - shortfall / allowed)


def hours_factors(remaining: np.ndarray, project_hours: float, margin: float) -> np.ndarray:
    """``hours_factor`` of an array of remaining hours (NaN where unknown gives any value)."""
    shortfall = project_hours - np.clip(remaining, 0.0, None)
    allowed = max(0.0, margin) * project_hours
    if allowed <= 0:
        return (shortfall <= 0).astype(np.float64)
    return np.clip(1.0 - shortfall / allowed, 0.0, 1.0)


def on_site_period(project: ProjectNeed) -> tuple[int, int] | None:
    """First and last day (ordinals) an on-site or hybrid project needs the expert in Morocco;
    None for a remote project or one without a start date (presence then says nothing)."""
    if project.mode not in ON_SITE_MODES or project.starts_on is None:
        return None
    start = project.starts_on.toordinal()
    end = project.ends_on.toordinal() if project.ends_on else start + FULL_PRESENCE_DAYS - 1
    return start, max(start, end)


def needed_days(period: tuple[int, int]) -> int:
    """Days of presence that earn full credit for a period."""
    return min(period[1] - period[0] + 1, FULL_PRESENCE_DAYS)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (scalars or arrays of degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def proximity(km):
    """Credit of a presence ``km`` away from the project's place: 1 there, ½ at
    ``HALF_CREDIT_KM``; NaN (either place unknown) counts fully."""
    return np.where(np.isnan(km), 1.0, 1.0 / (1.0 + np.nan_to_num(km) / HALF_CREDIT_KM))


@dataclass(frozen=True)
class Presence:
    """An expert's presence in Morocco during an on-site project's dates: the factor's
    ``value``, the ``days`` present (of the ``needed`` for full credit), and the window that
    counts most (its city and distance to the project's place, None when unknown)."""

    value: float
    days: int
    needed: int
    city: str
    km: float | None


def presence(windows: tuple[OnSiteWindow, ...], project: ProjectNeed) -> Presence | None:
    """Days in Morocco during the project's dates, each worth its city's ``proximity``, over
    ``needed_days`` (at most 1); None when the project is remote or has no dates."""
    period = on_site_period(project)
    if period is None:
        return None
    needed = needed_days(period)
    credit, days, best = 0.0, 0, (0.0, "", None)
    for w in windows:
        overlap = min(w.end.toordinal(), period[1]) - max(w.start.toordinal(), period[0]) + 1
        if overlap <= 0:
            continue
        km = None
        if None not in (w.latitude, w.longitude, project.latitude, project.longitude):
            km = float(distance_km(w.latitude, w.longitude, project.latitude, project.longitude))
        earned = overlap * float(proximity(np.float64(np.nan if km is None else km)))
        credit += earned
        days += overlap
        if earned > best[0]:
            best = (earned, w.city, km)
    span = period[1] - period[0] + 1
    return Presence(min(1.0, credit / needed), min(days, span), needed, best[1], best[2])


def sector_factor(expert_sectors: frozenset[str], project_sector: str | None) -> float | None:
    """1 if the expert lists the project's sector, 0 if they list others, None if unknown."""
    if not project_sector or not expert_sectors:
        return None
    return 1.0 if project_sector in expert_sectors else 0.0


def text_factor(expert_vec: np.ndarray | None, project_vec: np.ndarray | None) -> float | None:
    """Cosine of two L2-normalised vectors, negative values clipped to 0; None if either absent."""
    if expert_vec is None or project_vec is None:
        return None
    return float(min(1.0, max(0.0, float(np.dot(expert_vec, project_vec)))))


@lru_cache(maxsize=4096)
def utc_offset_hours(tz_name: str, day: date) -> float | None:
    """UTC offset of an IANA zone at noon UTC on ``day``, in hours; None if the zone is unknown."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    moment = datetime.combine(day, time(12)).replace(tzinfo=ZoneInfo("UTC"))
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return offset.total_seconds() / 3600.0


def overlap_fraction(expert_offsets: np.ndarray, morocco_offset: float) -> np.ndarray:
    """Share of the Moroccan working day that falls inside each expert's reasonable day.

    Both windows are moved to UTC and compared on a 24-hour circle (a window may wrap midnight).
    """
    offsets = np.asarray(expert_offsets, dtype=np.float64)
    ma_start, ma_end = MOROCCO_DAY[0] - morocco_offset, MOROCCO_DAY[1] - morocco_offset
    ex_start, ex_end = EXPERT_DAY[0] - offsets, EXPERT_DAY[1] - offsets
    overlap = np.zeros_like(offsets)
    for shift in (-24.0, 0.0, 24.0):
        overlap += np.clip(
            np.minimum(ma_end, ex_end + shift) - np.maximum(ma_start, ex_start + shift), 0.0, None
        )
    return np.minimum(1.0, overlap / (MOROCCO_DAY[1] - MOROCCO_DAY[0]))


def timezone_factor(expert_offset: float | None, project_mode: str, day: date) -> float | None:
    """Time-zone overlap for remote or hybrid work; 1 for on-site modes; None if unknown."""
    if project_mode not in REMOTE_MODES:
        return 1.0
    if expert_offset is None:
        return None
    morocco = utc_offset_hours(MOROCCO_TZ, day) or 0.0
    return float(overlap_fraction(np.array([expert_offset]), morocco)[0])


def combine(
    values: Mapping[str, float | None], weights: Mapping[str, float]
) -> tuple[float, dict[str, FactorPart]]:
    """Weighted sum over the known factors, weights rescaled to sum to 1 over them.

    Returns the score and, per factor, its value, effective weight and contribution.
    """
    known = {f: v for f, v in values.items() if v is not None and weights[f] > 0}
    total = sum(weights[f] for f in known)
    parts: dict[str, FactorPart] = {}
    score = 0.0
    for f in FACTORS:
        value = values.get(f)
        if f in known:
            eff = weights[f] / total
            score += eff * known[f]
            parts[f] = {"value": known[f], "weight": eff, "contribution": eff * known[f]}
        else:
            parts[f] = {"value": value, "weight": 0.0, "contribution": 0.0}
    return score, parts
