"""Each factor of the score, in [0, 1], and how unknown factors are left out."""

from datetime import date

import numpy as np
import pytest
from conftest import TODAY

from diaspora.matching import Index, Weights
from diaspora.matching.factors import (
    combine,
    hours_factor,
    level_factor,
    overlap_fraction,
    sector_factor,
    text_factor,
    timezone_factor,
)


def test_level_factor_full_at_or_above_minimum_and_gentle_below():
    assert level_factor(4, 3) == 1.0
    assert level_factor(3, 3) == 1.0
    assert level_factor(2, 3) == pytest.approx(0.8)
    assert level_factor(1, 5) == pytest.approx(0.2)


def test_hours_factor_falls_smoothly_over_the_margin_and_is_full_when_hours_suffice():
    assert hours_factor(20, 8, 0.25) == 1.0
    assert hours_factor(8, 8, 0.25) == 1.0
    assert hours_factor(7, 8, 0.25) == pytest.approx(0.5)  # 1 h short of the 2 h allowed
    assert hours_factor(6, 8, 0.25) == 0.0
    assert hours_factor(0, 8, 0.25) == 0.0
    assert hours_factor(7, 8, 0.0) == 0.0
    # Continuous and monotone in the remaining hours.
    values = [hours_factor(h / 10, 8, 0.25) for h in range(50, 90)]
    assert values == sorted(values)
    assert max(b - a for a, b in zip(values, values[1:], strict=False)) < 0.06
    assert hours_factor(None, 8, 0.25) is None
    assert hours_factor(5, None, 0.25) is None


def test_sector_factor():
    assert sector_factor(frozenset({"health"}), "health") == 1.0
    assert sector_factor(frozenset({"water"}), "health") == 0.0
    assert sector_factor(frozenset(), "health") is None
    assert sector_factor(frozenset({"health"}), None) is None


def test_text_factor_is_clipped_cosine():
    a, b = np.array([1.0, 0.0]), np.array([0.6, 0.8])
    assert text_factor(a, b) == pytest.approx(0.6)
    assert text_factor(a, -a) == 0.0
    assert text_factor(a, None) is None


def test_timezone_overlap_with_moroccan_working_hours():
    summer = date(2026, 6, 1)
    assert timezone_factor(2.0, "remote", summer) == 1.0  # Paris in summer
    assert timezone_factor(4.0, "remote", summer) == 1.0  # Dubai: 8:00-20:00 local covers it
    assert timezone_factor(-4.0, "remote", summer) == pytest.approx(0.5)  # Montreal (EDT)
    assert timezone_factor(9.0, "hybrid", summer) == pytest.approx(0.375)  # Tokyo
    assert timezone_factor(-10.0, "short_mission", summer) == 1.0  # on site: irrelevant
    assert timezone_factor(None, "remote", summer) is None


def test_overlap_handles_windows_that_wrap_midnight():
    # UTC+14: the expert's day is 18:00-06:00 UTC; Morocco (UTC+1) works 08:00-16:00 UTC.
    assert overlap_fraction(np.array([14.0]), 1.0)[0] == 0.0
    assert overlap_fraction(np.array([-11.0]), 1.0)[0] == pytest.approx(0.0)
    assert overlap_fraction(np.array([12.0]), 1.0)[0] == pytest.approx(0.0)
    # UTC+10: 22:00-10:00 UTC, two hours of the Moroccan day.
    assert overlap_fraction(np.array([10.0]), 1.0)[0] == pytest.approx(0.25)


def test_unknown_factors_are_left_out_and_weights_rescaled():
    weights = Weights().as_dict()
    score, parts = combine(
        {
            "required_skills": 1.0,
            "nice_skills": None,
            "text": None,
            "sector": 0.0,
            "hours": None,
            "timezone": None,
        },
        weights,
    )
    share = weights["required_skills"] / (weights["required_skills"] + weights["sector"])
    assert score == pytest.approx(share)
    assert parts["nice_skills"] == {"value": None, "weight": 0.0, "contribution": 0.0}
    assert sum(p["weight"] for p in parts.values()) == pytest.approx(1.0)


def test_weights_must_sum_to_one_and_accept_overrides():
    with pytest.raises(ValueError):
        Weights(required_skills=0.9)
    w = Weights.from_mapping({"required_skills": 0.44, "nice_skills": 0.235})
    assert w.required_skills == 0.44
    with pytest.raises(TypeError):
        Weights.from_mapping({"charisma": 0.1})


def test_each_factor_moves_the_score(make_candidate, make_project):
    project = make_project(nice=(("sql", 2),), text_vector=np.array([1.0, 0.0]))
    base = dict(skills=(("python", 4), ("sql", 3)), text_vector=np.array([1.0, 0.0]))
    variants = {
        "required_skills": dict(skills=(("sql", 3),)),
        "nice_skills": dict(skills=(("python", 4),)),
        "text": dict(text_vector=np.array([0.0, 1.0])),
        "sector": dict(sectors=frozenset({"water"})),
        "hours": dict(hours_per_month=2),
        "timezone": dict(timezone="Pacific/Auckland"),
    }
    best = make_candidate(0, **base)
    worse = [make_candidate(i, **{**base, **v}) for i, v in enumerate(variants.values(), 1)]
    index = Index.build([best, *worse])
    scores = index.scores(project, TODAY)
    for i, factor in enumerate(variants, 1):
        assert scores[i] < scores[0], factor
        suggestion = index.explain(project, i, TODAY)
        assert suggestion.factors[factor] < 1.0, factor
