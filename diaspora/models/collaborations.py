"""What happens after an expert says yes: the collaboration, its hours, its ratings."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class CollaborationStatus:
    ACCEPTED = "accepted"  # the expert said yes; the work has not started
    ACTIVE = "active"  # the institution confirmed the start
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # by either side, with a reason
    ALL = (ACCEPTED, ACTIVE, COMPLETED, CANCELLED)
    # Those that hold a seat of the project and the expert's hours.
    COMMITTED = (ACCEPTED, ACTIVE)


class Side:
    """Which side of a collaboration someone acts for."""

    EXPERT = "expert"
    INSTITUTION = "institution"
    ALL = (EXPERT, INSTITUTION)


class HoursStatus:
    PENDING = "pending"  # logged by the expert, waiting for the institution
    CONFIRMED = "confirmed"  # counted in every total; no longer editable
    DISPUTED = "disputed"  # the institution disagrees (note); the expert may correct it
    ALL = (PENDING, CONFIRMED, DISPUTED)


class Collaboration(db.Model):
    """One accepted match, from the expert's yes to its end."""

    __tablename__ = "collaborations"
    __table_args__ = (Index("ix_collaborations_project_status", "project_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    # NULL once the expert erased their account, as on the match: the fact stays, not the person.
    expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=CollaborationStatus.ACCEPTED)
    started_on: Mapped[date | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # a Side
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)  # what was delivered, in words
    # The certificate's verification code, drawn at completion (services/certificates.py).
    certificate_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    match: Mapped["Match"] = relationship()  # noqa: F821
    project: Mapped["Project"] = relationship()  # noqa: F821
    expert: Mapped["ExpertProfile | None"] = relationship()  # noqa: F821
    hours: Mapped[list["HoursEntry"]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan", order_by="HoursEntry.month"
    )
    ratings: Mapped[list["CollaborationRating"]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan"
    )

    @property
    def confirmed_hours(self) -> int:
        return sum(e.hours for e in self.hours if e.status == HoursStatus.CONFIRMED)


class HoursEntry(db.Model):
    """The hours an expert gave in one month (the month's first day), one entry per month."""

    __tablename__ = "collaboration_hours"
    __table_args__ = (
        UniqueConstraint("collaboration_id", "month"),
        CheckConstraint("hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    month: Mapped[date]
    hours: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=HoursStatus.PENDING)
    note: Mapped[str | None] = mapped_column(Text)  # why the institution disputes them
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    collaboration: Mapped[Collaboration] = relationship(back_populates="hours")


class CollaborationRating(db.Model):
    """One side's private rating at completion (admins alone read it); `score` None: skipped."""

    __tablename__ = "collaboration_ratings"
    __table_args__ = (UniqueConstraint("collaboration_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    side: Mapped[str] = mapped_column(String(16))
    score: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    collaboration: Mapped[Collaboration] = relationship(back_populates="ratings")
