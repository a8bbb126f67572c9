"""Managers invite colleagues by a single-use, expiring signed link, remove members and hand
the manager role on; an institution with members always keeps a manager."""

import re
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import (
    AuditEntry,
    InvitationStatus,
    MemberInvitation,
    MemberRole,
    Membership,
    OutboxMessage,
    Role,
    User,
)
from tests.conftest import PASSWORD

JOIN = re.compile(r"https?://[^\s]+/institutions/join/([^\s]+)")


@pytest.fixture
def team(make_user, make_institution):
    institution = make_institution()
    nadia = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, manager=True
    )
    omar = make_user("omar@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    return institution, nadia, omar


def _role(institution, user):
    db.session.expire_all()
    membership = Membership.query.filter_by(institution_id=institution.id, user_id=user.id).first()
    return membership.role if membership else None


def _invite(client, institution, email):
    client.post(f"/institutions/{institution.id}/invitations", data={"email": email})
    mail = OutboxMessage.query.filter_by(kind="member_invitation", to_address=email).all()[-1]
    return mail, JOIN.search(mail.body_text).group(1)


def test_an_invited_colleague_creates_an_account_and_joins(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    mail, token = _invite(client, institution, "sara@sante.gov.ma")
    assert mail.locale == "en" and "Ministère de la Santé" in mail.subject
    auth.logout()

    page = client.get(f"/institutions/join/{token}").get_data(as_text=True)
    assert "sara@sante.gov.ma" in page
    response = client.post(
        f"/institutions/join/{token}",
        data={"full_name": "Sara", "password": PASSWORD, "confirm": PASSWORD, "locale": "ar"},
    )
    assert response.status_code == 302
    sara = User.query.filter_by(email="sara@sante.gov.ma").one()
    assert sara.is_verified and sara.role == Role.INSTITUTION and sara.locale == "ar"
    assert _role(institution, sara) == MemberRole.MEMBER
    assert client.get("/dashboard").status_code == 200  # signed in
    assert AuditEntry.query.filter_by(action="institution.member_joined").count() == 1


def test_an_invitation_link_works_once(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    auth.logout()
    data = {"full_name": "Sara", "password": PASSWORD, "confirm": PASSWORD, "locale": "en"}
    client.post(f"/institutions/join/{token}", data=data)
    auth.logout()
    response = client.get(f"/institutions/join/{token}")
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    assert Membership.query.count() == 3


def test_an_expired_invitation_link_is_refused(client, auth, team, app):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    invitation = MemberInvitation.query.one()
    invitation.expires_at -= timedelta(days=30)
    db.session.commit()
    response = client.get(f"/institutions/join/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


@pytest.mark.config(MEMBER_INVITE_MAX_AGE=-1)
def test_an_invitation_link_older_than_its_lifetime_is_refused(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    response = client.get(f"/institutions/join/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_a_tampered_invitation_link_is_refused(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    auth.logout()
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x" + token, "abc"):
        response = client.get(f"/institutions/join/{bad}")
        assert response.status_code == 400
        assert "was changed" in response.get_data(as_text=True)
    assert User.query.filter_by(email="sara@sante.gov.ma").count() == 0


def test_a_revoked_invitation_link_stops_working(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    invitation = MemberInvitation.query.one()
    page = client.get(f"/institutions/{institution.id}/members").get_data(as_text=True)
    assert "sara@sante.gov.ma" in page  # listed as pending
    client.post(f"/institutions/{institution.id}/invitations/{invitation.id}/revoke")
    db.session.expire_all()
    assert MemberInvitation.query.one().status == InvitationStatus.REVOKED
    assert client.get(f"/institutions/join/{token}").status_code == 400
    assert AuditEntry.query.filter_by(action="institution.invitation_revoked").count() == 1


def test_someone_with_an_account_logs_in_and_joins_a_second_institution(
    client, auth, team, make_user, make_institution
):
    institution, _nadia, _omar = team
    other = make_institution(name="Agence Autre", domain="autre.ma")
    karim = make_user(
        "karim@autre.ma", role=Role.INSTITUTION, institution=other, locale="fr", name="Karim"
    )
    auth.login("nadia@sante.gov.ma")
    mail, token = _invite(client, institution, "karim@autre.ma")
    assert mail.locale == "fr"  # the account's language
    auth.logout()

    page = client.get(f"/institutions/join/{token}").get_data(as_text=True)
    assert "log in" in page.lower()
    assert User.query.count() == 3  # nobody created
    auth.login("karim@autre.ma")
    assert client.get(f"/institutions/join/{token}").status_code == 200
    response = client.post(f"/institutions/join/{token}")
    assert response.status_code == 302
    assert _role(institution, karim) == MemberRole.MEMBER
    assert _role(other, karim) == MemberRole.MEMBER


def test_an_invitation_for_another_address_is_refused_to_a_signed_in_member(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    auth.logout()
    auth.login("omar@sante.gov.ma")
    assert client.post(f"/institutions/join/{token}").status_code == 403
    assert MemberInvitation.query.one().status == InvitationStatus.PENDING


def test_inviting_a_member_or_a_bad_address_is_refused(client, auth, team):
    institution, _nadia, _omar = team
    auth.login("nadia@sante.gov.ma")
    page = client.post(
        f"/institutions/{institution.id}/invitations",
        data={"email": "omar@sante.gov.ma"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "already a member" in page
    response = client.post(
        f"/institutions/{institution.id}/invitations", data={"email": "not an address"}
    )
    assert response.status_code == 400
    assert MemberInvitation.query.count() == 0


def test_a_manager_removes_a_member(client, auth, team):
    institution, _nadia, omar = team
    auth.login("nadia@sante.gov.ma")
    client.post(f"/institutions/{institution.id}/members/{omar.id}/remove")
    assert _role(institution, omar) is None
    assert AuditEntry.query.filter_by(action="institution.member_removed").count() == 1


def test_a_removed_member_is_told_once_in_their_language(client, auth, team):
    institution, _nadia, omar = team
    omar.locale = "ar"
    db.session.commit()
    auth.login("nadia@sante.gov.ma")
    client.post(f"/institutions/{institution.id}/members/{omar.id}/remove")
    (mail,) = OutboxMessage.query.filter_by(kind="member_removed").all()
    assert (mail.to_address, mail.locale) == ("omar@sante.gov.ma", "ar")
    assert institution.name in mail.subject and "لم تعد" in mail.subject
    assert "/dashboard" in mail.body_text
    # Nobody else is written to: not the manager, not the other members.
    assert OutboxMessage.query.count() == 1


def test_a_manager_hands_the_role_on(client, auth, team):
    institution, nadia, omar = team
    auth.login("nadia@sante.gov.ma")
    client.post(f"/institutions/{institution.id}/members/{omar.id}/manager")
    assert _role(institution, omar) == MemberRole.MANAGER
    assert _role(institution, nadia) == MemberRole.MEMBER
    # Nadia is no longer a manager: she may not remove anyone.
    assert client.post(f"/institutions/{institution.id}/members/{omar.id}/remove").status_code == (
        403
    )


def test_a_manager_may_stay_a_manager_when_handing_on(client, auth, team):
    institution, nadia, omar = team
    auth.login("nadia@sante.gov.ma")
    client.post(
        f"/institutions/{institution.id}/members/{omar.id}/manager", data={"stay_manager": "y"}
    )
    assert _role(institution, omar) == MemberRole.MANAGER
    assert _role(institution, nadia) == MemberRole.MANAGER


def test_the_last_manager_cannot_leave_without_handing_on(client, auth, team, make_institution):
    institution, nadia, omar = team
    other = make_institution(name="Agence Autre", domain="autre.ma")
    db.session.add(Membership(user_id=nadia.id, institution_id=other.id))
    db.session.commit()
    auth.login("nadia@sante.gov.ma")
    page = client.post(f"/institutions/{institution.id}/leave", follow_redirects=True).get_data(
        as_text=True
    )
    assert "last manager" in page
    assert _role(institution, nadia) == MemberRole.MANAGER
    client.post(f"/institutions/{institution.id}/members/{omar.id}/manager")
    client.post(f"/institutions/{institution.id}/leave")
    assert _role(institution, nadia) is None


def test_a_member_cannot_leave_their_only_institution(client, auth, team):
    institution, _nadia, omar = team
    auth.login("omar@sante.gov.ma")
    page = client.post(f"/institutions/{institution.id}/leave", follow_redirects=True).get_data(
        as_text=True
    )
    assert "only institution" in page
    assert _role(institution, omar) == MemberRole.MEMBER


def test_a_member_who_is_not_a_manager_cannot_invite_or_remove(client, auth, team):
    institution, nadia, _omar = team
    auth.login("omar@sante.gov.ma")
    members = client.get(f"/institutions/{institution.id}/members").get_data(as_text=True)
    assert "Invite a colleague" not in members and "Remove" not in members
    response = client.post(
        f"/institutions/{institution.id}/invitations", data={"email": "x@sante.gov.ma"}
    )
    assert response.status_code == 403
    assert client.post(f"/institutions/{institution.id}/members/{nadia.id}/remove").status_code == (
        403
    )
    assert client.post(
        f"/institutions/{institution.id}/members/{nadia.id}/manager"
    ).status_code == (403)
    assert MemberInvitation.query.count() == 0 and _role(institution, nadia) == MemberRole.MANAGER


def test_another_institutions_manager_gets_nothing(client, auth, team, make_user, make_institution):
    institution, nadia, omar = team
    other = make_institution(name="Agence Autre", domain="autre.ma")
    make_user("karim@autre.ma", role=Role.INSTITUTION, institution=other, manager=True)
    auth.login("nadia@sante.gov.ma")
    client.post(f"/institutions/{institution.id}/invitations", data={"email": "s@sante.gov.ma"})
    invitation = MemberInvitation.query.one()
    auth.logout()
    auth.login("karim@autre.ma")
    base = f"/institutions/{institution.id}"
    assert client.get(f"{base}/members").status_code == 403
    assert client.post(f"{base}/invitations", data={"email": "x@autre.ma"}).status_code == 403
    assert client.post(f"{base}/members/{omar.id}/remove").status_code == 403
    assert client.post(f"{base}/members/{omar.id}/manager").status_code == 403
    assert client.post(f"{base}/invitations/{invitation.id}/revoke").status_code == 403
    # Their own institution's page does not reach another's invitation either.
    other_base = f"/institutions/{other.id}"
    assert client.post(f"{other_base}/invitations/{invitation.id}/revoke").status_code == 404
    assert client.post(f"{other_base}/members/{omar.id}/remove").status_code == 404
    db.session.expire_all()
    assert MemberInvitation.query.one().status == InvitationStatus.PENDING
    assert _role(institution, omar) == MemberRole.MEMBER
