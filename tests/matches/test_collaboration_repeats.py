"""A collaboration's forms sent twice (double click, back button, two tabs) or with odd input:
each gives a clear message, changes nothing more, emails once, and never answers with a 500."""

import re
from datetime import timedelta

from diaspora.extensions import db
from diaspora.models import CollaborationRating, HoursEntry
from diaspora.services import collaborations
from tests.matches import test_collaborations
from tests.matches.conftest import fresh
from tests.matches.test_collaborations import START, _actions, _as, _complete, _log, _start

accepted = test_collaborations.accepted  # the fixture: an accepted invitation's collaboration

MONTH = START.replace(day=1)
LAST_MONTH = (MONTH - timedelta(days=1)).replace(day=1)


def _two_pending_months(client, auth, world, collab):
    """The collaboration under way since last month, the expert's hours logged for both."""
    _start(client, auth, world, collab)
    fresh(collab).started_on = LAST_MONTH
    db.session.commit()
    _as(auth, world.expert.user)
    for month in (LAST_MONTH, MONTH):
        assert _log(client, collab, month, 10).status_code == 302
    return sorted(fresh(collab).hours, key=lambda e: e.month)


def test_a_refused_dispute_shows_the_page_once_and_its_message_once(client, auth, world, accepted):
    first, _second = _two_pending_months(client, auth, world, accepted)
    _as(auth, world.member)
    response = client.post(
        f"/collaborations/{accepted.id}/hours/{first.id}", data={"decision": "dispute"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("<html") == 1 and page.count('id="hours-title"') == 1
    assert page.count("Dites ce qui ne correspond pas") == 1  # the member reads French
    assert {e.status for e in fresh(accepted).hours} == {"pending"}


def test_each_month_s_note_has_its_own_label_and_error(client, auth, world, accepted):
    first, second = _two_pending_months(client, auth, world, accepted)
    _as(auth, world.member)
    response = client.post(
        f"/collaborations/{accepted.id}/hours/{first.id}", data={"decision": "dispute"}
    )
    page = response.get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # a screen reader's label points at one field
    for entry in (first, second):
        assert f'for="note-{entry.id}"' in page and f'id="note-{entry.id}"' in page
    assert f'aria-describedby="note-{first.id}-error"' in page
    assert f'id="note-{first.id}-error"' in page and f"note-{second.id}-error" not in page


def test_a_refused_hours_form_shows_the_page_once(client, auth, world, accepted):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    page = _log(client, accepted, MONTH, 0).get_data(as_text=True)
    assert page.count("<html") == 1 and page.count('id="log-title"') == 1


def test_hours_are_confirmed_only_by_the_confirm_button(client, auth, world, accepted, outbox):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    _log(client, accepted, MONTH, 12)
    [entry] = fresh(accepted).hours
    _as(auth, world.member)
    url = f"/collaborations/{accepted.id}/hours/{entry.id}"
    told = len(outbox(kind="collaboration_update", to=world.expert.user.email))
    for data in ({}, {"decision": ""}, {"decision": "yes"}, {"decision": "CONFIRM"}):
        response = client.post(url, data=data)
        assert response.status_code == 400
        assert "Confirmez ou contestez" in response.get_data(as_text=True)
    assert fresh(entry).status == "pending" and fresh(accepted).confirmed_hours == 0
    assert len(outbox(kind="collaboration_update", to=world.expert.user.email)) == told
    assert client.post(url, data={"decision": "confirm"}).status_code == 302
    assert fresh(accepted).confirmed_hours == 12


def _other_request_commits_first(monkeypatch, row):
    """Another request (a double click) commits `row(collab)` right after this one read the
    collaboration, before it writes: the unique constraint then refuses this one's insert."""
    read = collaborations.visible

    def read_then_race(viewer, collaboration_id):
        collab = read(viewer, collaboration_id)
        with db.engine.begin() as other:
            table, values = row(collab)
            other.execute(table.insert().values(**values))
        monkeypatch.setattr(collaborations, "visible", read)
        return collab

    monkeypatch.setattr(collaborations, "visible", read_then_race)


def _hours_of_this_month(status: str):
    """The row a first request wrote: 12 hours for this month, with `status`."""
    return lambda collab: (
        HoursEntry.__table__,
        {
            "collaboration_id": collab.id,
            "month": MONTH,
            "hours": 12,
            "status": status,
            "logged_at": collab.updated_at,
        },
    )


def test_hours_sent_twice_at_once_keep_the_second_figure(
    client, auth, world, accepted, monkeypatch
):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    _other_request_commits_first(monkeypatch, _hours_of_this_month("pending"))
    assert _log(client, accepted, MONTH, 14).status_code == 302
    [entry] = fresh(accepted).hours
    assert entry.hours == 14 and entry.status == "pending"


def test_hours_of_a_month_confirmed_meanwhile_are_refused_clearly(
    client, auth, world, accepted, monkeypatch
):
    _start(client, auth, world, accepted)
    _as(auth, world.expert.user)
    _other_request_commits_first(monkeypatch, _hours_of_this_month("confirmed"))
    response = _log(client, accepted, MONTH, 14)
    assert response.status_code == 400
    assert "already confirmed" in response.get_data(as_text=True)
    [entry] = fresh(accepted).hours
    assert entry.hours == 12


def test_a_rating_sent_twice_is_kept_once(client, auth, world, accepted):
    collab = _complete(client, auth, world, accepted)
    url = f"/collaborations/{collab.id}/rate"
    assert client.post(url, data={"score": "4"}).status_code == 302
    response = client.post(url, data={"score": "2"})
    assert response.status_code == 400
    assert "Votre partie a déjà répondu" in response.get_data(as_text=True)
    [rating] = db.session.scalars(db.select(CollaborationRating))
    assert rating.score == 4


def test_a_rating_sent_twice_at_once_is_kept_once(client, auth, world, accepted, monkeypatch):
    collab = _complete(client, auth, world, accepted)
    _other_request_commits_first(
        monkeypatch,
        lambda c: (
            CollaborationRating.__table__,
            {
                "collaboration_id": c.id,
                "side": "institution",
                "score": 4,
                "user_id": world.member.id,
            },
        ),
    )
    response = client.post(f"/collaborations/{collab.id}/rate", data={"score": "2"})
    assert response.status_code == 400
    assert "Votre partie a déjà répondu" in response.get_data(as_text=True)
    [rating] = db.session.scalars(db.select(CollaborationRating))
    assert rating.score == 4
    assert _actions(collab.id).count("collaboration.rated") == 0


def test_cancelling_twice_tells_once_and_says_why(client, auth, world, accepted, outbox):
    _as(auth, world.expert.user)
    url = f"/collaborations/{accepted.id}/cancel"
    assert client.post(url, data={"reason": "Moving"}).status_code == 302
    response = client.post(url, data={"reason": "Moving"}, follow_redirects=True)
    assert response.status_code == 200
    assert "cannot become" in response.get_data(as_text=True)
    assert _actions(accepted.id).count("collaboration.cancelled") == 1
    assert len(outbox(kind="collaboration_changed", to=world.member.email)) == 1


def test_completing_twice_tells_once_and_keeps_the_first_outcome(
    client, auth, world, accepted, outbox
):
    collab = _complete(client, auth, world, accepted)
    code = collab.certificate_code
    told = len(outbox(kind="collaboration_update", to=world.expert.user.email))
    response = client.post(
        f"/collaborations/{collab.id}/complete", data={"outcome": "Another"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "ne peut pas devenir" in response.get_data(as_text=True)
    collab = fresh(collab)
    assert collab.outcome == "A screening model in use." and collab.certificate_code == code
    assert len(outbox(kind="collaboration_update", to=world.expert.user.email)) == told
    assert _actions(collab.id).count("collaboration.completed") == 1
