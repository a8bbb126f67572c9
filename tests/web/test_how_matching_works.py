"""The public page "how matching works" says what the engine does from its live configuration:
change the weights, the fair-exposure settings or the recorded quality and the page follows."""

import json

import pytest
from flask import render_template_string

from diaspora.matching import CONSTRAINTS, ENGINE_VERSION, FACTORS
from diaspora.matching.inputs import Weights
from diaspora.services import transparency

WEIGHTS = {
    "required_skills": 0.45,
    "nice_skills": 0.2,
    "text": 0.075,
    "sector": 0.075,
    "hours": 0.1,
    "timezone": 0.05,
    "onsite": 0.05,
}


def rows(html: str) -> list[str]:
    """The factors table's weights, in order."""
    table = html.split('id="factors-title"', 1)[1].split("</table>", 1)[0]
    return [cell.split("<")[0].strip() for cell in table.split('text-end text-nowrap">')[1:]]


def test_the_page_shows_the_engines_default_weights_as_percentages(client):
    html = client.get("/how-matching-works").get_data(as_text=True)
    defaults = Weights().as_dict()
    assert rows(html) == [f"{transparency.wording.percent(defaults[f])} %" for f in FACTORS]
    assert "{" not in html.split("<main", 1)[1]  # never JSON
    assert ENGINE_VERSION in html


@pytest.mark.config(
    MATCH_WEIGHTS=WEIGHTS,
    MATCH_EXPOSURE={"alpha": 0.25, "allowance": 1},
    MATCH_WEIGHTS_SINCE="2027-02-01",
    CONTEST_DAYS=10,
)
def test_the_page_follows_the_configured_weights_and_settings(client):
    html = client.get("/how-matching-works", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert rows(html) == ["45 %", "20 %", "7.5 %", "7.5 %", "10 %", "5 %", "5 %"]
    assert "first 1 invitations" not in html and "first invitation still waiting" in html
    assert "2 invitations waiting: scores lowered by 20 %" in html  # 1 / (1 + 0.25)
    assert "February 1, 2027" in html
    assert "within 10 days" in html
    # The quality was measured with the default weights: the page says it is not current.
    assert "measured with other weights" in html


def test_every_hard_constraint_and_factor_is_put_into_words(app):
    assert set(transparency.CONSTRAINT_SENTENCES) == set(CONSTRAINTS)
    assert set(transparency.FACTOR_SENTENCES) == set(FACTORS)
    with app.test_request_context():
        page = transparency.how_it_works()
    assert len(page.constraints) == len(CONSTRAINTS)
    assert any("B2" in sentence for sentence in page.constraints)


def test_the_measured_quality_comes_from_the_recorded_file(client, monkeypatch, tmp_path):
    recorded = tmp_path / "quality.json"
    figures = {
        "ndcg_at_10": 0.912,
        "precision_at_10": 0.9,
        "mrr": 0.95,
        "violations": 0,
        "engine": ENGINE_VERSION,
        "weights": Weights().as_dict(),
        "text_vectors": True,
        "measured_on": "2026-11-26",
        "command": "python bench/quality.py --record",
        "labelled_set": "shared/data/matching-dev",
    }
    recorded.write_text(json.dumps(figures))
    monkeypatch.setattr(transparency, "QUALITY_FILE", recorded)
    transparency._measured.cache_clear()
    try:
        html = client.get("/how-matching-works").get_data(as_text=True)
    finally:
        transparency._measured.cache_clear()
    assert "0.912" in html and "python bench/quality.py --record" in html
    assert "measured with other weights" not in html


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_page_answers_in_every_language(client, lang):
    response = client.get("/how-matching-works", headers={"Accept-Language": lang})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'lang="{lang}"' in html
    assert ('dir="rtl"' in html) is (lang == "ar")


def test_explanations_link_to_the_page(client, app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "invitations/_reasons.html" import reasons_block %}{{ reasons_block({}) }}'
        )
    assert "/how-matching-works" in html
