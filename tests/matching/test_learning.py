"""The weight fit: bounded, summing to 1, and moved by what the decisions say."""

import numpy as np

from diaspora.matching import FACTORS, Weights, learning

DEFAULTS = learning.as_vector(Weights().as_dict())


def decisions(n=60, seed=1):
    """Approved pairs cover the required skills; refused ones have the closer biographies."""
    rng = np.random.default_rng(seed)
    rows, positive = [], []
    for i in range(n):
        good = i % 2 == 0
        row = {f: float(rng.uniform(0.3, 0.7)) for f in FACTORS}
        row["required_skills"] = float(rng.uniform(0.7, 1.0) if good else rng.uniform(0.2, 0.6))
        row["text"] = float(rng.uniform(0.1, 0.4) if good else rng.uniform(0.6, 0.9))
        row["onsite"] = None  # unknown for remote projects: left out of the score
        rows.append(row)
        positive.append(good)
    return learning.Decisions.from_factors(rows, positive)


def test_projection_keeps_each_weight_in_bounds_and_the_sum_at_one():
    low, high = learning.bounds(DEFAULTS, 0.5)
    w = learning.project(np.array([5.0, 0, 0, 0, 0, 0, 0]), low, high)
    assert abs(w.sum() - 1) < 1e-9
    assert np.all(w >= low - 1e-9) and np.all(w <= high + 1e-9)


def test_the_fit_follows_the_decisions_within_bounds():
    data = decisions()
    low, high = learning.bounds(DEFAULTS, 0.5)
    steps = []
    fitted = learning.fit(data, DEFAULTS, low, high, lambda step, loss: steps.append(step))
    weights = dict(zip(FACTORS, fitted, strict=True))
    assert weights["required_skills"] > Weights().required_skills
    assert weights["text"] < Weights().text
    assert np.all(fitted >= low - 1e-9) and np.all(fitted <= high + 1e-9)
    assert Weights(**learning.as_mapping(fitted))  # a valid set: sums to 1
    assert steps == [50, 100, 150, 200, 250, 300]
    before = learning.auc(learning.scores(DEFAULTS, data), data.positive)
    after = learning.auc(learning.scores(fitted, data), data.positive)
    assert after >= before


def test_auc_counts_well_ordered_pairs_and_needs_both_kinds():
    assert learning.auc(np.array([0.9, 0.1]), np.array([True, False])) == 1.0
    assert learning.auc(np.array([0.5, 0.5]), np.array([True, False])) == 0.5
    assert learning.auc(np.array([0.5]), np.array([True])) is None
