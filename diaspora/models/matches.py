from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class MatchStatus:
    SUGGESTED = "suggested"  # by the engine or an admin, waiting for review
    REJECTED = "rejected"  # by an admin, with a reason; never shown to the expert
    INVITED = "invited"  # approved by an admin: the invitation email is in the outbox
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # unanswered after the deadline
    CLOSED = "closed"  # the project's seats filled up or it closed before an answer
    ALL = (SUGGESTED, REJECTED, INVITED, ACCEPTED, DECLINED, EXPIRED, CLOSED)


class MatchSource:
    """Who put the pair in the review queue. Recomputes replace only the engine's suggestions."""

    ENGINE = "engine"
    MANUAL = "manual"  # an admin added the expert by hand
    INSTITUTION = "institution"  # a member proposed the expert from a search, with a note
    EXPERT = "expert"  # the expert expressed interest in the project, with a note
    ALL = (ENGINE, MANUAL, INSTITUTION, EXPERT)


class Match(db.Model):
    """One expert for one project: the engine's suggestion, then the invitation's life."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("project_id", "expert_id"),
        # Suggestions waiting for review per project (the review queue, rescoring) and pending
        # invitations are asked for by status first; queries on the status alone use it too.
        # The queue's size and age and rescoring's floors read only the included columns: from
        # the index, not from rows of a few kilobytes (their explanations).
        Index(
            "ix_matches_status_project",
            "status",
            "project_id",
            postgresql_include=["created_at", "score", "source"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    # NULL once the expert erased their account: an approved match outlives the person as the
    # anonymous fact of what happened (the project's seat stays filled, its history stays true).
    expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=MatchStatus.SUGGESTED)
    source: Mapped[str] = mapped_column(String(16), default=MatchSource.ENGINE)
    # Who proposed the pair and why, for the sources "institution" and "expert".
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposal_note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    rank: Mapped[int | None]
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    engine_version: Mapped[str] = mapped_column(String(32), default="")
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    invited_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer_reason: Mapped[str | None] = mapped_column(Text)
    # When an admin applied an allocation proposing this pair: it then heads the review queue.
    prioritised_at: Mapped[datetime | None]

    project: Mapped["Project"] = relationship()  # noqa: F821
    expert: Mapped["ExpertProfile | None"] = relationship()  # noqa: F821
    reviewed_by: Mapped["User | None"] = relationship(foreign_keys=[reviewed_by_id])  # noqa: F821
    proposed_by: Mapped["User | None"] = relationship(foreign_keys=[proposed_by_id])  # noqa: F821
