"""Two admins reviewing one shortlist at once. A bulk approval skips the suggestions the other
admin decided in the meantime and says so; before, a suggestion moved between the bulk
approval's read and its write made it fail with a 500 (IllegalTransition)."""

import threading

import pytest
from sqlalchemy import text

from diaspora.extensions import db
from diaspora.models import AuditEntry, Match, User
from diaspora.services import reviews
from tests.matches.conftest import fresh


def as_another_request(app, action) -> None:
    """Run `action` as another request would, in its own database session (and connection),
    committed before this returns."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Should it wait for the request it interrupts, fail rather than hang the suite.
            db.session.execute(text("SET LOCAL lock_timeout = '10s'"))
        action()


@pytest.fixture
def shortlist(world, make_match, make_expert):
    third = make_expert("leila@example.org", name="Leila Amrani")
    return [make_match(world.project, e) for e in (world.expert, world.other_expert, third)]


@pytest.fixture
def admin_client(client, auth, world):
    auth.login(world.admin.email)
    return client


def bulk_approve(client, project, matches):
    return client.post(
        f"/matches/review/projects/{project.id}/approve",
        data={"match_id": [str(m.id) for m in matches]},
        follow_redirects=True,
    )


def invited_once(matches, outbox) -> bool:
    invited = AuditEntry.query.filter_by(action="match.invited").all()
    return sorted(e.subject_id for e in invited) == sorted(
        m.id for m in matches if fresh(m).status == "invited"
    ) and len(outbox(kind="invitation")) == len(invited)


def test_a_suggestion_approved_before_the_bulk_approval_is_skipped_and_reported(
    app, admin_client, world, shortlist, outbox
):
    first, *others = shortlist
    reviews.approve(world.admin, first.id)  # the other admin, while this one read the page

    page = bulk_approve(admin_client, world.project, shortlist).get_data(as_text=True)

    assert "2 experts are invited." in page
    assert "reviewed by someone else in the meantime were left as they decided: 1." in page
    assert [fresh(m).status for m in shortlist] == ["invited"] * 3
    assert invited_once(shortlist, outbox)


def test_a_suggestion_decided_between_the_read_and_the_write_is_skipped(
    app, admin_client, world, shortlist, outbox, monkeypatch
):
    first, second, third = shortlist
    check = reviews._check_invitable
    moved = []

    def check_then_race(match):
        # The other admin rejects the second suggestion after this request has read it as
        # suggested and before it writes.
        if not moved:
            moved.append(second.id)
            as_another_request(
                app,
                lambda: reviews.reject(
                    db.session.get(User, world.admin.id), second.id, "Already works with us"
                ),
            )
        check(match)

    monkeypatch.setattr(reviews, "_check_invitable", check_then_race)
    response = bulk_approve(admin_client, world.project, shortlist)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 experts are invited." in page and "left as they decided: 1." in page
    assert [fresh(m).status for m in shortlist] == ["invited", "rejected", "invited"]
    assert AuditEntry.query.filter_by(action="match.rejected").count() == 1
    assert invited_once(shortlist, outbox)


def test_bulk_and_single_approvals_in_parallel_invite_each_expert_once(
    app, world, shortlist, outbox
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite serialises whole transactions)")
    ids = [m.id for m in shortlist]
    start = threading.Barrier(1 + len(ids))
    errors = []

    def run(action):
        with app.app_context():
            admin = db.session.get(User, world.admin.id)
            start.wait()
            try:
                action(admin)
            except reviews.IllegalTransition:
                pass  # the single approval lost: the page says so (a 409-like message)
            except Exception as error:  # anything else is what this test is for
                errors.append(error)

    threads = [
        threading.Thread(
            target=run, args=(lambda a: reviews.bulk_approve(a, world.project.id, ids),)
        )
    ]
    threads += [
        threading.Thread(target=run, args=(lambda a, i=i: reviews.approve(a, i),)) for i in ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [fresh(m).status for m in shortlist] == ["invited"] * len(ids)
    assert invited_once(shortlist, outbox)
    assert db.session.query(Match).filter_by(status="suggested").count() == 0
