"""The members page and the institutions' forms: dates in the reader's language, one set of
new-institution fields, invitations only from a verified institution, and double clicks (an
admin refusing twice, a colleague's link followed twice at once) that tell people once and
never answer with a 500."""

from babel.dates import format_date

from diaspora.auth.forms import InstitutionSignupForm, NewInstitutionFields
from diaspora.extensions import db
from diaspora.institutions.forms import InstitutionForm
from diaspora.models import (
    AuditEntry,
    Institution,
    InvitationStatus,
    MemberInvitation,
    Membership,
    OutboxMessage,
    Role,
    User,
)
from diaspora.services import institution_members
from tests.conftest import PASSWORD
from tests.institutions import test_members
from tests.institutions.test_members import _invite
from tests.institutions.test_reviews import _pending

team = test_members.team  # the fixture: Nadia manages the ministry, Omar is a member


def test_the_members_page_dates_invitations_in_the_reader_s_language(client, auth, team, make_user):
    institution, nadia, _omar = team
    nadia.locale = "fr"
    db.session.commit()
    auth.login(nadia.email)
    _invite(client, institution, "sara@sante.gov.ma")
    invitation = MemberInvitation.query.one()
    page = client.get(f"/institutions/{institution.id}/members").get_data(as_text=True)
    assert format_date(invitation.expires_at, "long", locale="fr") in page  # "12 décembre 2026"


def test_sign_up_and_new_institution_ask_the_same_fields(client, auth, team):
    assert issubclass(InstitutionForm, NewInstitutionFields)
    assert issubclass(InstitutionSignupForm, NewInstitutionFields)
    _institution, nadia, _omar = team
    auth.login(nadia.email)
    before = Institution.query.count()
    response = client.post(
        "/institutions/new",
        data={"institution_name": " ", "institution_kind": "agency", "evidence": "domain"},
    )
    assert response.status_code == 200
    assert "Give the name of your institution." in response.get_data(as_text=True)
    assert Institution.query.count() == before


def test_a_refused_invitation_shows_the_members_page_with_the_reason(client, auth, team):
    institution, nadia, _omar = team
    auth.login(nadia.email)
    response = client.post(f"/institutions/{institution.id}/invitations", data={"email": "nope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and page.count("<html") == 1
    assert nadia.full_name in page  # the members are listed as on the page itself
    assert MemberInvitation.query.count() == 0


def test_only_a_verified_institution_s_manager_invites(client, auth, make_user, make_institution):
    institution = _pending(make_user, make_institution, locale="en")
    auth.login("nadia@nouvelle.ma")
    page = client.get(f"/institutions/{institution.id}/members").get_data(as_text=True)
    assert "Send the invitation" not in page
    assert "once the administrators have verified Agence Nouvelle" in page
    response = client.post(
        f"/institutions/{institution.id}/invitations",
        data={"email": "sara@nouvelle.ma"},
        follow_redirects=True,
    )
    assert "once the administrators have verified Agence Nouvelle" in response.get_data(
        as_text=True
    )
    assert MemberInvitation.query.count() == 0
    assert OutboxMessage.query.filter_by(kind="member_invitation").count() == 0


def test_refusing_twice_with_the_same_note_tells_the_members_once(
    client, auth, make_user, make_institution
):
    institution = _pending(make_user, make_institution)
    auth.login("admin@example.org")
    url = f"/admin/institutions/{institution.id}/refuse"
    for _click in range(2):
        assert client.post(url, data={"note": "Unsigned letter."}).status_code == 302
    assert OutboxMessage.query.filter_by(kind="institution_refused").count() == 1
    assert AuditEntry.query.filter_by(action="institution.refused").count() == 1
    client.post(url, data={"note": "Still unsigned."})  # a new note is news
    assert OutboxMessage.query.filter_by(kind="institution_refused").count() == 2


def _used_meanwhile(monkeypatch):
    """The link's other click commits its answer right after this request read the
    invitation."""
    read = institution_members.invitation_for_token

    def read_then_race(token):
        invitation = read(token)
        with db.engine.begin() as other:
            table = MemberInvitation.__table__
            other.execute(
                table.update()
                .where(table.c.id == invitation.id)
                .values(status=InvitationStatus.ACCEPTED)
            )
        monkeypatch.setattr(institution_members, "invitation_for_token", read)
        return invitation

    monkeypatch.setattr(institution_members, "invitation_for_token", read_then_race)


def test_a_new_colleague_s_link_followed_twice_at_once_makes_one_account(
    client, auth, team, monkeypatch
):
    institution, nadia, _omar = team
    auth.login(nadia.email)
    _mail, token = _invite(client, institution, "sara@sante.gov.ma")
    auth.logout()
    _used_meanwhile(monkeypatch)
    data = {"full_name": "Sara", "password": PASSWORD, "confirm": PASSWORD, "locale": "en"}
    response = client.post(f"/institutions/join/{token}", data=data)
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    assert User.query.filter_by(email="sara@sante.gov.ma").count() == 0


def test_a_member_s_link_followed_twice_at_once_joins_once(
    client, auth, team, make_user, make_institution, monkeypatch
):
    institution, nadia, _omar = team
    other = make_institution(name="Agence Autre", domain="autre.ma")
    make_user("karim@autre.ma", role=Role.INSTITUTION, institution=other)
    auth.login(nadia.email)
    _mail, token = _invite(client, institution, "karim@autre.ma")
    auth.logout()
    auth.login("karim@autre.ma")
    _used_meanwhile(monkeypatch)
    response = client.post(f"/institutions/join/{token}")
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    assert Membership.query.filter_by(institution_id=institution.id).count() == 2
