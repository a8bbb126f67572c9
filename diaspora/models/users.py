from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    expert: Mapped["ExpertProfile | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )
    login_sessions: Mapped[list["LoginSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The key of the login session this object was loaded for (set by the services that start
    # or find one); never stored on the user's row.
    login_key = None

    @validates("email")
    def _fold_email(self, _key, value: str) -> str:
        return value.strip().lower()

    def get_id(self) -> str:
        # What the session and remember-me cookies carry: the login session's key, so that
        # ending the session on the server (logout, password change) voids every copy of them.
        if not self.login_key:
            raise RuntimeError("start a login session (accounts.start_session) before login_user")
        return self.login_key

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One signed-in browser: its cookies name the random key, stored here only as a digest so
    that a copy of the database signs nobody in."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="login_sessions")

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} of user {self.user_id}>"
