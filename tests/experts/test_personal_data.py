"""An expert downloads everything about them, or erases their account."""

import json

from diaspora.extensions import db
from diaspora.models import (
    AuditEntry,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Match,
    Project,
    User,
)
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD
from tests.experts.conftest import profile_of


def invite(profile, institution, ref="P-0042"):
    project = Project(
        ref=ref,
        institution=institution,
        title="Rétinopathie diabétique",
        sector="health",
        mode="remote",
    )
    db.session.add(project)
    db.session.flush()
    match = Match(
        project=project, expert_id=profile.id, status="invited", score=0.8, invited_at=utcnow()
    )
    db.session.add(match)
    db.session.commit()
    return match


def test_export_downloads_everything_about_me_in_the_interchange_format(
    client, expert, save_profile, make_institution
):
    save_profile()
    invite(profile_of(expert), make_institution())
    response = client.post("/expert/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))

    assert data["account"]["email"] == "salma@example.org"
    profile = data["profile"]
    assert profile["ref"] == profile_of(expert).ref and profile["full_name"] == "Salma Bennani"
    assert profile["residence"] == {
        "country": "CA",
        "city": "Montréal",
        "timezone": "America/Toronto",
    }
    assert {"name": "ML", "level": 4} in profile["skills"]
    assert {"code": "fr", "level": "C2"} in profile["languages"]
    assert profile["consent_matching"] is True and profile["consent_version"]
    assert [m["project"] for m in data["matches"]] == ["P-0042"]
    assert "expert.profile_updated" in {h["action"] for h in data["history"]}
    assert AuditEntry.query.filter_by(action="user.data_exported", actor_id=expert.id).count() == 1


def test_export_of_an_expert_without_a_profile_still_works(client, expert):
    data = json.loads(client.post("/expert/data/export").get_data(as_text=True))
    assert data["profile"] is None and data["account"]["email"] == "salma@example.org"


def test_erasure_needs_the_password_and_changes_nothing_without_it(client, expert, save_profile):
    save_profile()
    response = client.post("/expert/data", data={"password": "not my password"})
    assert response.status_code == 200
    assert "This is not your current password." in response.get_data(as_text=True)
    assert db.session.get(User, expert.id) is not None and profile_of(expert) is not None
    response = client.post("/expert/data", data={"password": ""})
    assert "Type your password." in response.get_data(as_text=True)


def test_erasure_removes_the_account_and_profile_and_anonymises_the_log(
    client, auth, expert, save_profile, make_institution
):
    save_profile()
    profile_id = profile_of(expert).id
    invite(profile_of(expert), make_institution())
    user_id = expert.id
    saved = AuditEntry.query.filter_by(action="expert.profile_updated").one()
    assert saved.request_id  # the request that saved it, until the expert leaves

    response = client.post("/expert/data", data={"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert db.session.get(ExpertProfile, profile_id) is None
    assert ExpertSkill.query.filter_by(expert_id=profile_id).count() == 0
    assert ExpertLanguage.query.filter_by(expert_id=profile_id).count() == 0
    # The invitation an admin approved stays, closed and without the expert (issue 8).
    [match] = Match.query.all()
    assert match.expert_id is None and match.status == "closed"
    assert Project.query.count() == 1  # the institution's project stays

    for entry in AuditEntry.query.all():
        assert entry.actor_id != user_id
        assert "salma" not in json.dumps(entry.details).lower()
        if entry.action == "expert.profile_updated":
            assert entry.details == {}
            assert entry.request_id is None  # it would find the expert's lines in the log
    assert AuditEntry.query.filter_by(action="user.erased").count() == 1

    # Logged out, and the address no longer opens anything.
    assert client.get("/expert/profile").status_code == 302
    page = auth.login("salma@example.org", follow=True).get_data(as_text=True)
    assert "Wrong email address or password." in page


def test_erasure_ends_every_login_session_of_the_account(client, expert, save_profile):
    from diaspora.models import LoginSession

    save_profile()
    user_id = expert.id
    assert LoginSession.query.filter_by(user_id=user_id).count() >= 1
    client.post("/expert/data", data={"password": PASSWORD})
    db.session.expire_all()
    assert LoginSession.query.filter_by(user_id=user_id).count() == 0
