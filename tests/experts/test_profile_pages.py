"""An expert builds and keeps up their profile through the pages alone."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry
from diaspora.models.base import utcnow
from diaspora.taxonomy import get_taxonomy
from tests.experts.conftest import profile_form, profile_of

MACHINE_LEARNING = get_taxonomy().normalise("machine learning").concept_id


def page(response) -> str:
    return response.get_data(as_text=True)


def test_expert_builds_a_complete_profile_through_the_pages(client, expert, save_profile):
    assert "Build your profile" in page(client.get("/dashboard"))

    form_page = client.get("/expert/profile/edit")
    assert form_page.status_code == 200
    empty_rows = page(form_page)
    assert 'name="languages-1-code"' in empty_rows and 'name="skills-2-name"' in empty_rows
    assert profile_of(expert) is None  # created by the first save, not by looking

    # "Add another skill" without JavaScript: one more empty row, nothing saved yet.
    more = client.post("/expert/profile/edit", data=profile_form(add="skill"))
    assert 'name="skills-3-name"' in page(more)
    assert profile_of(expert) is None

    response = save_profile(**{"skills-3-name": "xqzzv blorf", "skills-3-level": "2"})
    assert response.status_code == 302 and response.location.endswith("/expert/profile")

    shown = page(client.get("/expert/profile"))
    assert "Your profile is saved." in shown
    assert "Montréal" in shown and "Canada" in shown and "America/Toronto" in shown
    assert "«computer vision»" in shown and "kept as typed" in shown
    assert "Your profile is complete." in shown
    assert "Last confirmed on" in shown
    assert "100 %" in page(client.get("/dashboard"))

    profile = profile_of(expert)
    assert profile.timezone == "America/Toronto"  # derived from the city
    assert [(lang.code, lang.level) for lang in profile.languages] == [
        ("ar", "native"),
        ("fr", "C2"),
    ]
    assert profile.sectors == ["health", "education"] and profile.modes == [
        "remote",
        "short_mission",
    ]
    assert (profile.hours_per_month, profile.years_experience) == (12, 10)
    assert str(profile.available_from) == "2027-01-15"
    assert profile.linkedin == "https://www.linkedin.com/in/salma-bennani"
    assert profile.confirmed_at is not None


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_profile_pages_render_in_french_and_arabic(client, expert, lang):
    client.post("/language", data={"lang": lang, "next": "/expert/profile/edit"})
    edit = page(client.get("/expert/profile/edit"))
    assert f'lang="{lang}"' in edit
    assert ('dir="rtl"' in edit) == (lang == "ar")
    assert "Canada" in edit or "كندا" in edit  # country names in the reader's language

    skill = "تعلم الآلة" if lang == "ar" else "apprentissage automatique"
    response = client.post("/expert/profile/edit", data=profile_form(**{"skills-0-name": skill}))
    assert response.status_code == 302
    shown = page(client.get("/expert/profile"))
    assert get_taxonomy().label(MACHINE_LEARNING, lang) in shown
    assert ('dir="rtl"' in shown) == (lang == "ar")
    if lang == "ar":
        assert "كندا" in shown
    assert profile_of(expert).skills[0].concept_id == MACHINE_LEARNING
    for url in ("/dashboard", "/expert/data"):
        assert client.get(url).status_code == 200


def test_completeness_says_what_is_missing_and_links_to_the_section(client, expert, save_profile):
    save_profile(
        **{
            "skills-1-name": None,
            "skills-2-name": None,
            "languages-0-code": None,
            "languages-0-level": None,
            "languages-1-code": None,
            "languages-1-level": None,
            "bio": "Short.",
        }
    )
    shown = page(client.get("/expert/profile"))
    assert "Add at least 3 skills." in shown and 'href="/expert/profile/edit#skills"' in shown
    assert "Say which languages you speak." in shown
    assert "Write a short bio" in shown
    assert "Your profile is complete." not in shown

    save_profile()
    shown = page(client.get("/expert/profile"))
    assert "Add at least 3 skills." not in shown and "Your profile is complete." in shown


def test_ambiguous_place_asks_for_a_time_zone_and_a_chosen_zone_is_kept(
    client, expert, save_profile
):
    save_profile(country="US", city="Springfield")
    assert profile_of(expert).timezone is None
    assert "Choose your time zone" in page(client.get("/expert/profile"))
    save_profile(country="US", city="Springfield", timezone="America/Chicago")
    assert profile_of(expert).timezone == "America/Chicago"
    assert 'selected value="America/Chicago"' in page(client.get("/expert/profile/edit"))


def test_skills_are_normalised_and_unknown_ones_kept_as_typed(client, expert, save_profile):
    save_profile(
        **{"skills-0-name": "  ML ", "skills-3-name": "xqzzv blorf", "skills-3-level": "2"}
    )
    skills = {s.name: s for s in profile_of(expert).skills}
    assert skills["ML"].concept_id == MACHINE_LEARNING and skills["ML"].method == "alias"
    assert skills["xqzzv blorf"].concept_id is None and skills["xqzzv blorf"].method == "free"
    assert skills["xqzzv blorf"].level == 2


def test_two_names_for_one_skill_are_refused(client, expert, save_profile):
    response = save_profile(**{"skills-3-name": "apprentissage automatique", "skills-3-level": "2"})
    assert response.status_code == 200
    assert "are the same skill" in page(response) and "keep one" in page(response)
    assert profile_of(expert) is None


def test_removing_and_relevelling_skills_keeps_the_others(client, expert, save_profile):
    save_profile()
    save_profile(**{"skills-1-remove": "y", "skills-2-level": "2"})
    skills = {s.name: s.level for s in profile_of(expert).skills}
    assert skills == {"ML": 4, "Python": 2}


BAD_FIELDS = [
    ("country", "ZZ", "Choose your country from the list."),
    ("timezone", "Mars/Olympus_Mons", "Choose a time zone from the list."),
    ("hours_per_month", "0", "Give a number of hours from 1 to 160."),
    ("hours_per_month", "161", "Give a number of hours from 1 to 160."),
    ("hours_per_month", "99999999999999999999999", "Give a number of hours from 1 to 160."),
    ("hours_per_month", "ten", "Enter a whole number"),
    ("hours_per_month", "1e3", "Enter a whole number"),
    ("years_experience", "71", "Give a number of years from 0 to 70."),
    ("years_experience", "-1", "Give a number of years from 0 to 70."),
    ("linkedin", "https://evil.example.com/in/salma", "Give the address of your LinkedIn profile"),
    ("linkedin", "https://linkedin.com.evil.org/in/x", "Give the address of your LinkedIn profile"),
    ("linkedin", "javascript:alert(1)", "Give the address of your LinkedIn profile"),
    ("available_from", "2027-13-45", "Enter a date as YYYY-MM-DD"),
    ("available_from", "31/12/2027", "Enter a date as YYYY-MM-DD"),
    ("available_from", "1900-01-01", "Give a date between 2000 and 2100."),
    ("visibility", "everyone", "Choose who may see your profile."),
    ("sectors", ["health", "space"], "Choose sectors from the list."),
    ("modes", ["teleport"], "Choose ways of working from the list."),
    ("headline", "x" * 201, "Use at most 200 characters."),
    ("bio", "x" * 5001, "Use at most 5000 characters."),
    ("city", "x" * 121, "Use at most 120 characters."),
    ("languages-1-code", "xx-evil", "Choose a language from the list."),
    ("languages-1-level", "", "Choose your level in French."),
    ("languages-1-level", "D9", "Choose your level in French."),
    ("languages-1-code", "ar", "is listed twice."),
    ("skills-2-level", "9", "Choose a level from 1 to 5 for «Python»."),
    ("skills-2-level", "high", "Choose a level from 1 to 5 for «Python»."),
    ("skills-2-name", "x" * 201, "characters or fewer"),
    ("skills-2-name", "ml", "is listed twice."),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_FIELDS)
def test_a_bad_field_gets_a_clear_message_and_nothing_is_saved(
    client, expert, save_profile, name, value, message
):
    save_profile()
    before = profile_of(expert)
    snapshot = (before.headline, before.hours_per_month, [s.name for s in before.skills])
    response = save_profile(
        **{"headline": "A new headline", name: value} if name != "headline" else {name: value}
    )
    assert response.status_code == 200
    shown = page(response)
    assert "Nothing was saved" in shown
    assert message in shown.replace("&#34;", '"').replace("&#39;", "'")
    db.session.expire_all()
    after = profile_of(expert)
    assert (after.headline, after.hours_per_month, [s.name for s in after.skills]) == snapshot


def test_odd_requests_never_break_the_form(client, expert):
    for data in (
        {"languages-99999999999999999999-code": "fr"},
        {"skills-0-level": "٣"},
        {"hours_per_month": "١٢"},
        {"add": "nonsense"},
        {"consent_matching": "maybe"},
        {"skills-5000-name": "ML"},
        {"country": "\x00"},
    ):
        response = client.post("/expert/profile/edit", data=data)
        assert response.status_code in (200, 302), data


def test_arabic_indic_digits_are_understood(client, expert, save_profile):
    save_profile(hours_per_month="١٢")
    assert profile_of(expert).hours_per_month == 12


@pytest.mark.config(CONSENT_VERSION="2026-test")
def test_withdrawing_consent_is_recorded_with_date_and_version_and_keeps_the_profile_listed(
    client, expert, save_profile
):
    save_profile()
    profile = profile_of(expert)
    assert profile.consent_matching and profile.consent_version == "2026-test"
    given_at = profile.consent_at

    save_profile(consent_matching=None)
    db.session.expire_all()
    profile = profile_of(expert)
    assert not profile.consent_matching
    assert profile.consent_version == "2026-test" and profile.consent_at >= given_at
    assert profile.visibility == "institutions"  # still listed
    assert "You objected on" in page(client.get("/expert/profile"))
    withdrawn = AuditEntry.query.filter_by(action="expert.consent_withdrawn").one()
    assert withdrawn.details == {"version": "2026-test"} and withdrawn.actor_id == expert.id
    assert AuditEntry.query.filter_by(action="expert.consent_given").count() == 1
    assert "not agreed to automated matching" in page(client.get("/dashboard"))


def test_confirming_refreshes_the_date_and_old_profiles_are_told_they_are_not_suggested(
    client, expert, save_profile
):
    save_profile()
    profile = profile_of(expert)
    profile.confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert "no longer suggested" in page(client.get("/expert/profile"))

    response = client.post("/expert/profile/confirm", data={"from": "dashboard"})
    assert response.location.endswith("/dashboard")
    db.session.expire_all()
    assert utcnow() - profile_of(expert).confirmed_at < timedelta(minutes=1)
    assert "no longer suggested" not in page(client.get("/expert/profile"))
    assert AuditEntry.query.filter_by(action="expert.profile_confirmed").count() == 1


def test_invisible_control_characters_are_dropped_from_what_is_typed(client, expert, save_profile):
    response = save_profile(
        headline="Data\x00 scientist",
        bio="Line one\x00\r\nLine two",
        city="Mont\x07réal",
        **{"skills-2-name": "Py\x00thon", "languages-1-code": "fr\x00"},
    )
    assert response.status_code == 302
    profile = profile_of(expert)
    assert profile.headline == "Data scientist" and profile.city == "Montréal"
    assert profile.bio == "Line one\nLine two"
    assert "Python" in [s.name for s in profile.skills]
