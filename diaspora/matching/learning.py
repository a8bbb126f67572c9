"""Factor weights fitted to people's decisions on suggested pairs, within bounds.

A pair's score is the engine's: the weighted sum of its known factors, the weights rescaled
over the factors known for the pair (`factors.combine`). The fit minimises a pairwise logistic
loss (every approved pair should score above every refused one) by projected gradient
descent: after each step the weights are put back inside their bounds (each within a share of
its configured value) and made to sum to 1. Small and readable on purpose: a few hundred
decisions, seven weights.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .factors import FACTORS

SHARPNESS = 10.0  # a score gap of 0.1 between two pairs already counts as well ordered
STEPS = 300
RATE = 0.5


@dataclass(frozen=True)
class Decisions:
    """Decided pairs: each row's factor values (0 where unknown), which are known, and
    whether people approved the pair."""

    values: np.ndarray  # (pairs, factors)
    known: np.ndarray  # (pairs, factors) bool
    positive: np.ndarray  # (pairs,) bool

    @classmethod
    def from_factors(cls, rows: list[Mapping[str, float | None]], positive: list[bool]):
        """From each pair's factor values by name (None or absent: unknown for the pair)."""
        values = np.array([[row.get(f) or 0.0 for f in FACTORS] for row in rows], dtype=float)
        known = np.array([[row.get(f) is not None for f in FACTORS] for row in rows], dtype=bool)
        return cls(
            values.reshape(-1, len(FACTORS)),
            known.reshape(-1, len(FACTORS)),
            np.array(positive, dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.positive)

    def take(self, rows: np.ndarray | slice) -> Decisions:
        return Decisions(self.values[rows], self.known[rows], self.positive[rows])


def as_vector(weights: Mapping[str, float]) -> np.ndarray:
    return np.array([float(weights.get(f, 0.0)) for f in FACTORS])


def as_mapping(vector: np.ndarray) -> dict[str, float]:
    """The weights by factor, to 4 decimals, still summing to 1 (the rounding's remainder goes
    to the largest)."""
    rounded = {f: round(float(w), 4) for f, w in zip(FACTORS, vector, strict=True)}
    largest = max(rounded, key=rounded.get)
    rounded[largest] = round(rounded[largest] + 1.0 - sum(rounded.values()), 4)
    return rounded


def scores(w: np.ndarray, d: Decisions) -> np.ndarray:
    """Each pair's score under weights `w`, rescaled over its known factors as the engine does."""
    total = (d.known * w).sum(axis=1)
    raw = (d.known * d.values * w).sum(axis=1)
    return np.divide(raw, total, out=np.zeros_like(raw), where=total > 0)


def auc(s: np.ndarray, positive: np.ndarray) -> float | None:
    """Share of (approved, refused) pairs the scores put in the right order (ties count half);
    None without both kinds."""
    pos, neg = s[positive], s[~positive]
    if not len(pos) or not len(neg):
        return None
    gap = pos[:, None] - neg[None, :]
    return float(((gap > 0) + 0.5 * (gap == 0)).mean())


def bounds(configured: np.ndarray, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Each weight within ± `spread` (a share) of its configured value."""
    return configured * (1 - spread), configured * (1 + spread)


def project(v: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The weights nearest to `v` inside [low, high] that sum to 1: clip(v − λ) with λ found by
    bisection (the sum falls as λ grows). Needs sum(low) ≤ 1 ≤ sum(high)."""
    lo, hi = float((v - high).min()), float((v - low).max())
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.clip(v - mid, low, high).sum() > 1:
            lo = mid
        else:
            hi = mid
    w = np.clip(v - (lo + hi) / 2, low, high)
    return w / w.sum()


def loss_and_gradient(w: np.ndarray, d: Decisions) -> tuple[float, np.ndarray]:
    """Mean of log(1 + exp(−k·(s_approved − s_refused))) over every such couple, and its
    gradient in the weights."""
    s = scores(w, d)
    pos, neg = np.flatnonzero(d.positive), np.flatnonzero(~d.positive)
    gap = s[pos][:, None] - s[neg][None, :]
    loss = float(np.logaddexp(0.0, -SHARPNESS * gap).mean())
    pull = -SHARPNESS / (1.0 + np.exp(SHARPNESS * gap)) / gap.size  # dloss/dgap
    dscore = np.zeros_like(s)
    dscore[pos] = pull.sum(axis=1)
    dscore[neg] = -pull.sum(axis=0)
    # d s_i / d w_f = known_if · (v_if − s_i) / (sum of the known weights of pair i)
    total = (d.known * w).sum(axis=1)
    slope = d.known * (d.values - s[:, None]) / np.where(total > 0, total, 1.0)[:, None]
    return loss, dscore @ slope


def fit(
    d: Decisions,
    start: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    progress: Callable[[int, float], None] | None = None,
) -> np.ndarray:
    """Weights within [low, high] summing to 1 that order the decisions best (lowest loss met
    along the way), starting from `start`. `progress(step, loss)` every 50 steps."""
    w = project(start, low, high)
    best, best_loss = w, loss_and_gradient(w, d)[0]
    for step in range(1, STEPS + 1):
        loss, gradient = loss_and_gradient(w, d)
        if loss < best_loss:
            best, best_loss = w, loss
        w = project(w - RATE * gradient, low, high)
        if progress is not None and step % 50 == 0:
            progress(step, best_loss)
    final = loss_and_gradient(w, d)[0]
    return w if final < best_loss else best
