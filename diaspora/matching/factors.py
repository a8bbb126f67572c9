"""The score's factors, each in [0, 1], in scalar form (explanations, reference) and array form.

The scalar and array forms implement the same formulas; tests check they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from .inputs import MAX_LEVEL

FACTORS = ("required_skills", "nice_skills", "text", "sector", "hours", "timezone")

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


def hours_factor(expert_hours: float | None, project_hours: float | None) -> float | None:
    """Share of the project's monthly hours the expert can give, capped at 1; None if unknown."""
    if not project_hours or project_hours <= 0 or expert_hours is None:
        return None
    return min(1.0, max(0.0, expert_hours) / project_hours)


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
