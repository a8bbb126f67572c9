"""Cancelling and completing a collaboration through the API: the same services, rules and
emails as its page, refusals as problem details."""

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Collaboration, OutboxMessage
from diaspora.services import collaborations, invitations


@pytest.fixture
def collaboration(world) -> Collaboration:
    """The expert accepted the member's invitation: their collaboration, not started."""
    invitations.answer(world.users["expert"], world.invitation.id, True)
    return Collaboration.query.filter_by(match_id=world.invitation.id).one()


@pytest.fixture
def active(world, collaboration) -> Collaboration:
    collaborations.start(world.users["member"], collaboration.id, collaborations.today())
    return collaboration


def _url(collab: Collaboration, action: str) -> str:
    return f"/api/v1/collaborations/{collab.id}/{action}"


def _problem(answer, status: int) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.content_type == "application/problem+json"
    return answer.get_json()


def _fresh(collab: Collaboration) -> Collaboration:
    db.session.expire_all()
    return db.session.get(Collaboration, collab.id)


def test_the_institution_completes_it_and_the_expert_is_told(api, world, active):
    answer = api.post(
        _url(active, "complete"), world.tokens["member"], json={"outcome": "A validated model."}
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["status"], body["outcome"], body["project"]["id"]) == (
        "completed",
        "A validated model.",
        world.published.id,
    )
    assert body["expert"]["ref"] == "E-SALMA"
    assert _fresh(active).certificate_code
    events = [m.kind for m in OutboxMessage.query.filter_by(to_address="salma@example.org")]
    assert events.count("collaboration_update") == 2  # started, completed
    assert AuditEntry.query.filter_by(action="collaboration.completed").count() == 1


def test_the_expert_cancels_it_with_a_reason(api, world, collaboration):
    answer = api.post(
        _url(collaboration, "cancel"), world.tokens["expert"], json={"reason": "A new job."}
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["status"], body["cancelled_by"], body["cancel_reason"]) == (
        "cancelled",
        "expert",
        "A new job.",
    )
    (told,) = OutboxMessage.query.filter_by(kind="collaboration_changed").all()
    assert told.to_address == "nadia@sante.gov.ma"


def test_a_blank_reason_is_refused_and_nothing_changes(api, world, collaboration):
    body = _problem(
        api.post(_url(collaboration, "cancel"), world.tokens["member"], json={"reason": "  "}), 422
    )
    assert "reason" in body["errors"]
    assert _fresh(collaboration).status == "accepted"


def test_completing_before_the_start_is_a_conflict(api, world, collaboration):
    body = _problem(
        api.post(_url(collaboration, "complete"), world.tokens["member"], json={"outcome": "x"}),
        409,
    )
    assert body["detail"] == (
        "This collaboration is “Accepted, not started”; it cannot become “Completed”."
    )
    assert _fresh(collaboration).status == "accepted"


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        ("other member", "cancel", 404),  # not theirs: as if it did not exist
        ("other expert", "cancel", 404),
        ("expert", "complete", 403),  # the institution completes
        ("admin", "cancel", 403),
    ],
)
def test_only_the_two_sides_act_each_on_its_part(api, world, active, role, action, status):
    payload = {"reason": "No."} if action == "cancel" else {"outcome": "Done."}
    _problem(api.post(_url(active, action), world.tokens[role], json=payload), status)
    assert _fresh(active).status == "active"


def test_a_read_token_cannot_cancel(api, world, collaboration, token_for):
    token = token_for(world.users["expert"], "read")
    _problem(api.post(_url(collaboration, "cancel"), token, json={"reason": "No."}), 403)
    assert _fresh(collaboration).status == "accepted"
