from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class ContestOutcome:
    """What the human review decided: the decision stands, or it was changed."""

    UPHELD = "upheld"
    CHANGED = "changed"
    ALL = (UPHELD, CHANGED)


class Contest(db.Model):
    """A person's request for a human review of one decision about a match (its status when
    they asked), with their message, the deadline and, once answered, the written answer."""

    __tablename__ = "contests"
    __table_args__ = (
        # One open request per match: a second one would only split the answer in two. The
        # partial index says it to both databases; the service says it in words first.
        Index(
            "uq_contests_open_match",
            "match_id",
            unique=True,
            sqlite_where=text("answered_at IS NULL"),
            postgresql_where=text("answered_at IS NULL"),
        ),
        # The admins' queue: open requests by deadline.
        Index("ix_contests_answered_at_deadline", "answered_at", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    opened_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    contested_status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    match: Mapped["Match"] = relationship()  # noqa: F821
    opened_by: Mapped["User"] = relationship(foreign_keys=[opened_by_id])  # noqa: F821
    answered_by: Mapped["User | None"] = relationship(foreign_keys=[answered_by_id])  # noqa: F821

    def overdue(self, now: datetime) -> bool:
        """Unanswered past its deadline, or answered after it."""
        return (self.answered_at or now) > self.deadline

    def __repr__(self) -> str:
        return f"<Contest {self.id} of match {self.match_id}>"
