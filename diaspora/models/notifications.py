from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.extensions import db
from diaspora.models.base import utcnow


class Notification(db.Model):
    """Something that happened for one person, shown in their notification centre. It keeps
    the kind and the values of its sentence, not the sentence: it is worded in the language
    of whoever reads it, when they read it (notifications/kinds.py)."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The bell on every page counts a person's unread notifications.
        Index("ix_notifications_unread", "user_id", "read_at"),
        # What must be said once only (a day's summary, a reminder per confirmation, a consent
        # version): a second run that would say it again meets this constraint.
        UniqueConstraint("user_id", "once_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # A path inside the site ("/matches/12"), opened through the centre so it counts as read.
    link: Mapped[str] = mapped_column(String(500), default="")
    once_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationPreference(db.Model):
    """How someone wants the emails of one optional kind (AlertFrequency: instant, weekly or
    off); no row means the kind's default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(8))
