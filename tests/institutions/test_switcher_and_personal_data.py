"""A member of several institutions chooses which one they act for (kept in the session);
members export their memberships, projects, proposals and invitations, and erase their
account unless they are the last manager of an institution with other members."""

import json

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    Match,
    MatchSource,
    MemberInvitation,
    MemberRole,
    Membership,
    Project,
    Role,
    User,
)
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD


def _two_institutions(make_user, make_institution):
    first = make_institution()
    second = make_institution(name="Agence Autre", domain="autre.ma")
    member = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=first, manager=True)
    db.session.add(Membership(user=member, institution=second))
    db.session.commit()
    return first, second, member


def test_the_switcher_shows_for_several_institutions_and_new_projects_follow_it(
    client, auth, make_user, make_institution
):
    first, second, _member = _two_institutions(make_user, make_institution)
    auth.login("nadia@sante.gov.ma")
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'id="acting-institution"' in page
    assert f"For {second.name}" in page  # the first by name by default
    response = client.post("/institutions/acting", data={"institution": first.id, "next": "/"})
    assert response.status_code == 302
    assert f"For {first.name}" in client.get("/projects/new").get_data(as_text=True)
    assert f"/institutions/{first.id}/members" in client.get("/").get_data(as_text=True)


def test_the_switcher_ignores_an_institution_one_does_not_belong_to(
    client, auth, make_user, make_institution
):
    _first, second, _member = _two_institutions(make_user, make_institution)
    stranger = make_institution(name="Agence Tierce", domain="tierce.ma")
    auth.login("nadia@sante.gov.ma")
    for value in (stranger.id, "abc", "", "99999999999999999999"):
        assert client.post("/institutions/acting", data={"institution": value}).status_code == 302
    assert f"For {second.name}" in client.get("/projects/new").get_data(as_text=True)


def test_no_switcher_for_a_member_of_one_institution(client, auth, make_user, make_institution):
    institution = make_institution()
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    auth.login("nadia@sante.gov.ma")
    assert 'id="acting-institution"' not in client.get("/").get_data(as_text=True)


def test_a_members_export_holds_memberships_projects_proposals_and_invitations(
    client, auth, make_user, make_institution
):
    first, _second, member = _two_institutions(make_user, make_institution)
    expert = make_user("expert@example.org")
    profile = ExpertProfile(user=expert, ref="E-9", country="FR", sectors=[], modes=[])
    project = Project(
        ref="P-7",
        institution=first,
        created_by=member,
        title="Triage",
        sector="health",
        mode="remote",
        status="published",
    )
    db.session.add_all([profile, project])
    db.session.flush()
    db.session.add_all(
        [
            Match(
                project=project,
                expert=profile,
                score=0.5,
                source=MatchSource.INSTITUTION,
                proposed_by_id=member.id,
                proposal_note="Strong in triage",
            ),
            MemberInvitation(
                institution_id=first.id,
                email="sara@sante.gov.ma",
                invited_by_id=member.id,
                expires_at=utcnow(),
            ),
        ]
    )
    db.session.commit()
    auth.login("nadia@sante.gov.ma")
    data = json.loads(client.post("/my-data/export").data)
    assert {(i["name"], i["role"]) for i in data["institutions"]} == {
        ("Ministère de la Santé", MemberRole.MANAGER),
        ("Agence Autre", MemberRole.MEMBER),
    }
    assert [p["ref"] for p in data["projects_created"]] == ["P-7"]
    assert data["proposals_made"][0]["note"] == "Strong in triage"
    assert data["proposals_made"][0]["expert"] == "E-9"
    assert data["invitations_sent"][0]["email"] == "sara@sante.gov.ma"


def test_the_last_manager_with_colleagues_must_hand_on_before_erasing(
    client, auth, make_user, make_institution
):
    institution = make_institution()
    nadia = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, manager=True
    )
    omar = make_user("omar@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    project = Project(
        ref="P-1",
        institution=institution,
        created_by=nadia,
        title="Triage",
        sector="health",
        mode="remote",
    )
    db.session.add(project)
    db.session.commit()
    auth.login("nadia@sante.gov.ma")
    page = client.post("/my-data", data={"password": PASSWORD}).get_data(as_text=True)
    assert "last manager of Ministère de la Santé" in page
    assert User.query.filter_by(email="nadia@sante.gov.ma").count() == 1

    client.post(f"/institutions/{institution.id}/members/{omar.id}/manager")
    response = client.post("/my-data", data={"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert User.query.filter_by(email="nadia@sante.gov.ma").count() == 0
    kept = db.session.get(Project, project.id)
    assert kept is not None and kept.created_by_id is None  # the project stays, anonymous
    assert Membership.query.one().user_id == omar.id


def test_a_sole_manager_without_colleagues_erases_their_account(
    client, auth, make_user, make_institution
):
    institution = make_institution()
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, manager=True)
    auth.login("nadia@sante.gov.ma")
    assert client.post("/my-data", data={"password": PASSWORD}).status_code == 302
    assert User.query.count() == 0
