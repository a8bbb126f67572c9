"""A stored explanation read in words; any odd or missing part is skipped, never an error."""

import pytest

from diaspora.matches.wording import describe
from tests.matches.conftest import explanation


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_reasons_say_which_skill_met_which_requirement(english):
    reasons = describe(explanation())
    assert reasons.skills[0] == ("Meets «computer vision» (required, level 3) through "
                                 "«vision par ordinateur» level 4.")
    assert reasons.skills[1] == ("Meets «deep learning» (required, level 3) through "
                                 "«machine learning» level 4, a related skill of the same family.")
    assert reasons.skills[2] == "Does not show «Python» (nice to have, level 2)."
    assert ("Required skills", 90, 60) in reasons.factors


def test_the_engines_flat_skill_entries_read_the_same(english):
    stored = {"required": [{"skill": "computer vision", "min_level": 3, "met": True,
                            "credit": 1.0, "via": "vision par ordinateur", "level": 4,
                            "how": "exact"}],
              "exposure": {"pending": 6, "multiplier": 0.8}}
    reasons = describe(stored)
    assert reasons.skills == ["Meets «computer vision» (required, level 3) through "
                              "«vision par ordinateur» level 4."]
    assert "Score lowered by 20 %" in reasons.notes[0]


@pytest.mark.parametrize("stored", [
    None, [], "text", 42, {}, {"required": "x"}, {"required": [None, 5, {"skill": {"a": 1}}]},
    {"factors": {"text": "high", "hours": {"value": "x"}, "sector": float("nan")}},
    {"weights": [1], "factors": {"sector": {"value": 2.5, "weight": "?"}}},
    {"exposure": {"multiplier": "low"}, "exposure_penalty": None, "missing": [None, {}]},
])
def test_odd_explanations_are_skipped_not_an_error(english, stored):
    reasons = describe(stored)
    assert all(isinstance(s, str) for s in reasons.skills + reasons.notes)
    assert all(0 <= value <= 100 for _, value, _ in reasons.factors)
