"""Seeing, from a race test, that another request waits for a row lock (PostgreSQL)."""

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
