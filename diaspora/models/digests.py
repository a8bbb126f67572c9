from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.extensions import db
from diaspora.models.base import utcnow


class DigestItem(db.Model):
    """Something for the recipient's next weekly digest (``kind`` says which section shows
    it, ``payload`` what it is); ``sent_at`` is set in the transaction that writes the digest,
    so a digest never repeats an item."""

    __tablename__ = "digest_items"
    __table_args__ = (Index("ix_digest_items_pending", "sent_at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
