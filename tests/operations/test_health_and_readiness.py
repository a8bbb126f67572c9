"""/healthz says the process answers; /readyz whether it may take traffic. Both answer JSON to
anyone, without log-in or rate limit, and are never cached."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from diaspora.extensions import db, limiter
from diaspora.models import OutboxMessage
from diaspora.models.base import utcnow
from diaspora.services.operations import migration_heads
from tests.web.test_database_down import outage  # noqa: F401  (the fixture)


def test_healthz_answers_without_the_database(client, outage):  # noqa: F811
    outage.start()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_a_signed_in_browser_without_the_database(
    client,
    auth,
    make_user,
    outage,  # noqa: F811
):
    make_user("salma@example.org")
    auth.login("salma@example.org")
    outage.start()
    assert client.get("/healthz").status_code == 200


def test_readyz_reports_each_check_when_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ready"] is True and body["database"] == "ok"
    assert body["migrations"]["ok"] is True
    assert body["migrations"]["applied"] == body["migrations"]["head"] == list(migration_heads())
    assert body["outbox"] == {"ok": True, "pending": 0, "failed": 0, "lag_seconds": 0.0}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def migrations_behind(app):
    """The database one revision behind the code, as before `flask db upgrade` on a deploy."""
    (head,) = migration_heads()
    from alembic.script import ScriptDirectory

    previous = ScriptDirectory(app.extensions["migrate"].directory).get_revision(head).down_revision
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
    yield previous
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def test_readyz_is_503_while_the_migrations_are_behind_the_code(client, migrations_behind):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["ready"] is False and body["database"] == "ok"
    assert body["migrations"]["ok"] is False
    assert body["migrations"]["applied"] == [migrations_behind]


def test_readyz_is_503_when_the_database_is_unreachable(client, outage):  # noqa: F811
    outage.start()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["ready"] is False and body["database"] == "unreachable"
    assert body["outbox"] is None

    outage.end()
    assert client.get("/readyz").status_code == 200


def _email(**columns):
    defaults = dict(
        message_id=f"<{utcnow().timestamp()}-{len(columns)}@test>",
        kind="test",
        to_address="salma@example.org",
        subject="Hello",
        body_text="",
        body_html="",
    )
    db.session.add(OutboxMessage(**(defaults | columns)))
    db.session.commit()


def test_readyz_reports_the_outbox_lag_and_ignores_it_unless_told(client):
    _email(message_id="<late@test>", next_attempt_at=utcnow() - timedelta(minutes=20))
    _email(message_id="<retry@test>", next_attempt_at=utcnow() + timedelta(hours=1))
    _email(message_id="<failed@test>", status="failed")
    response = client.get("/readyz")
    assert response.status_code == 200
    outbox = response.get_json()["outbox"]
    assert outbox["pending"] == 2 and outbox["failed"] == 1
    # The oldest email that is due; the one waiting for its retry is not late.
    assert 20 * 60 <= outbox["lag_seconds"] < 30 * 60


@pytest.mark.config(READY_MAX_OUTBOX_LAG_SECONDS=600)
def test_readyz_is_503_when_emails_wait_longer_than_allowed(client):
    _email(message_id="<late@test>", next_attempt_at=utcnow() - timedelta(minutes=20))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok" and body["migrations"]["ok"] is True
    assert body["outbox"]["ok"] is False


@pytest.fixture
def default_limit():
    # Flask-Limiter keeps the first default limit it is given on the one global Limiter, for
    # every app created after: take it back off, or every later test runs under it.
    yield
    limiter.limit_manager.set_default_limits([])


@pytest.mark.config(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
def test_probes_are_never_rate_limited(client, default_limit):
    # A default limit on every page (none is set today): the probes stay outside it.
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/metrics").status_code == 200
    statuses = {client.get("/about").status_code for _ in range(3)}
    assert 429 in statuses
