"""Two members closing one project at the same moment: one close happens, the other is refused
with the usual message, and the audit log and the invitees' emails record one close. Before,
both succeeded and both were audited (and on PostgreSQL the second could fail with a 500 when
it read an invitation the first had already closed)."""

import threading

import pytest
from sqlalchemy import text

from diaspora.extensions import db
from diaspora.models import AuditEntry, Project, User
from diaspora.services import projects, reviews
from diaspora.services.errors import ValidationFailed
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
def member_client(client, auth, world):
    auth.login(world.member.email)
    client.post("/language", data={"lang": "en"})  # Nadia reads French: the page, English
    return client


@pytest.fixture
def invitation(world, make_match):
    match = make_match(world.project, world.expert)
    reviews.approve(world.admin, match.id)
    return match


def close_page(client, project):
    return client.post(
        f"/projects/{project.id}/status", data={"to": "closed"}, follow_redirects=True
    )


def closed_once(project, invitation, outbox) -> bool:
    return (
        fresh(project).status == "closed"
        and AuditEntry.query.filter_by(action="project.closed").count() == 1
        and AuditEntry.query.filter_by(action="match.closed").count() == 1
        and fresh(invitation).status == "closed"
        and len(outbox(kind="invitation_closed")) == 1
    )


def test_a_close_committed_after_the_page_read_the_project_is_refused(
    app, member_client, world, invitation, outbox, monkeypatch
):
    read = projects.get_for_edit
    raced = []

    def read_then_race(user, project_id):
        project = read(user, project_id)
        if not raced:  # the colleague's close lands now, after this request read "published"
            raced.append(project_id)
            as_another_request(
                app, lambda: projects.close(db.session.get(User, world.colleague.id), project_id)
            )
        return project

    monkeypatch.setattr(projects, "get_for_edit", read_then_race)
    response = close_page(member_client, world.project)

    assert response.status_code == 200
    assert "A project that is closed cannot become closed." in response.get_data(as_text=True)
    assert closed_once(world.project, invitation, outbox)


def test_without_the_row_lock_the_status_change_alone_refuses_the_second_close(
    app, member_client, world, invitation, outbox, monkeypatch
):
    """The conditional status change protects on its own (SQLite has no row locks)."""
    lock = projects.lock_project
    raced = []

    def stale_read_then_race(project_id):
        if raced:
            return lock(project_id)
        raced.append(project_id)
        stale = db.session.get(Project, project_id)  # read, not locked: still "published"
        as_another_request(
            app, lambda: projects.close(db.session.get(User, world.colleague.id), project_id)
        )
        return stale

    monkeypatch.setattr(projects, "lock_project", stale_read_then_race)
    response = close_page(member_client, world.project)

    assert response.status_code == 200
    assert "A project that is closed cannot become closed." in response.get_data(as_text=True)
    assert closed_once(world.project, invitation, outbox)


def test_two_members_closing_at_once_close_it_once(app, world, invitation, outbox):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite serialises whole transactions)")
    start = threading.Barrier(2)
    outcomes = []

    def close_as(user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            start.wait()
            try:
                projects.close(user, world.project.id)
            except ValidationFailed:
                outcomes.append("refused")
            except Exception as error:  # anything else is what this test is for
                outcomes.append(error)
            else:
                outcomes.append("closed")

    threads = [
        threading.Thread(target=close_as, args=(u.id,)) for u in (world.member, world.colleague)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == ["closed", "refused"]
    assert closed_once(world.project, invitation, outbox)
