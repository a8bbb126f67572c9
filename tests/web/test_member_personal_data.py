"""Members of institutions download their data or erase their account, as experts do; the
projects they created stay with their institution."""

import json

import pytest

from diaspora.extensions import db
from diaspora.models import (
    AuditEntry,
    Institution,
    Membership,
    OutboxMessage,
    Project,
    Role,
    User,
)
from diaspora.services import audit
from tests.conftest import PASSWORD


@pytest.fixture
def team(make_user, make_institution):
    """Nadia (signed in) and Omar work at the ministry; Nadia created a project."""
    institution = make_institution()
    nadia = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name="Nadia Berrada"
    )
    omar = make_user(
        "omar@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name="Omar Tazi"
    )
    project = Project(
        ref="P-0007",
        institution=institution,
        created_by_id=nadia.id,
        title="Tri des urgences",
        sector="health",
        mode="remote",
    )
    db.session.add(project)
    db.session.flush()
    audit.record(nadia, "project.created", project, ref=project.ref, title=project.title)
    audit.record(
        nadia, "user.email_changed", nadia, old="nadia.b@sante.gov.ma", new="nadia@sante.gov.ma"
    )
    db.session.add_all(
        [
            OutboxMessage(
                message_id="<a@x>",
                kind="invitation_accepted",
                user_id=nadia.id,
                to_address=nadia.email,
                subject="Hello Nadia Berrada",
                body_text="…",
                body_html="…",
            ),
            OutboxMessage(
                message_id="<b@x>",
                kind="invitation_accepted",
                user_id=omar.id,
                to_address=omar.email,
                locale="en",
                subject="Tri des urgences",
                body_text="Nadia Berrada (nadia@sante.gov.ma) published a project.",
                body_html="<p>Nadia Berrada published a project.</p>",
            ),
        ]
    )
    db.session.commit()
    return {"institution": institution, "nadia": nadia, "omar": omar, "project": project}


@pytest.fixture
def signed_in(auth, team):
    auth.login("nadia@sante.gov.ma")
    return team


def test_a_member_finds_their_data_from_the_account_page(client, signed_in):
    account = client.get("/auth/account").get_data(as_text=True)
    assert 'href="/my-data"' in account
    page = client.get("/my-data")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Download my data" in text and "Erase my account for good" in text
    assert 'href="/privacy#after-erasure"' in text


def test_a_member_downloads_their_account_institution_and_projects(client, signed_in):
    response = client.post("/my-data/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "nadia@sante.gov.ma"
    assert data["account"]["role"] == Role.INSTITUTION
    assert [i["name"] for i in data["institutions"]] == ["Ministère de la Santé"]
    assert [p["ref"] for p in data["projects_created"]] == ["P-0007"]
    assert [e["subject"] for e in data["emails"]] == ["Hello Nadia Berrada"]
    assert {"project.created", "user.email_changed"} <= {h["action"] for h in data["history"]}


@pytest.mark.parametrize("url", ["/my-data/export", "/expert/data/export"])
def test_the_export_is_audited_as_about_a_user(client, auth, make_user, team, url):
    if url.startswith("/expert"):
        make_user("salma@example.org", role=Role.EXPERT)
        auth.login("salma@example.org")
    else:
        auth.login("nadia@sante.gov.ma")
    assert client.post(url).status_code == 200
    entry = AuditEntry.query.filter_by(action="user.data_exported").one()
    assert entry.subject_type == "user"
    assert entry.subject_id == entry.actor_id


def test_erasure_needs_the_password_and_changes_nothing_without_it(client, signed_in):
    for password, message in (
        ("wrong", "This is not your current password."),
        ("", "Type your password."),
    ):
        response = client.post("/my-data", data={"password": password})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert User.query.filter_by(email="nadia@sante.gov.ma").count() == 1
    assert Membership.query.count() == 2


def test_erasure_removes_the_member_and_keeps_the_institutions_projects(client, auth, signed_in):
    nadia_id = signed_in["nadia"].id
    response = client.post("/my-data", data={"password": PASSWORD}, follow_redirects=True)
    assert response.status_code == 200
    assert "Your account is erased." in response.get_data(as_text=True)
    db.session.expire_all()

    assert db.session.get(User, nadia_id) is None
    assert [m.user.email for m in Membership.query.all()] == ["omar@sante.gov.ma"]
    assert Institution.query.count() == 1
    project = Project.query.one()
    assert project.ref == "P-0007" and project.created_by_id is None

    # What happened stays in the log; who did it, and what was about her, does not.
    created = AuditEntry.query.filter_by(action="project.created").one()
    assert created.actor_id is None and created.details["ref"] == "P-0007"
    for entry in AuditEntry.query.all():
        text = json.dumps(entry.details, ensure_ascii=False).lower()
        assert "nadia" not in text and entry.actor_id != nadia_id
    assert AuditEntry.query.filter_by(action="user.erased").one().details == {
        "role": Role.INSTITUTION
    }

    # Her emails are gone; the one to Omar no longer names her.
    [row] = OutboxMessage.query.all()
    assert row.to_address == "omar@sante.gov.ma"
    assert "nadia" not in (row.body_text + row.body_html).lower()
    assert "a member who has left the platform" in row.body_text

    assert client.get("/my-data").status_code == 302  # logged out
    page = auth.login("nadia@sante.gov.ma", follow=True).get_data(as_text=True)
    assert "Wrong email address or password." in page


def test_only_experts_and_members_have_a_personal_data_page(client, auth, make_user):
    for method in (client.get, client.post):
        response = method("/my-data")
        assert response.status_code == 302 and "/auth/login" in response.location
    make_user("admin@diaspora.ma", role=Role.ADMIN)
    auth.login("admin@diaspora.ma")
    assert client.get("/my-data").status_code == 403
    assert client.post("/my-data/export").status_code == 403
    assert client.post("/my-data", data={"password": PASSWORD}).status_code == 403
    assert 'href="/my-data"' not in client.get("/auth/account").get_data(as_text=True)
