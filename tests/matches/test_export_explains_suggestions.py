"""An expert's data export says why they were suggested for each project, in their own
language, suggestions still under review included (the right of access covers profiling)."""

import json

import pytest

from diaspora.extensions import db
from diaspora.services import reviews
from tests.conftest import PASSWORD

SENTENCES = {
    "en": "Does not show «Python (computer programming)» (nice to have, level 2).",
    "fr": "Ne fait pas état de «\xa0Python\xa0» (souhaitable, niveau 2).",
}


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_each_match_in_the_export_carries_its_explanation_in_the_experts_language(
    client, auth, world, make_project, make_match, locale
):
    salma = world.expert.user
    salma.locale = locale
    db.session.commit()
    invited = make_match(world.project, world.expert)
    reviews.approve(world.admin, invited.id)
    under_review = make_match(
        make_project(world.institution, title="Triage"), world.expert, score=0.64
    )
    stored = {invited.id: invited.explanation, under_review.id: under_review.explanation}

    auth.login(salma.email, PASSWORD)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"  # the page's language is not the point
    data = json.loads(client.post("/expert/data/export").get_data(as_text=True))

    matches = {m["status"]: m for m in data["matches"]}
    assert set(matches) == {"invited", "suggested"}
    assert matches["suggested"]["under_review"] is True and matches["suggested"]["note"]
    assert matches["invited"]["under_review"] is False and matches["invited"]["note"] is None
    for match in matches.values():
        assert match["explanation"] in stored.values()
        assert SENTENCES[locale] in match["why"]["skills"]
        assert {f["factor"] for f in match["why"]["factors"]} >= {
            "Required skills" if locale == "en" else "Compétences obligatoires"
        }
