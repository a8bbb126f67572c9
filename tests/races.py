"""Two requests at once, as the race tests run them on PostgreSQL: the first stops after its
check, holding whatever it locked; the second starts; the first goes on once the second waits
for a row lock (the fix) or has finished beside it (the bug)."""

import threading
from collections.abc import Callable

from sqlalchemy import text

from diaspora.extensions import db


def waits_for_a_lock() -> bool:
    """Whether another session of this database is waiting for a row lock."""
    with db.engine.connect() as conn:
        return bool(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


def race(
    first: Callable[[], None],
    second: Callable[[], None],
    checked: threading.Event,
    release: threading.Event,
) -> None:
    """Run `first` in a thread until it sets `checked` (it then waits for `release`), then
    `second` in another; set `release` once the second waits for a lock or is done; return
    when both are. Both run in threads of their own: pass what they need from this one's
    session already read (an id, not an object whose attributes the session may load)."""
    one = threading.Thread(target=first)
    one.start()
    while one.is_alive() and not checked.is_set():  # a first that fails must not hang the test
        one.join(0.01)
    two = threading.Thread(target=second)
    two.start()
    while two.is_alive() and not waits_for_a_lock():
        two.join(0.01)
    release.set()
    one.join()
    two.join()
