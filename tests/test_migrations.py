"""The Alembic migrations, run from an empty database, build exactly the models' schema, and
downgrading to base removes it all."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from diaspora import create_app
from diaspora.extensions import db


def _fresh_postgresql(base_url: str):
    """A new empty database next to the test one; yields its URL and drops it afterwards."""
    name = f"diaspora_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("set TEST_DATABASE_URL to a PostgreSQL database to test migrations there")
    yield from _fresh_postgresql(url)


def _schema_diff(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app):
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_upgrade_from_empty_builds_the_models_schema_and_downgrade_removes_it(empty_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert {t.name for t in db.metadata.sorted_tables} <= _tables(app)
        assert _schema_diff(app) == []

        result = runner.invoke(args=["db", "downgrade", "base"])
        assert result.exit_code == 0, result.output
        assert _tables(app) <= {"alembic_version"}

        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert _schema_diff(app) == []
    finally:
        with app.app_context():
            db.engine.dispose()
