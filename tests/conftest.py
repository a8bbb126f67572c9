"""Fixtures in the flaskr shape: `app`, `client`, `runner`, `auth`, plus factories that return
functions (`make_user(...)`) as indico's tests do.

The database is SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL names one
(with pytest-xdist, each worker gets a database of its own beside it).
The schema is built once per run by the Alembic migrations (so every run exercises them) and
emptied between tests.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from diaspora import create_app
from diaspora.extensions import db, limiter
from diaspora.models import Institution, MemberRole, Membership, OutboxMessage, Role, User
from diaspora.models.base import utcnow
from diaspora.services import match_index
from tests import worlds

# shared/ sits beside the repository, on developers' machines and in CI alike.
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_SET = SHARED / "data" / "matching-dev"

PASSWORD = "correct horse battery"
# Hashing at full cost would make the suite crawl; tests need a real hash, not a slow one.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def _worker_database(url: str, worker: str):
    """A database of its own for one pytest-xdist worker, beside the one TEST_DATABASE_URL
    names (workers sharing one would empty each other's tables); dropped at the end."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _database_urls():
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url and worker and url.startswith("postgresql"):
        yield from _worker_database(url, worker)
    elif url:
        yield url
    else:
        yield f"sqlite:///{os.path.join(tempfile.mkdtemp(prefix='diaspora-test-'), 'test.sqlite')}"


@pytest.fixture(scope="session")
def database_url():
    for url in _database_urls():
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            from flask_migrate import downgrade, upgrade

            downgrade(revision="base")  # a reused PostgreSQL database starts empty too
            upgrade()
        yield url


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as in production: a fresh `g` and database session,
    not the test's own (which would hide bugs such as a user cached across requests)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(request, database_url, tmp_path):
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_DIR": str(tmp_path / "mail")}
    marker = request.node.get_closest_marker("config")
    if marker:
        overrides.update(marker.kwargs)
    app = create_app("testing", **overrides)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if app.config.get("RATELIMIT_ENABLED", True):
            limiter.reset()
        yield app
        match_index.forget_index()  # each test's data is new: so is what the engine learnt
        db.session.remove()
        db.engine.dispose()
    _empty_tables(database_url)


@pytest.fixture
def client(app):
    """A browser that prefers English, so assertions read the English text; tests of other
    languages ask for theirs."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user("a@x.org", role="expert", verified=True, institution=None, manager=False)"""

    def make(
        email=None,
        role=Role.EXPERT,
        verified=True,
        institution=None,
        name="Test User",
        locale="en",
        active=True,
        manager=False,
    ):
        email = email or f"user{User.query.count() + 1}@example.org"
        user = User(
            email=email,
            full_name=name,
            role=role,
            locale=locale,
            active=active,
            password_hash=FAST_HASH,
            email_verified_at=utcnow() if verified else None,
        )
        db.session.add(user)
        if institution is not None:
            role = MemberRole.MANAGER if manager else MemberRole.MEMBER
            db.session.add(Membership(user=user, institution=institution, role=role))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_institution(app):
    def make(name="Ministère de la Santé", domain="sante.gov.ma", verified=True):
        institution = Institution(
            name=name,
            kind="ministry",
            email_domain=domain,
            verified_at=utcnow() if verified else None,
        )
        db.session.add(institution)
        db.session.commit()
        return institution

    return make


@pytest.fixture
def every_role(make_user, make_institution) -> worlds.World:
    """A user of every role and one of every object (tests/worlds.py)."""
    return worlds.build(make_user, make_institution)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email, password=PASSWORD, follow=False, next_url=None):
        url = "/auth/login" + (f"?next={next_url}" if next_url else "")
        return self._client.post(
            url, data={"email": email, "password": password}, follow_redirects=follow
        )

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def outbox(app):
    """outbox() -> list of OutboxMessage rows, oldest first; outbox(kind=...) filters."""

    def read(kind=None, to=None):
        query = OutboxMessage.query.order_by(OutboxMessage.id)
        if kind:
            query = query.filter_by(kind=kind)
        if to:
            query = query.filter_by(to_address=to)
        return query.all()

    return read


def link_in(message_text: str, path_fragment: str) -> str:
    """The path (without scheme and host) of the first link containing `path_fragment`."""
    for url in re.findall(r"https?://\S+", message_text):
        if path_fragment in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {path_fragment!r} in:\n{message_text}")


def pytest_configure(config):
    config.addinivalue_line("markers", "config(**settings): app settings for this test")
