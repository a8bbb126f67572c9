from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class InstitutionKind:
    MINISTRY = "ministry"
    UNIVERSITY = "university"
    AGENCY = "agency"
    PUBLIC_COMPANY = "public_company"
    OTHER = "other"
    ALL = (MINISTRY, UNIVERSITY, AGENCY, PUBLIC_COMPANY, OTHER)


class Evidence:
    """What a member who registers an institution shows that they act for it."""

    DOMAIN = "domain"  # their own address is at the institution's official email domain
    LETTER = "letter"  # a letter (PDF) on the institution's letterhead
    ALL = (DOMAIN, LETTER)


class MemberRole:
    MANAGER = "manager"  # invites and removes members, hands the role on
    MEMBER = "member"
    ALL = (MANAGER, MEMBER)


class Institution(db.Model):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default=InstitutionKind.OTHER)
    email_domain: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evidence: Mapped[str | None] = mapped_column(String(16))
    # An admin's refusal (with its note, which the member is told) or the note of a verification.
    refused_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="institution", cascade="all, delete-orphan"
    )
    verified_by: Mapped["User | None"] = relationship(foreign_keys=[verified_by_id])  # noqa: F821

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_refused(self) -> bool:
        return self.verified_at is None and self.refused_at is not None

    @property
    def members(self):
        return [m.user for m in self.memberships]


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(
        String(16), default=MemberRole.MEMBER, server_default=MemberRole.MEMBER
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
    institution: Mapped[Institution] = relationship(back_populates="memberships")

    @property
    def is_manager(self) -> bool:
        return self.role == MemberRole.MANAGER


class EvidenceLetter(db.Model):
    """The letter a member uploaded as evidence for their institution: a checked PDF, kept in
    the database (app servers keep no files) and downloaded by admins only."""

    __tablename__ = "institution_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), unique=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()


class InvitationStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"


class MemberInvitation(db.Model):
    """A manager's invitation to a colleague, sent as a single-use signed link that expires."""

    __tablename__ = "member_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    joined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=InvitationStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]

    institution: Mapped[Institution] = relationship()
    invited_by: Mapped["User | None"] = relationship(foreign_keys=[invited_by_id])  # noqa: F821
