"""Collaborations: from the expert's yes to the certificate, through the pages both sides use."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from diaspora.extensions import db
from diaspora.models import (
    AuditEntry,
    Collaboration,
    CollaborationRating,
    HoursEntry,
    Match,
    MatchStatus,
    ProfileSection,
)
from diaspora.models.base import utcnow
from diaspora.services import (
    collaboration_states,
    commitments,
    invitations,
    opportunities,
    suggestions,
)
from tests.matches.conftest import fresh

START = utcnow().date()


@pytest.fixture
def accepted(world, make_match):
    """The expert's accepted invitation to the project, and its collaboration."""
    match = make_match(
        world.project,
        world.expert,
        status=MatchStatus.INVITED,
        invited_at=utcnow(),
        expires_at=utcnow() + timedelta(days=7),
    )
    invitations.answer(world.expert.user, match.id, True)
    return db.session.scalar(db.select(Collaboration).filter_by(match_id=match.id))


def _as(auth, user):
    auth.logout()
    auth.login(user.email)


def _start(client, auth, world, collab):
    _as(auth, world.member)
    return client.post(f"/collaborations/{collab.id}/start", data={"started_on": START.isoformat()})


def _actions(collab_id):
    return [
        e.action
        for e in db.session.scalars(
            db.select(AuditEntry)
            .filter_by(subject_type="collaboration", subject_id=collab_id)
            .order_by(AuditEntry.id)
        )
    ]


# -- state machine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        ("accepted", "active", True),
        ("accepted", "cancelled", True),
        ("active", "completed", True),
        ("active", "cancelled", True),
        ("accepted", "completed", False),
        ("completed", "cancelled", False),
        ("cancelled", "active", False),
        ("completed", "active", False),
        ("active", "accepted", False),
    ],
)
def test_only_the_listed_moves_are_allowed(current, wanted, allowed):
    assert collaboration_states.can_move(current, wanted) is allowed


def test_accepting_an_invitation_creates_its_collaboration_audited(accepted):
    assert accepted.status == "accepted"
    assert _actions(accepted.id) == ["collaboration.created"]


def test_the_institution_starts_it_and_every_move_is_audited(client, auth, world, accepted):
    assert _start(client, auth, world, accepted).status_code == 302
    collab = fresh(accepted)
    assert collab.status == "active" and collab.started_on == START
    entry = db.session.scalars(
        db.select(AuditEntry).filter_by(action="collaboration.active", subject_id=collab.id)
    ).one()
    assert entry.actor_id == world.member.id
    assert entry.details["from"] == "accepted" and entry.details["to"] == "active"


def test_a_start_in_the_future_is_refused_with_a_message(client, auth, world, accepted):
    _as(auth, world.member)
    tomorrow = (START + timedelta(days=1)).isoformat()
    response = client.post(f"/collaborations/{accepted.id}/start", data={"started_on": tomorrow})
    assert response.status_code == 400
    assert "Le début doit se situer entre" in response.get_data(as_text=True)  # member reads FR
    assert fresh(accepted).status == "accepted"


def test_completing_before_the_start_is_refused_and_changes_nothing(client, auth, world, accepted):
    _as(auth, world.member)
    response = client.post(
        f"/collaborations/{accepted.id}/complete",
        data={"outcome": "A model"},
        follow_redirects=True,
    )
    assert "ne peut pas devenir" in response.get_data(as_text=True)
    assert fresh(accepted).status == "accepted"
    assert "collaboration.completed" not in _actions(accepted.id)


def test_the_expert_cannot_start_it_and_strangers_do_not_see_it(
    client, auth, world, accepted, make_user, make_institution
):
    _as(auth, world.expert.user)
    data = {"started_on": START.isoformat()}
    assert client.post(f"/collaborations/{accepted.id}/start", data=data).status_code == 403
    _as(auth, world.other_expert.user)
    assert client.get(f"/collaborations/{accepted.id}").status_code == 404
    stranger = make_user(
        "x@autre.ma", role="institution", institution=make_institution("Autre", "autre.ma")
    )
    _as(auth, stranger)
    assert client.get(f"/collaborations/{accepted.id}").status_code == 404
    assert client.post(f"/collaborations/{accepted.id}/start", data=data).status_code == 404
    assert fresh(accepted).status == "accepted"


