"""The outbox against a real SMTP server: delivered once, in the reader's language, and kept
(not lost, not repeated) while the server is down."""

import socket
import threading
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import OutboxMessage, OutboxStatus
from diaspora.models.base import utcnow
from diaspora.notifications import delivery
from diaspora.notifications.outbox import enqueue
from tests.conftest import PASSWORD


def signup(client, email, locale):
    data = {
        "full_name": "Salma Bennani",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": locale,
    }
    response = client.post("/auth/signup/expert", data=data)
    assert response.status_code == 302


def queue(count, locale="fr"):
    rows = [
        enqueue(
            "reset_password",
            f"person{i}@example.org",
            locale,
            user=None,
            reset_url="https://example.org/r",
            minutes=60,
        )
        for i in range(count)
    ]
    db.session.commit()
    return rows


def send(runner):
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def make_due():
    """What the passing of time does to messages waiting for their next attempt."""
    db.session.execute(db.update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()


def rows():
    db.session.expire_all()
    return OutboxMessage.query.order_by(OutboxMessage.id).all()


def test_signup_email_reaches_the_smtp_server_once_in_the_readers_language(
    smtp_app, client, runner, smtp_server, outbox
):
    signup(client, "salma@example.org", "ar")
    [row] = outbox(kind="verify_email")
    assert row.status == OutboxStatus.PENDING
    assert smtp_server.messages == []  # written in the transaction, sent only by the worker

    assert "sent 1, failed 0" in send(runner)

    [(recipients, message)] = smtp_server.messages
    assert recipients == ["salma@example.org"]
    assert message["To"] == "salma@example.org"
    assert message["Message-ID"] == row.message_id
    assert message["Content-Language"] == "ar"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "/auth/verify/" in plain.get_content()
    assert '<html lang="ar" dir="rtl">' in html.get_content()
    assert rows()[0].status == OutboxStatus.SENT

    assert "sent 0, failed 0" in send(runner)
    assert len(smtp_server.messages) == 1


def test_french_reader_gets_a_left_to_right_french_email(smtp_app, client, runner, smtp_server):
    signup(client, "karim@example.org", "fr")
    send(runner)
    [(_, message)] = smtp_server.messages
    assert message["Content-Language"] == "fr"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fr" dir="ltr">' in html


@pytest.mark.config(OUTBOX_BACKOFF_SECONDS=30)
def test_server_down_keeps_messages_waiting_with_growing_backoff_then_delivers_each_once(
    smtp_app, runner, smtp_server
):
    queue(3)
    smtp_server.stop()

    before = utcnow()
    assert "sent 0, failed 3" in send(runner)
    first = rows()
    assert all(r.status == OutboxStatus.PENDING and r.attempts == 1 for r in first)
    assert all(r.last_error for r in first)
    assert all(r.next_attempt_at >= before + timedelta(seconds=29) for r in first)

    # Not due yet: a second pass right away tries nothing.
    assert "sent 0, failed 0" in send(runner)
    assert all(r.attempts == 1 for r in rows())

    make_due()
    before = utcnow()
    assert "sent 0, failed 3" in send(runner)
    second = rows()
    assert all(r.attempts == 2 for r in second)
    # Exponential: the second wait is twice the first.
    assert all(r.next_attempt_at >= before + timedelta(seconds=59) for r in second)
    assert all(r.next_attempt_at <= utcnow() + timedelta(seconds=61) for r in second)

    smtp_server.start()
    make_due()
    assert "sent 3, failed 0" in send(runner)
    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(r.message_id for r in second)
    assert len(set(ids)) == 3
    assert all(r.status == OutboxStatus.SENT and r.sent_at for r in rows())

    make_due()
    assert "sent 0, failed 0" in send(runner)
    assert len(smtp_server.messages) == 3


def test_backoff_doubles_each_attempt_and_is_capped(app):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 30
    waits = [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)]
    assert waits == [30, 60, 120, 240]
    assert delivery.backoff(100) == timedelta(hours=6)


@pytest.mark.config(OUTBOX_MAX_ATTEMPTS=3)
def test_message_is_marked_failed_after_the_last_attempt_and_not_retried(
    smtp_app, runner, smtp_server
):
    queue(1)
    smtp_server.stop()
    for _ in range(3):
        make_due()
        send(runner)
    [row] = rows()
    assert row.status == OutboxStatus.FAILED and row.attempts == 3

    smtp_server.start()
    make_due()
    assert "sent 0, failed 0" in send(runner)
    assert smtp_server.messages == []
    assert rows()[0].attempts == 3


def test_a_server_that_never_answers_times_out_instead_of_hanging_the_worker(app, outbox):
    # Accepts the connection, then says nothing: without a timeout the worker would wait forever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=silent.getsockname()[1],
            MAIL_TIMEOUT=1,
        )
        queue(1)
        result = {}
        worker = threading.Thread(
            target=lambda: result.update(counts=_send_in_context(app)), daemon=True
        )
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "the worker hung on a silent SMTP server"
    assert result["counts"] == (0, 1)
    [row] = rows()
    assert row.status == OutboxStatus.PENDING and "timed out" in row.last_error.lower()


def _send_in_context(app):
    with app.app_context():
        return delivery.send_pending()


def test_work_loop_delivers_what_is_due_and_stops_when_asked(smtp_app, smtp_server):
    queue(2)
    passes = []

    def stop():
        return len(passes) >= 2

    delivery.work(interval=0.01, stop=stop, on_pass=lambda sent, failed: passes.append(sent))
    assert passes == [2, 0]
    assert len(smtp_server.messages) == 2
    assert all(r.status == OutboxStatus.SENT for r in rows())
