"""A reader of an Arabic page (or email) reads each skill by its Arabic label when the concept
has one, whatever words the expert or the institution typed."""

import pytest

from diaspora.extensions import db
from diaspora.models import Visibility
from diaspora.taxonomy import get_taxonomy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

VISION = "الرؤية الحاسوبية"  # computer vision
LEARNING = "تعلم الآلة"  # machine learning


def in_arabic(client, user):
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    client.post("/language", data={"lang": "ar"})


def test_the_taxonomy_has_the_arabic_labels_these_tests_read():
    tax = get_taxonomy()
    assert tax.label(tax.normalise("computer vision").concept_id, "ar") == VISION
    assert tax.label(tax.normalise("machine learning").concept_id, "ar") == LEARNING


def test_project_page_in_arabic_names_the_skills_in_arabic(client, world):
    in_arabic(client, world.member)
    page = client.get(f"/projects/{world.vision.id}").get_data(as_text=True)
    assert VISION in page and LEARNING in page
    assert "computer vision" not in page  # the words typed, in English


def test_expert_profile_read_by_an_institution_in_arabic(client, world):
    world.expert.visibility = Visibility.INSTITUTIONS
    db.session.commit()
    in_arabic(client, world.member)
    page = client.get(f"/expert/profiles/{world.expert.ref}").get_data(as_text=True)
    assert VISION in page and LEARNING in page
    assert "computer vision" not in page


def test_own_profile_in_arabic_keeps_the_typed_words_and_says_how_they_were_understood(
    client, world
):
    for skill in world.expert.skills:
        skill.method = "exact"  # the world writes rows without saying how they were placed
    db.session.commit()
    in_arabic(client, world.expert.user)
    page = client.get("/expert/profile").get_data(as_text=True)
    assert "computer vision" in page  # what the expert typed
    assert f"«{VISION}»" in page  # what the platform understood, in Arabic


def test_explanations_of_the_experts_opportunities_in_arabic(client, world):
    in_arabic(client, world.expert.user)
    page = client.get("/opportunities/").get_data(as_text=True)
    assert f"«{VISION}»" in page and "«computer vision»" not in page
