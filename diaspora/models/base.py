"""Column helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so every datetime stored is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class TextVectorMixin:
    """Sentence embedding of the text the matching engine compares (float32 bytes), with a
    digest of that text: a vector whose digest no longer matches is stale and recomputed."""

    text_vector: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    text_digest: Mapped[str | None] = mapped_column(String(16))