def test_a_cancellation_needs_a_reason(client, auth, world, accepted):
    _as(auth, world.expert.user)
    response = client.post(f"/collaborations/{accepted.id}/cancel", data={"reason": "  "})
    assert response.status_code == 400
    assert fresh(accepted).status == "accepted"


# -- hours -----------------------------------------------------------------------------------


def _log(client, collab, month, hours):
    return client.post(
        f"/collaborations/{collab.id}/hours", data={"month": month.isoformat(), "hours": hours}
    )


def test_hours_logged_confirmed_and_only_confirmed_ones_count(
    client, auth, world, accepted, outbox
):
    _start(client, auth, world, accepted)
    month = START.replace(day=1)
    _as(auth, world.expert.user)
    assert _log(client, accepted, month, 12).status_code == 302
    assert _log(client, accepted, month, 14).status_code == 302  # corrected: one entry a month
    [entry] = fresh(accepted).hours
    assert entry.hours == 14 and entry.status == "pending"
    assert fresh(accepted).confirmed_hours == 0
    asked = outbox(kind="collaboration_hours_logged", to=world.member.email)
    assert len(asked) == 2 and "14" in asked[-1].body_text
    assert "heures" in asked[-1].subject  # the member reads French

    _as(auth, world.member)
    review = f"/collaborations/{accepted.id}/hours/{entry.id}"
    assert client.post(review, data={"decision": "confirm"}).status_code == 302
    assert fresh(accepted).confirmed_hours == 14
    told = outbox(kind="collaboration_update", to=world.expert.user.email)
    assert [m.subject for m in told][-1].endswith("your hours are confirmed")

    _as(auth, world.expert.user)
    response = _log(client, accepted, month, 20)
    assert response.status_code == 400 and "already confirmed" in response.get_data(as_text=True)
    assert fresh(accepted).confirmed_hours == 14


@pytest.mark.parametrize("hours", [0, -3, 201, "many"])
def test_hours_out_of_bounds_are_refused(client, auth, world, accepted, hours):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    assert _log(client, accepted, START.replace(day=1), hours).status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(HoursEntry)) == 0


