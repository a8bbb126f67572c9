from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class AlertFrequency:
    """How often someone hears of what is new for them: each time, in the weekly digest, or
    never (for saved searches: kept to run by hand)."""

    INSTANT = "instant"
    WEEKLY = "weekly"
    OFF = "off"
    ALL = (INSTANT, WEEKLY, OFF)


class SavedSearch(db.Model):
    """An expert search someone keeps, as the search page's query string, with how often they
    want to hear of experts who newly match it."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query_string: Mapped[str] = mapped_column(String(2000))
    frequency: Mapped[str] = mapped_column(String(8), default=AlertFrequency.WEEKLY)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<SavedSearch {self.id} of user {self.user_id}>"


class SavedSearchSeen(db.Model):
    """An expert the owner of a saved search already knows matches it: found when the search
    was saved, or told of in an alert. An expert is news once, even if their profile stops and
    then starts matching again."""

    __tablename__ = "saved_search_seen"

    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
