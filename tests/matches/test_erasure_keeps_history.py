"""Erasing an expert keeps the history of what happened and removes the person: an accepted
collaboration keeps its seat, institutions read "an expert who has left the platform", and no
email or audit entry still names them."""

import json

import pytest
from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import AuditEntry, Match, OutboxMessage, User
from diaspora.services import audit, commitments, pipelines, reviews
from tests.conftest import PASSWORD, link_in
from tests.matches.conftest import fresh

LEFT = "an expert who has left the platform"
LEFT_FR = "un expert qui a quitté la plateforme"
LEFT_AR = "خبير غادر المنصة"
MESSAGE = "Je déménage à Rabat cet été, écrivez-moi à salma.b@proton.me"


def _invite(world, match):
    reviews.approve(world.admin, match.id)
    message = (
        OutboxMessage.query.filter_by(kind="invitation", to_address=match.expert.user.email)
        .order_by(OutboxMessage.id.desc())
        .first()
    )
    return link_in(message.body_text, "/accept"), link_in(message.body_text, "/decline")


@pytest.fixture
def history(client, world, make_project, make_match):
    """Salma accepted the only seat of one project, declined another with a message, has an
    invitation waiting on a third, a suggestion under review and a rejected one; Karim
    declined with a message."""
    full = make_project(world.institution, title="Tri des images de fond d'œil", seats=1)
    accepted = make_match(full, world.expert)
    accept_link, _ = _invite(world, accepted)
    assert client.post(accept_link).status_code == 200

    turned_down = make_match(make_project(world.institution, title="Télé-expertise"), world.expert)
    _, decline_link = _invite(world, turned_down)
    assert client.post(decline_link, data={"reason": MESSAGE}).status_code == 200

    waiting = make_match(world.project, world.expert, score=0.91)
    _invite(world, waiting)
    declined = make_match(world.project, world.other_expert)
    _, decline_link = _invite(world, declined)
    assert client.post(decline_link, data={"reason": "Too busy this year"}).status_code == 200

    elsewhere = make_project(world.institution, title="Triage des urgences")
    suggested = make_match(elsewhere, world.expert)
    rejected = make_match(make_project(world.institution, title="Cartes sanitaires"), world.expert)
    reviews.reject(world.admin, rejected.id, "Salma Bennani lacks field experience")
    # An entry about something else that happens to carry her address.
    audit.record(world.admin, "import.experts", None, note="updated salma@example.org")
    db.session.commit()
    # Everything that names Salma: name, address, LinkedIn link, reference.
    personal = [
        "salma bennani",
        "salma@example.org",
        world.expert.linkedin.lower(),
        world.expert.ref.lower(),
        MESSAGE.lower(),
    ]
    return {
        "personal": personal,
        "full": full,
        "accepted": accepted,
        "waiting": waiting,
        "turned_down": turned_down,
        "declined": declined,
        "suggested": suggested,
        "rejected": rejected,
    }


