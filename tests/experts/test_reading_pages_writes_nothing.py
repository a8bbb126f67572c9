"""Opening a page changes nothing in the database: an expert's profile row is created by the
first save, not by looking at the profile or its form."""

import pytest
from sqlalchemy import insert, select

from diaspora.extensions import db
from diaspora.models import AuditEntry, ExpertProfile, Role
from diaspora.services import experts
from tests.experts.conftest import profile_form, profile_of


def snapshot() -> dict:
    """Every row of every table, the audit log included."""
    db.session.expire_all()
    return {
        t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all()
        for t in db.metadata.sorted_tables
    }


def pages_of(app, profile) -> list[str]:
    """Every page an expert may open without parameters, and their own profile by reference."""
    urls = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    ]
    if profile is not None:
        urls.append(f"/expert/profiles/{profile.ref}")
    return sorted(urls)


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
@pytest.mark.parametrize("saved", [False, True], ids=["new expert", "saved profile"])
def test_opening_every_page_as_an_expert_writes_nothing(app, client, expert, lang, saved):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    if saved:
        client.post("/expert/profile/edit", data=profile_form())
    before = snapshot()
    for url in pages_of(app, profile_of(expert)):
        assert client.get(url).status_code < 500, url
    assert snapshot() == before


def test_the_first_save_creates_the_profile_the_pages_showed_empty(client, expert):
    for url in ("/expert/profile", "/expert/profile/edit", "/dashboard"):
        assert client.get(url).status_code == 200
    assert profile_of(expert) is None
    # "Add another skill" re-shows the form: still nothing saved.
    client.post("/expert/profile/edit", data=profile_form(add="skill"))
    assert profile_of(expert) is None

    response = client.post("/expert/profile/edit", data=profile_form())
    assert response.status_code == 302
    profile = profile_of(expert)
    assert profile.ref.startswith("E-") and profile.city == "Montréal"
    actions = [e.action for e in AuditEntry.query.order_by(AuditEntry.id)]
    assert actions[0] == "expert.profile_created" and actions[-1] == "expert.profile_updated"
    assert f"Reference: {profile.ref}" in client.get("/expert/profile").get_data(as_text=True)


def test_a_form_with_mistakes_creates_no_profile(client, expert):
    page = client.post("/expert/profile/edit", data=profile_form(country="ZZ"))
    assert "Choose your country from the list." in page.get_data(as_text=True)
    assert ExpertProfile.query.count() == 0 and AuditEntry.query.count() == 0


def test_confirming_an_empty_profile_saves_it(client, expert):
    client.get("/expert/profile")
    response = client.post("/expert/profile/confirm")
    assert response.status_code == 302
    assert profile_of(expert).confirmed_at is not None


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.ADMIN])
def test_other_roles_still_get_no_profile(client, auth, make_user, make_institution, role):
    institution = make_institution() if role == Role.INSTITUTION else None
    make_user("someone@sante.gov.ma", role=role, institution=institution)
    auth.login("someone@sante.gov.ma")
    assert client.get("/expert/profile").status_code == 403
    assert client.post("/expert/profile/edit", data=profile_form()).status_code == 403
    assert ExpertProfile.query.count() == 0


@pytest.mark.parametrize("action", ["save", "confirm"])
def test_two_first_saves_at_once_make_one_profile(client, expert, monkeypatch, action):
    """A double click on the first save: the request that comes second finds the profile the
    first one created between its read and its write, and saves onto it."""
    new_ref = experts._new_ref

    def created_meanwhile():
        with db.engine.begin() as other_request:
            other_request.execute(
                insert(ExpertProfile).values(user_id=expert.id, ref="E-FIRST", city="Rabat")
            )
        return new_ref()

    monkeypatch.setattr(experts, "_new_ref", created_meanwhile)
    if action == "save":
        response = client.post("/expert/profile/edit", data=profile_form())
    else:
        response = client.post("/expert/profile/confirm")
    assert response.status_code == 302
    [profile] = ExpertProfile.query.all()
    assert profile.ref == "E-FIRST" and profile.confirmed_at is not None
    assert profile.city == ("Montréal" if action == "save" else "Rabat")
