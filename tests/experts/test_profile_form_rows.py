"""The profile form shows a profile as it is stored and sends it back unchanged, even with as
many languages and skills as a profile may hold; "add another" never breaks a full form."""

from diaspora.extensions import db
from diaspora.rules import profiles as profile_rules
from diaspora.vocabulary import LANGUAGES
from tests.experts.conftest import profile_form, profile_of
from tests.submitted_form import submitted

# A language the service and the import accept though the form's list does not offer it.
BASQUE = "eu"


def full_profile() -> dict:
    codes = [c for c in LANGUAGES if c not in ("ar", "fr")][: profile_rules.MAX_LANGUAGES - 3]
    languages = {"languages-2-code": BASQUE, "languages-2-level": "B1"} | {
        f"languages-{n}-{part}": value
        for n, code in enumerate(codes, start=3)
        for part, value in (("code", code), ("level", "A2"))
    }
    skills = {
        f"skills-{n}-{part}": value
        for n in range(3, profile_rules.MAX_SKILLS)
        for part, value in (("name", f"compétence {n}"), ("level", "2"))
    }
    return profile_form(**languages, **skills)


def snapshot(user) -> dict:
    db.session.expire_all()
    profile = profile_of(user)
    return {
        "languages": [(lang.code, lang.level) for lang in profile.languages],
        "skills": [(s.name, s.level) for s in profile.skills],
        **{
            name: getattr(profile, name)
            for name in (
                "country", "city", "timezone", "sectors", "modes", "hours_per_month",
                "headline", "bio", "linkedin", "years_experience", "available_from",
                "consent_matching", "visibility",
            )
        },
    }  # fmt: skip


def test_a_full_profile_saved_untouched_through_its_form_is_unchanged(client, expert):
    assert client.post("/expert/profile/edit", data=full_profile()).status_code == 302
    before = snapshot(expert)
    assert len(before["skills"]) == profile_rules.MAX_SKILLS
    assert len(before["languages"]) == profile_rules.MAX_LANGUAGES
    response = client.get("/expert/profile/edit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        client.post("/expert/profile/edit", data=submitted(page, "profile-form")).status_code == 302
    )
    assert snapshot(expert) == before


def test_adding_a_row_to_a_full_list_shows_the_form_again(client, expert):
    client.post("/expert/profile/edit", data=full_profile())
    before = snapshot(expert)
    response = client.get("/expert/profile/edit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for what in ("skill", "language"):
        for _n in range(3):
            response = client.post(
                "/expert/profile/edit", data=submitted(page, "profile-form", add=what)
            )
            assert response.status_code == 200
            page = response.get_data(as_text=True)
    assert snapshot(expert) == before


def test_a_new_profile_offers_empty_rows_to_type_into(client, expert):
    sent = submitted(client.get("/expert/profile/edit").get_data(as_text=True), "profile-form")
    assert [sent[f"skills-{n}-name"] for n in range(3)] == ["", "", ""]
    assert [sent[f"languages-{n}-code"] for n in range(2)] == ["", ""]
