"""Two requests adding overlapping stays in Morocco for one expert at the same moment (two tabs,
a double submit): one stay is saved, the other request is refused with the overlap message.
Before, both checked for an overlap before either committed, and both stays were saved."""

import threading
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import text

from diaspora.extensions import db
from diaspora.models import User
from diaspora.models.base import utcnow
from diaspora.services import on_site
from diaspora.services.errors import ValidationFailed
from tests.races import race

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def test_two_overlapping_stays_added_at_once_save_one_and_refuse_the_other(app, world, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite serialises whole transactions)")
    user_id = world.expert.user_id  # read here: the threads have sessions of their own
    day = utcnow().date() + timedelta(days=30)
    rabat = (day, day + timedelta(days=14), "Rabat")
    fes = (day + timedelta(days=10), day + timedelta(days=20), "Fès")
    checked, release = threading.Event(), threading.Event()
    outcomes = {}
    check = on_site._refuse_overlap

    def check_then_hold(profile, start, end, window_id=None):
        # Rabat's check has passed and its stay is not committed yet: Fès is added now.
        check(profile, start, end, window_id)
        if start == rabat[0]:
            checked.set()
            release.wait()

    monkeypatch.setattr(on_site, "_refuse_overlap", check_then_hold)

    def add(stay):
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '20s'"))  # never hang the suite
            try:
                on_site.add_window(db.session.get(User, user_id), *stay)
            except ValidationFailed as refusal:
                outcomes[stay[2]] = refusal
            except Exception as error:  # anything else is what this test is for
                outcomes[stay[2]] = error
            else:
                outcomes[stay[2]] = "saved"

    # Fès's request either waits for Rabat's lock (the fix) or saves beside it (the bug).
    race(partial(add, rabat), partial(add, fes), checked, release)

    assert outcomes["Rabat"] == "saved"
    assert isinstance(outcomes["Fès"], ValidationFailed), outcomes
    [refusal] = outcomes["Fès"].reasons["starts_on"]
    assert "Rabat" in refusal  # the stay it overlaps, named
    db.session.expire_all()
    stays = on_site.upcoming(world.expert)
    assert [(s.starts_on, s.ends_on, s.city) for s in stays] == [rabat]
