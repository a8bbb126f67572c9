from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from diaspora.extensions import db
from diaspora.models.base import utcnow


class Role:
    EXPERT = "expert"
    INSTITUTION = "institution"
    ADMIN = "admin"
    ALL = (EXPERT, INSTITUTION, ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored folded to lower case, which makes the unique constraint case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Imported experts have no password until they claim their account by email.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.EXPERT, index=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    email_verified_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes so that other sessions and remember-me cookies end.
    session_version: Mapped[int] = mapped_column(default=1)
    # "immediate" or "weekly" for optional messages; invitations and answers are always immediate.
    notification_mode: Mapped[str] = mapped_column(String(16), default="immediate")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    expert: Mapped["ExpertProfile | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    @validates("email")
    def _fold_email(self, _key, value: str) -> str:
        return value.strip().lower()

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def institution(self):
        return self.memberships[0].institution if self.memberships else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
