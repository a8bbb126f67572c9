from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class AttachedCv(db.Model):
    """The CV file an expert chose to attach to their profile (one at most). Without that
    choice an uploaded CV is read for skills and forgotten: it is never stored."""

    __tablename__ = "attached_cvs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))  # pdf, docx or text (diaspora.cv.extraction)
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AttachedCv {self.id} {self.filename!r} of user {self.user_id}>"
