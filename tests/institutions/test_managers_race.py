"""Two managers stepping down at the same moment: one leaves, the other is told to hand the
manager role on first, so the institution keeps a manager for its remaining member. Before, both
checked "another manager remains" before either committed, and both left."""

import threading
from functools import partial

import pytest
from sqlalchemy import text

from diaspora.extensions import db
from diaspora.models import MemberRole, Membership, Role, User
from diaspora.services import institution_members
from diaspora.services.errors import ValidationFailed
from tests.races import race


@pytest.fixture
def two_managers(make_user, make_institution):
    """Nadia and Omar manage the ministry, Sara is a member; the two managers also belong to
    another institution (so that each may leave this one)."""
    ministry = make_institution()
    elsewhere = make_institution(name="Agence Autre", domain="autre.ma")
    nadia, omar = (
        make_user(email, role=Role.INSTITUTION, institution=ministry, manager=True)
        for email in ("nadia@sante.gov.ma", "omar@sante.gov.ma")
    )
    make_user("sara@sante.gov.ma", role=Role.INSTITUTION, institution=ministry)
    db.session.add_all(Membership(user=u, institution=elsewhere) for u in (nadia, omar))
    db.session.commit()
    return ministry, nadia, omar


def _managers(institution) -> list[int]:
    db.session.expire_all()
    return [
        m.user_id
        for m in Membership.query.filter_by(institution_id=institution.id, role=MemberRole.MANAGER)
    ]


def test_two_managers_leaving_at_once_leave_one_manager(app, two_managers, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite serialises whole transactions)")
    ministry, nadia, omar = two_managers
    checked, release = threading.Event(), threading.Event()
    outcomes = {}
    check = institution_members.last_manager_problem

    def check_then_hold(user, institution_id):
        # Nadia's check has passed and her change is not committed yet: Omar steps down now.
        problem = check(user, institution_id)
        if user.id == nadia.id:
            checked.set()
            release.wait()
        return problem

    monkeypatch.setattr(institution_members, "last_manager_problem", check_then_hold)

    def leave(user_id):
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '20s'"))  # never hang the suite
            try:
                institution_members.leave(db.session.get(User, user_id), ministry.id)
            except ValidationFailed:
                outcomes[user_id] = "refused"
            except Exception as error:  # anything else is what this test is for
                outcomes[user_id] = error
            else:
                outcomes[user_id] = "left"

    # Omar's request either waits for Nadia's lock (the fix) or finishes beside it (the bug).
    race(partial(leave, nadia.id), partial(leave, omar.id), checked, release)

    assert outcomes == {nadia.id: "left", omar.id: "refused"}
    assert _managers(ministry) == [omar.id]
