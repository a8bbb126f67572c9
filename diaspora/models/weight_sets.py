from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diaspora.extensions import db
from diaspora.models.base import utcnow


class WeightSetStatus:
    PROPOSED = "proposed"  # written by `flask matching learn-weights`, waiting for an admin
    ADOPTED = "adopted"  # the engine's weights (one at a time)
    REFUSED = "refused"  # by an admin, or on adoption because it measured worse
    SUPERSEDED = "superseded"  # adopted once, replaced by a later adoption
    ALL = (PROPOSED, ADOPTED, REFUSED, SUPERSEDED)


class WeightSet(db.Model):
    """A versioned set of the engine's factor weights, learnt from reviewers' decisions.

    Never used until an admin adopts it; the adopted one replaces MATCH_WEIGHTS."""

    __tablename__ = "weight_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    weights: Mapped[dict] = mapped_column(JSON)
    # What the weights were measured against: decisions used, held-out AUC and dev nDCG@10,
    # before (the weights in use when it was learnt) and after.
    measurements: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=WeightSetStatus.PROPOSED, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128))  # the command that wrote it
    adopted_at: Mapped[datetime | None]
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    adopted_by: Mapped["User | None"] = relationship()  # noqa: F821
