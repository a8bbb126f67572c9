"""The stored explanation of a suggestion: small, JSON-serialisable, enough to say why in words."""

from __future__ import annotations

from typing import Any

from .scoring import PairScore, ScoringContext, SkillMatch, method_name

ENGINE_VERSION = "matching-1.0"
DIGITS = 4  # stored precision: plenty for display, keeps the JSON short


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS)


def _skill(match: SkillMatch) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "skill": match.skill,
        "min_level": match.min_level,
        "met": match.credit > 0,
        "credit": _round(match.credit),
    }
    if match.via is not None:
        entry.update(via=match.via, level=match.level, how=method_name(match.method))
    if match.also:
        entry["also"] = match.also
    return entry


def explanation(pair: PairScore, ctx: ScoringContext) -> dict[str, Any]:
    """The explanation of one scored pair, as stored with the suggestion."""
    return {
        "engine": ENGINE_VERSION,
        "score": _round(pair.score),
        "weights": ctx.weights.as_dict(),
        "factors": {
            name: {key: _round(value) for key, value in part.items()}
            for name, part in pair.parts.items()
        },
        "required": [_skill(m) for m in pair.required],
        "nice": [_skill(m) for m in pair.nice],
        "missing": [m.skill for m in (*pair.required, *pair.nice) if m.credit <= 0],
        "exposure": {
            **ctx.exposure.as_dict(),
            "pending": pair.pending,
            "multiplier": _round(pair.multiplier),
        },
        "constraints": pair.constraints,
    }
