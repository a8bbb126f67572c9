from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.extensions import db
from diaspora.models.base import utcnow


class OutboxStatus:
    PENDING = "pending"
    RUNNING = "running"  # a job a worker is doing; taken up again at next_attempt_at if it stops
    SENT = "sent"  # an email delivered, or a job done
    FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS; an admin can requeue it


# Rows of these kinds are not emails but work the outbox worker does (services/rescore_jobs.py),
# with the emails' retries and backoff, and listed with them for the admins.
JOB_KINDS = frozenset({"rescore_all"})


class OutboxMessage(db.Model):
    """An email rendered when its use case commits; a worker delivers it later. Or a job
    (JOB_KINDS): no recipient nor body, the worker does it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        # How many emails one address received lately (the per-address limit on sign-up and
        # reset emails) is asked on every such request.
        Index("ix_outbox_messages_recipient", "to_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # The request whose use case wrote the email (its X-Request-ID, also in the log).
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Optional emails (alerts, the digest): the one-click unsubscribe link, sent in the
    # List-Unsubscribe header (RFC 8058); None for transactional emails.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(1000))
