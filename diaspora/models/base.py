"""Column helpers shared by the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so every datetime stored is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