def _erase(client, auth, world):
    auth.logout()
    auth.login("salma@example.org")
    response = client.post("/expert/data", data={"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()


def test_an_accepted_collaboration_keeps_its_seat_after_the_expert_leaves(
    client, auth, world, history
):
    full = history["full"]
    assert commitments.seats_filled([full.id])[full.id] == 1
    _erase(client, auth, world)

    accepted = fresh(history["accepted"])
    assert accepted is not None and accepted.status == "accepted" and accepted.expert_id is None
    assert accepted.answered_at is not None and accepted.invited_at is not None
    assert accepted.explanation == {} and accepted.answer_reason is None
    assert commitments.seats_filled([full.id])[full.id] == 1  # the seat stays filled
    pipeline = pipelines.project_pipeline(world.admin, full.id)
    assert pipeline.counts["accepted"] == 1
    turned_down = fresh(history["turned_down"])
    assert turned_down.status == "declined" and turned_down.expert_id is None
    assert turned_down.answer_reason is None


def test_a_waiting_invitation_is_closed_and_unapproved_suggestions_are_deleted(
    client, auth, world, history
):
    never_approved = [history["suggested"].id, history["rejected"].id]
    _erase(client, auth, world)
    waiting = fresh(history["waiting"])
    assert waiting.status == "closed" and waiting.expert_id is None
    closing = AuditEntry.query.filter_by(action="match.closed", subject_id=waiting.id).one()
    assert closing.details["reason"] == "expert_left"
    assert [db.session.get(Match, id_) for id_ in never_approved] == [None, None]
    # Karim's own decline is untouched.
    declined = fresh(history["declined"])
    assert declined.expert_id == world.other_expert.id and declined.status == "declined"


@pytest.mark.parametrize(
    ("who", "left"), [("member", LEFT_FR), ("colleague", LEFT_AR), ("admin", LEFT)]
)
def test_those_who_worked_with_the_expert_read_that_they_left(
    client, auth, world, history, who, left
):
    _erase(client, auth, world)
    auth.logout()
    auth.login(getattr(world, who).email)
    for url in (
        f"/matches/projects/{history['full'].id}/pipeline",
        f"/matches/projects/{world.project.id}/pipeline",
        f"/matches/{history['accepted'].id}",
        f"/matches/{history['waiting'].id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert left in page
        assert not any(term in page.lower() for term in history["personal"]), url
    # The other expert is still named where they were.
    page = client.get(f"/matches/projects/{world.project.id}/pipeline").get_data(as_text=True)
    assert "Karim Alaoui" in page


def test_the_expert_is_taken_out_of_every_email(client, auth, world, history, outbox):
    told = {m.to_address: m.id for m in outbox(kind="invitation_accepted")}
    assert set(told) == {"nadia@sante.gov.ma", "omar@sante.gov.ma"}
    assert "Salma Bennani" in db.session.get(OutboxMessage, told["nadia@sante.gov.ma"]).subject
    _erase(client, auth, world)

    assert outbox(to="salma@example.org") == []
    for row in outbox():
        text = " ".join((row.subject, row.body_text, row.body_html)).lower()
        assert not any(term in text for term in history["personal"]), row.kind
    # The institution's emails stay, in their reader's language, without her.
    nadia = db.session.get(OutboxMessage, told["nadia@sante.gov.ma"])
    assert nadia.subject.startswith(LEFT_FR[:1].upper() + LEFT_FR[1:])
    assert LEFT_FR in nadia.body_text and "Nadia Berrada" in nadia.body_text
    omar = db.session.get(OutboxMessage, told["omar@sante.gov.ma"])
    assert "Omar Tazi" in omar.body_text
    # Her decline stays told, without her message; Karim's still names him.
    subjects = [m.subject for m in outbox(kind="invitation_declined", to="nadia@sante.gov.ma")]
    assert sorted(s.startswith(("Karim Alaoui", LEFT_FR[:1].upper())) for s in subjects) == [
        True,
        True,
    ]


def test_the_audit_log_keeps_what_happened_without_the_expert(client, auth, world, history):
    salma = world.expert
    user_id, profile_id = salma.user_id, salma.id
    match_ids = {m.id for m in Match.query.filter_by(expert_id=profile_id)}
    actions_before = AuditEntry.query.count()
    _erase(client, auth, world)

    entries = AuditEntry.query.order_by(AuditEntry.id).all()
    assert len(entries) >= actions_before  # entries stay
    assert {"match.accepted", "match.invited", "match.rejected"} <= {e.action for e in entries}
    for entry in entries:
        text = json.dumps(entry.details, ensure_ascii=False).lower()
        assert not any(term in text for term in history["personal"]), entry.action
        assert entry.actor_id != user_id
        if entry.subject_type in ("user", "expertprofile"):
            assert entry.subject_id not in (user_id, profile_id)
        if entry.subject_type == "match" and entry.subject_id in match_ids:
            assert "expert" not in entry.details and "score" not in entry.details, entry.action
    # Karim's entries still say who and how he scored.
    karim = AuditEntry.query.filter_by(
        action="match.declined", subject_id=history["declined"].id
    ).one()
    assert karim.details["expert"] == world.other_expert.id and "score" in karim.details
    assert karim.details["reason"] == "Too busy this year"


def test_no_row_anywhere_still_points_at_the_erased_expert(client, auth, world, history):
    user_id, profile_id = world.expert.user_id, world.expert.id
    _erase(client, auth, world)
    assert db.session.get(User, user_id) is None
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            erased = {"users": user_id, "expert_profiles": profile_id}.get(fk.column.table.name)
            if erased is not None:
                count = db.session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == erased)
                )
                assert count == 0, f"{table.name}.{fk.parent.name}"


def test_an_emailed_link_of_an_erased_expert_opens_nothing(client, auth, world, make_match):
    match = make_match(world.project, world.expert)
    accept_link, decline_link = _invite(world, match)
    _erase(client, auth, world)
    auth.logout()
    for link in (accept_link, decline_link):
        for method in (client.get, client.post):
            assert method(link).status_code == 400
    assert fresh(match).status == "closed"


def test_an_admin_cannot_invite_again_on_an_erased_experts_match(client, auth, world, history):
    _erase(client, auth, world)
    auth.logout()
    auth.login(world.admin.email)
    for match in (history["accepted"], history["waiting"]):
        response = client.post(f"/matches/{match.id}/approve", follow_redirects=True)
        assert response.status_code == 200
        assert fresh(match).expert_id is None
