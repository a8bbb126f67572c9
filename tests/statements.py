"""Counting the SQL statements a piece of code sends: how tests pin N+1s down."""

from contextlib import contextmanager

from sqlalchemy import event

from diaspora.extensions import db


@contextmanager
def counted_statements():
    """Yield the list of statements sent to the database while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
