"""The weights in force: the weight set an admin adopted, else the configuration's MATCH_WEIGHTS.

Read at most every WEIGHTS_MAX_AGE_SECONDS per process (no query per page), and afresh when
the process builds its matching index again: adopting a set asks every process to
(`expert_changes.note_all`), so the suggestions they store carry the new weights at once, and
the pages that only show the weights follow within that delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from flask import current_app
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.matching import ENGINE_VERSION, FACTORS, Weights
from diaspora.models import WeightSet, WeightSetStatus

_KEY = "diaspora.weights_in_force"


@dataclass(frozen=True)
class InForce:
    weights: Weights
    version: int | None  # the adopted set's; None: the configuration's weights
    adopted_at: datetime | None
    dev_ndcg: float | None = None  # the adopted set's nDCG@10 on the labelled set, when learnt

    @property
    def engine_version(self) -> str:
        """The engine's version as recorded with each suggestion: with the adopted set's
        number ("matching-1.1/w3"), as the same engine with other weights ranks otherwise."""
        return ENGINE_VERSION if self.version is None else f"{ENGINE_VERSION}/w{self.version}"


def configured() -> Weights:
    """The configuration's weights (MATCH_WEIGHTS over the engine's defaults)."""
    return Weights.from_mapping(current_app.config.get("MATCH_WEIGHTS"))


def _read() -> InForce:
    row = db.session.execute(
        select(
            WeightSet.version, WeightSet.weights, WeightSet.adopted_at, WeightSet.measurements
        ).where(WeightSet.status == WeightSetStatus.ADOPTED)
    ).first()
    if row is None:
        return InForce(configured(), None, None)
    if set(row.weights) != set(FACTORS):
        # Learnt for an engine with other factors: ranking goes on with the configuration's
        # weights until a set is learnt for this engine and adopted.
        current_app.logger.warning("weight set %s does not fit the engine: not used", row.version)
        return InForce(configured(), None, None)
    dev = (row.measurements or {}).get("dev_ndcg_at_10") or {}
    return InForce(Weights(**row.weights), row.version, row.adopted_at, dev.get("after"))


def in_force() -> InForce:
    """The weights in force, as this process last read them (see the module's note)."""
    store = current_app.extensions.setdefault(_KEY, {})
    found = store.get("in_force")
    if found is None or monotonic() - found[0] >= current_app.config["WEIGHTS_MAX_AGE_SECONDS"]:
        found = store["in_force"] = (monotonic(), _read())
    return found[1]


def forget() -> None:
    """Read the weights in force afresh at the next use."""
    current_app.extensions.pop(_KEY, None)