def test_a_month_in_the_future_or_before_the_start_is_refused(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    next_month = (START.replace(day=28) + timedelta(days=7)).replace(day=1)
    before = (START.replace(day=1) - timedelta(days=1)).replace(day=1)
    for month in (next_month, before):
        assert _log(client, accepted, month, 5).status_code == 400
    assert fresh(accepted).hours == []


def test_hours_of_another_collaboration_cannot_be_touched(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    _log(client, accepted, START.replace(day=1), 8)
    [entry] = fresh(accepted).hours
    _as(auth, world.other_expert.user)
    assert _log(client, accepted, START.replace(day=1), 9).status_code == 404
    _as(auth, world.expert.user)  # the expert cannot confirm their own hours
    review = f"/collaborations/{accepted.id}/hours/{entry.id}"
    assert client.post(review, data={"decision": "confirm"}).status_code == 403
    assert fresh(entry).status == "pending" and fresh(entry).hours == 8


def test_disputed_hours_carry_a_note_and_can_be_corrected(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    _log(client, accepted, START.replace(day=1), 30)
    [entry] = fresh(accepted).hours
    _as(auth, world.member)
    review = f"/collaborations/{accepted.id}/hours/{entry.id}"
    assert client.post(review, data={"decision": "dispute"}).status_code == 400  # no note
    client.post(review, data={"decision": "dispute", "note": "We counted 20."})
    assert fresh(entry).status == "disputed" and fresh(entry).note == "We counted 20."
    _as(auth, world.expert.user)
    assert _log(client, accepted, START.replace(day=1), 20).status_code == 302
    assert fresh(entry).status == "pending" and fresh(entry).hours == 20


# -- completion, ratings, certificate --------------------------------------------------------


def _complete(client, auth, world, collab, hours=10):
    _start(client, auth, world, collab)
    _as(auth, world.expert.user)
    _log(client, collab, START.replace(day=1), hours)
    [entry] = fresh(collab).hours
    _as(auth, world.member)
    client.post(f"/collaborations/{collab.id}/hours/{entry.id}", data={"decision": "confirm"})
    response = client.post(
        f"/collaborations/{collab.id}/complete", data={"outcome": "A screening model in use."}
    )
    assert response.status_code == 302
    return fresh(collab)


def test_completion_needs_an_outcome(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    response = client.post(f"/collaborations/{accepted.id}/complete", data={"outcome": ""})
    assert response.status_code == 400
    assert fresh(accepted).status == "active"


def test_ratings_are_private_to_admins_and_either_side_may_skip(client, auth, world, accepted):
    collab = _complete(client, auth, world, accepted)
    assert collab.status == "completed" and collab.outcome == "A screening model in use."
    url = f"/collaborations/{collab.id}"
    client.post(f"{url}/rate", data={"score": "4", "comment": "Very responsive"})
    _as(auth, world.expert.user)
    client.post(f"{url}/rate", data={"skip": "1"})
    ratings = {r.side: r for r in db.session.scalars(db.select(CollaborationRating))}
    assert ratings["institution"].score == 4 and ratings["expert"].score is None
    assert "Very responsive" not in client.get(url).get_data(as_text=True)
    _as(auth, world.member)
    assert "Very responsive" not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/rate", data={"score": "5"}).status_code == 400  # once per side
    _as(auth, world.admin)
    assert "Very responsive" in client.get(url).get_data(as_text=True)


def _pdf_text(response) -> str:
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_certificate_names_the_expert_and_confirmed_hours_and_verifies(
    client, auth, world, accepted
):
    collab = _complete(client, auth, world, accepted, hours=17)
    _as(auth, world.expert.user)
    text = _pdf_text(client.get(f"/collaborations/{collab.id}/certificate.pdf"))
    assert "Salma Bennani" in text and "17" in text and collab.certificate_code in text

    auth.logout()
    typed = collab.certificate_code.lower().replace("-", " ")
    response = client.get("/certificates/verify", query_string={"code": typed})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "genuine" in page and "Salma Bennani" in page and "17" in page


def test_an_arabic_certificate_is_generated(client, auth, world, accepted):
    collab = _complete(client, auth, world, accepted)
    _as(auth, world.expert.user)
    response = client.get(f"/collaborations/{collab.id}/certificate.pdf?lang=ar")
    text = _pdf_text(response)
    assert collab.certificate_code in text
    assert any("\u0600" <= ch <= "\u06ff" or "\ufe70" <= ch <= "\ufeff" for ch in text)


def test_a_forged_or_mistyped_code_is_refused_clearly(client, auth, world, accepted):
    collab = _complete(client, auth, world, accepted)
    code = collab.certificate_code
    forged = ("2" if code[0] != "2" else "3") + code[1:]
    auth.logout()  # anyone may check, signed in or not
    response = client.get(f"/certificates/{forged}")
    assert response.status_code == 404
    assert "not genuine" in response.get_data(as_text=True)
    response = client.get("/certificates/verify", query_string={"code": "hello"})
    assert response.status_code == 400
    assert "not a certificate code" in response.get_data(as_text=True)


def test_no_certificate_before_completion_nor_for_someone_else(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    assert client.get(f"/collaborations/{accepted.id}/certificate.pdf").status_code == 404
    _as(auth, world.other_expert.user)
    assert client.get(f"/collaborations/{accepted.id}/certificate.pdf").status_code == 404


# -- seats -----------------------------------------------------------------------------------


def test_cancelling_frees_the_seat_and_refreshes_the_suggestions(
    client, auth, world, accepted, monkeypatch
):
    refreshed = []
    monkeypatch.setattr(suggestions, "refresh_project", refreshed.append)
    project = world.project
    project.seats = 1
    db.session.commit()
    assert commitments.seats_filled([project.id]) == {project.id: 1}
    assert not opportunities.is_open(fresh(project))
    assert commitments.committed_hours([world.expert.id]) == {world.expert.id: 8}

    _as(auth, world.member)
    response = client.post(f"/collaborations/{accepted.id}/cancel", data={"reason": "Budget cut"})
    assert response.status_code == 302
    assert commitments.seats_filled([project.id]) == {project.id: 0}
    assert opportunities.is_open(fresh(project))
    assert commitments.committed_hours([world.expert.id]).get(world.expert.id, 0) == 0
    assert refreshed == [project.id]
    assert db.session.get(Match, accepted.match_id).status == "accepted"  # the fact stays


def test_active_and_completed_collaborations_keep_their_seat(client, auth, world, accepted):
    _complete(client, auth, world, accepted)
    assert commitments.seats_filled([world.project.id]) == {world.project.id: 1}
    assert commitments.committed_hours([world.expert.id]).get(world.expert.id, 0) == 0


# -- emails ----------------------------------------------------------------------------------


def test_each_side_hears_of_the_other_s_moves_once_in_their_language(
    client, auth, world, accepted, outbox
):
    world.expert.user.locale = "ar"
    db.session.commit()
    _start(client, auth, world, accepted)
    to_expert = outbox(kind="collaboration_update", to=world.expert.user.email)
    assert len(to_expert) == 1 and to_expert[0].locale == "ar"
    # The colleague (Arabic) hears of it, not the member who acted.
    changed = outbox(kind="collaboration_changed")
    assert [m.to_address for m in changed] == [world.colleague.email]
    assert changed[0].locale == "ar" and changed[0].body_html.startswith("<!doctype html>")

    _as(auth, world.expert.user)
    client.post(f"/collaborations/{accepted.id}/cancel", data={"reason": "Moving abroad"})
    changed = outbox(kind="collaboration_changed")
    assert sorted(m.to_address for m in changed[1:]) == sorted(
        [world.member.email, world.colleague.email]
    )
    assert all("Moving abroad" in m.body_text for m in changed[1:])
    # The expert acted: no email tells them what they did.
    assert len(outbox(kind="collaboration_update", to=world.expert.user.email)) == 1


# -- profile and report ----------------------------------------------------------------------


def test_the_profile_shows_the_history_unless_the_expert_keeps_it(client, auth, world, accepted):
    _complete(client, auth, world, accepted, hours=11)
    _as(auth, world.member)
    page = client.get(f"/expert/profiles/{world.expert.ref}").get_data(as_text=True)
    assert world.project.title in page and "11 heures confirmées" in page
    expert = fresh(world.expert)
    expert.hidden_sections = [ProfileSection.COLLABORATIONS]
    db.session.commit()
    page = client.get(f"/expert/profiles/{world.expert.ref}").get_data(as_text=True)
    assert "11 heures confirmées" not in page and world.project.title not in page


def test_the_report_counts_by_sector_institution_and_country_with_csv(
    client, auth, world, accepted, make_match
):
    _complete(client, auth, world, accepted, hours=9)
    _as(auth, world.admin)
    page = client.get("/admin/collaborations").get_data(as_text=True)
    assert "Ministère de la Santé" in page and "100%" in page
    csv = client.get("/admin/collaborations.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("dimension,key,collaborations")
    assert "sector,health,1,0,0,1,0,9,1.000" in lines
    assert "country,AE,1,0,0,1,0,9,1.000" in lines
    assert "all,,1,0,0,1,0,9,1.000" in lines
    assert lines[-1].startswith("days_to_first_acceptance,1,")
    _as(auth, world.member)
    assert client.get("/admin/collaborations.csv").status_code == 403


def test_the_hours_form_offers_the_months_since_the_start(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    page = client.get(f"/collaborations/{accepted.id}").get_data(as_text=True)
    assert f'value="{START.replace(day=1).isoformat()}"' in page
