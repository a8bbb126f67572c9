"""Experts choose which sections of their profile verified institutions see, in search
results and on the profile page; admins see everything, and nobody is found by what they
hide."""

import json
import re

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, ProfileSection
from diaspora.services import match_index
from tests.experts.conftest import profile_form
from tests.search.conftest import found

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

EVERY_SECTION = list(ProfileSection.ALL)


def hide(profile, sections):
    profile.hidden_sections = sections
    db.session.commit()


def result_of(html: str, ref: str) -> str:
    """The part of a results page about one expert."""
    return html.split(f"/expert/profiles/{ref}", 1)[1].split("</li>", 1)[0]


def test_the_search_shows_a_member_only_what_the_expert_shows(pool, login_as):
    salma = pool.profiles["E-SALMA"]
    member = login_as(pool.member)
    before = result_of(member.get("/search/experts?skill=CV").text, "E-SALMA")
    assert "Paris" in before and "20 hours a month" in before
    assert "level 5" in before and "Arabic (Native)" in before
    hide(salma, EVERY_SECTION)
    after = result_of(member.get("/search/experts?skill=CV").text, "E-SALMA")
    for shown in ("Paris", "20 hours a month", "level 5", "Arabic"):
        assert shown not in after
    assert "Salma Bennani" in after and "France" in after and "«computer vision»" in after
    admin = result_of(login_as(pool.admin).get("/search/experts?skill=CV").text, "E-SALMA")
    assert "Paris" in admin and "level 5" in admin and "Arabic (Native)" in admin


@pytest.mark.parametrize(
    "section, args",
    [
        (ProfileSection.CITY, {"city": "Paris"}),
        (ProfileSection.LANGUAGES, {"language": "ar", "level": "C2"}),
        (ProfileSection.AVAILABILITY, {"hours": "20"}),
        (ProfileSection.AVAILABILITY, {"available": "2030-01-01"}),
    ],
)
def test_nobody_is_found_by_what_they_hide_except_by_admins(pool, login_as, section, args):
    hide(pool.profiles["E-SALMA"], [section])
    args = {"skill": "CV", **args}
    assert "E-SALMA" not in found(
        login_as(pool.member).get("/search/experts", query_string=args).text
    )
    assert "E-SALMA" in found(login_as(pool.admin).get("/search/experts", query_string=args).text)


def test_the_profile_page_shows_a_member_only_what_the_expert_shows(pool, login_as):
    salma = pool.profiles["E-SALMA"]
    salma.years_experience = 12
    hide(salma, EVERY_SECTION)
    page = login_as(pool.member).get("/expert/profiles/E-SALMA").text
    # What a person reads: not tags, attributes (a random CSRF token may hold "12") or
    # character references (the bell's &#128276;).
    page = re.sub(r"<[^>]*>|&#?\w+;", " ", page)
    for kept in ("Paris", "A bio long enough", "level 5 of 5", "Hours a month", "12"):
        assert kept not in page, kept
    assert "Not shown to institutions." in page and "France" in page
    admin = login_as(pool.admin).get("/expert/profiles/E-SALMA").text
    for shown in ("Paris", "A bio long enough", "level 5 of 5", "Hours a month", "12"):
        assert shown in admin, shown
    own = login_as(salma.user).get("/expert/profile").text
    assert "A bio long enough" in own and "Kept from institutions:" in own
    assert "My city (your country still shows)" in own


def test_an_expert_chooses_the_sections_on_the_profile_form(pool, login_as):
    salma = pool.profiles["E-SALMA"]
    client = login_as(salma.user)
    response = client.post(
        "/expert/profile/edit", data=profile_form(hidden_sections=["city", "languages"])
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ExpertProfile, salma.id).hidden_sections == ["city", "languages"]
    exported = json.loads(client.post("/expert/data/export").get_data(as_text=True))
    assert exported["profile"]["hidden_from_institutions"] == ["city", "languages"]
    edit = client.get("/expert/profile/edit").text
    assert 'checked class="form-check-input" id="hidden_sections-0"' in edit  # city
    assert 'checked class="form-check-input" id="hidden_sections-1"' not in edit  # bio
    # Saving without ticking anything shows everything again.
    client.post("/expert/profile/edit", data=profile_form())
    db.session.expire_all()
    assert db.session.get(ExpertProfile, salma.id).hidden_sections == []


def test_a_forged_section_is_refused_and_nothing_is_saved(pool, login_as):
    salma = pool.profiles["E-SALMA"]
    response = login_as(salma.user).post(
        "/expert/profile/edit", data=profile_form(hidden_sections=["city", "email"])
    )
    assert response.status_code == 200
    assert "Choose the parts of your profile from the list." in response.text
    db.session.expire_all()
    assert db.session.get(ExpertProfile, salma.id).hidden_sections == []


def test_a_change_of_sections_reaches_the_index_of_every_process(pool, login_as):
    member = login_as(pool.member)
    assert "E-SALMA" in found(member.get("/search/experts?skill=CV&city=Paris").text)
    login_as(pool.profiles["E-SALMA"].user).post(
        "/expert/profile/edit",
        data=profile_form(city="Paris", country="FR", hidden_sections=["city"]),
    )
    assert "E-SALMA" not in found(member.get("/search/experts?skill=CV&city=Paris").text)
    match_index.forget_index()  # a process that builds its index now reads the same
    assert "E-SALMA" not in found(member.get("/search/experts?skill=CV&city=Paris").text)


def test_the_engine_and_the_models_name_the_sections_alike():
    from diaspora.matching import search

    assert set(search.HIDEABLE) <= set(ProfileSection.ALL)


def test_the_api_reads_and_sets_the_sections_and_leaves_them_when_not_said(pool, api, token_for):
    salma = pool.profiles["E-SALMA"]
    token = token_for(salma.user)
    profile = {
        "country": "FR",
        "city": "Paris",
        "consent_matching": True,
        "visibility": "institutions",
        "skills": [{"name": "computer vision", "level": 5}],
    }
    saved = api.put("/api/v1/me/profile", token, json={**profile, "hidden_sections": ["bio"]})
    assert saved.status_code == 200, saved.json
    assert saved.json["hidden_sections"] == ["bio"]
    again = api.put("/api/v1/me/profile", token, json=profile)
    assert again.json["hidden_sections"] == ["bio"]
    forged = api.put("/api/v1/me/profile", token, json={**profile, "hidden_sections": ["email"]})
    assert forged.status_code == 422
