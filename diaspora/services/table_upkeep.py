"""Tables left healthy after bulk work: fresh planner statistics, dead row versions reclaimed.

PostgreSQL plans each query from statistics about the tables, refreshed by autovacuum some time
after a change (or never, where it is off). Right after an import or a recompute they still
describe the tables as they were, often nearly empty: the review queue's queries then chose
nested loops over rows the planner believed absent and took seconds instead of milliseconds.
"""

from sqlalchemy import text

from diaspora.extensions import db


def after_bulk_write(*tables: str) -> None:
    """VACUUM (ANALYZE) these tables on PostgreSQL, after a bulk write has committed: the
    statistics describe them as they now are and the row versions it replaced are reclaimed.
    It runs on a connection of its own (VACUUM refuses a transaction), reads and writes go on
    meanwhile. Nothing to do on SQLite."""
    if db.engine.dialect.name != "postgresql" or not tables:
        return
    known = {t.name for t in db.metadata.sorted_tables}
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            if table not in known:
                raise ValueError(f"unknown table {table!r}")
            conn.execute(text(f'VACUUM (ANALYZE) "{table}"'))
