"""The outbox worker: deliver due messages, retry with backoff, never lose or repeat one."""

import smtplib
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_mail import Message, sanitize_address, sanitize_addresses
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import OutboxMessage, OutboxStatus
from diaspora.models.base import utcnow
from diaspora.models.outbox import JOB_KINDS
from diaspora.notifications.secrets import carries_secret


class _OneLine(str):
    """A header value written as it is, on one line (RFC 5322 allows 998 characters): the
    email library would otherwise turn a link longer than 78 characters, which has no space to
    fold at, into encoded words that mail clients do not read as a link."""

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _headers(row: OutboxMessage) -> dict[str, str]:
    headers = {"Content-Language": row.locale}
    if row.unsubscribe_url:
        # RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and POST to the link.
        headers["List-Unsubscribe"] = _OneLine("List-Unsubscribe", f"<{row.unsubscribe_url}>")
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _as_mail(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        recipients=[row.to_address],
        body=row.body_text,
        html=row.body_html,
        extra_headers=_headers(row),
    )
    # Keep the stored Message-ID: a retry of the same row is recognisably the same email.
    message.msgId = row.message_id
    return message


def _send_smtp(message: Message) -> None:
    # Flask-Mail builds the email, smtplib carries it: Flask-Mail's own transport opens
    # connections without a timeout (a server that accepts and then stays silent would hang the
    # worker for ever), reads its settings once at start-up, and under TESTING drops every email
    # while reporting success.
    config = current_app.config
    smtp = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as host:
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        host.sendmail(
            sanitize_address(message.sender),
            sanitize_addresses(message.send_to),
            message.as_bytes(),
        )


def _deliver(row: OutboxMessage) -> None:
    if current_app.config["MAIL_BACKEND"] == "file":
        folder = Path(current_app.config["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{row.id:08d}.eml").write_bytes(_as_mail(row).as_bytes())
    else:
        _send_smtp(_as_mail(row))


def destination() -> str:
    """Where delivered emails go, in words: the folder of the files, or the SMTP relay."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "file":
        return f"are written to {Path(config['MAIL_DIR']).resolve()}/"
    return f"are sent through {config['MAIL_SERVER']}:{config['MAIL_PORT']}"


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2×base, 4×base… capped at six hours."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def note_failure(row: OutboxMessage, error: Exception) -> None:
    """Record a failed attempt: the row waits for its backoff, or after OUTBOX_MAX_ATTEMPTS is
    marked failed."""
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
    else:
        row.status = OutboxStatus.PENDING  # a job was running; an email still is pending
        row.next_attempt_at = utcnow() + backoff(row.attempts)


def _claim_one(tried: set[int]) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .where(OutboxMessage.next_attempt_at <= utcnow())
        .where(OutboxMessage.kind.not_in(JOB_KINDS))
        .where(OutboxMessage.id.not_in(tried))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    # On PostgreSQL each worker locks the rows it sends; others skip them instead of waiting.
    # SQLite has one writer at a time, and the clause is left out there.
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.scalars(query).first()


def send_pending(batch: int = 50) -> tuple[int, int]:
    """One pass over due messages; returns (sent, failed attempts). Each row commits alone."""
    sent = failed = 0
    tried: set[int] = set()  # a message that fails waits for its backoff, not for this pass
    while len(tried) < batch:
        row = _claim_one(tried)
        if row is None:
            break
        tried.add(row.id)
        row.attempts += 1
        try:
            _deliver(row)
        except Exception as error:  # any SMTP or network failure: the row waits and retries
            failed += 1
            note_failure(row, error)
            current_app.logger.warning("Outbox %s not sent: %s", row.id, row.last_error)
        else:
            sent += 1
            row.status = OutboxStatus.SENT
            row.sent_at = utcnow()
            row.last_error = None
            if carries_secret(row.kind):
                # Its link still works for hours or days: once delivered, nobody else needs it.
                row.body_text = row.body_html = ""
                row.unsubscribe_url = None
        db.session.commit()
    db.session.rollback()
    return sent, failed


def work(interval: float = 5.0, stop=lambda: False, on_pass=None, jobs=None) -> None:
    """Loop forever (or until `stop()`), sleeping `interval` seconds when nothing is due.
    Between passes `jobs()`, when given, does the due jobs (JOB_KINDS) and says if it did any."""
    while not stop():
        sent, failed = send_pending()
        if on_pass:
            on_pass(sent, failed)
        worked = jobs() if jobs else False
        if sent == 0 and not worked:
            time.sleep(interval)
