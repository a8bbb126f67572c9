"""An admin's decision on a learnt weight set (`flask matching learn-weights` proposes them):
adopt it, which changes the engine's weights everywhere, or refuse it. Never automatic.

A set is refused on adoption when it lowers nDCG@10 on the labelled dev set, or when it was
measured against other weights than those in force now (its "before" would not be today's).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from diaspora import wording
from diaspora.extensions import db
from diaspora.matching import FACTORS
from diaspora.models import User, WeightSet, WeightSetStatus
from diaspora.models.base import utcnow
from diaspora.services import audit, expert_changes, rescore_jobs, weight_sets
from diaspora.services.errors import NotFound, ValidationFailed
from diaspora.services.permissions import require_admin

S = WeightSetStatus


@dataclass(frozen=True)
class FactorRow:
    factor: str  # in words
    now: str  # percentages, as the public page shows them
    proposed: str
    difference: str  # in percentage points, signed


@dataclass(frozen=True)
class SetView:
    weight_set: WeightSet
    rows: list[FactorRow]


@dataclass(frozen=True)
class WeightsPage:
    in_force: weight_sets.InForce
    sets: list[SetView]  # newest first
    rescoring: rescore_jobs.Rescoring


def weights_page(admin: User) -> WeightsPage:
    """Every weight set, each factor's weight now against the set's, and where rescoring with
    the weights in force stands."""
    require_admin(admin)
    weight_sets.forget()  # an admin deciding reads what is in force this very moment
    now = weight_sets.in_force()
    current = now.weights.as_dict()
    found = db.session.scalars(select(WeightSet).order_by(WeightSet.version.desc()))
    sets = [SetView(s, _rows(current, s.weights)) for s in found]
    return WeightsPage(now, sets, rescore_jobs.state())


def _rows(current: dict[str, float], proposed: dict[str, float]) -> list[FactorRow]:
    return [
        FactorRow(
            _(wording.FACTOR_LABELS[f]),
            wording.percent(current[f]),
            wording.percent(proposed.get(f, 0.0)),
            f"{(proposed.get(f, 0.0) - current[f]) * 100:+.1f}",
        )
        for f in FACTORS
    ]


def _proposed(version: int, done: str, otherwise: str) -> WeightSet | None:
    """The proposed set of `version`, locked until the decision commits (two admins adopting
    at once: the second finds it adopted); None when it already has the status `done`."""
    found = db.session.scalar(
        select(WeightSet).where(WeightSet.version == version).with_for_update()
    )
    if found is None:
        raise NotFound("weight set")
    if found.status == S.PROPOSED:
        return found
    db.session.rollback()
    if found.status == done:
        return None
    raise ValidationFailed(otherwise)


def refusal(weight_set: WeightSet) -> str | None:
    """Why this set may not be adopted now, or None."""
    measured = weight_set.measurements or {}
    dev = measured.get("dev_ndcg_at_10") or {}
    if dev.get("before") is None or dev.get("after") is None:
        return _("This weight set was not measured on the labelled dev set: it cannot be adopted.")
    base = measured.get("weights_before") or {}
    now = weight_sets.in_force().weights.as_dict()
    if any(abs(base.get(f, -1.0) - w) > 1e-9 for f, w in now.items()):
        return _(
            "This weight set was measured against other weights than those in force now: "
            "learn the weights again."
        )
    if dev["after"] < dev["before"]:
        return _(
            "This weight set lowers nDCG@10 on the labelled dev set (%(before).3f, then "
            "%(after).3f): it is refused.",
            before=dev["before"],
            after=dev["after"],
        )
    return None


def adopt(admin: User, version: int) -> rescore_jobs.Queued | None:
    """Make the proposed set the engine's weights; returns None when it already was (adopting
    twice changes nothing). The previous adopted set is superseded and every process builds its
    index again with the new weights; the stored suggestions keep their scores until the outbox
    worker has rescored them (returned: whether that job was queued or joins one waiting)."""
    require_admin(admin)
    weight_sets.forget()
    chosen = _proposed(version, S.ADOPTED, _("Only a proposed weight set can be adopted."))
    if chosen is None:
        return None
    problem = refusal(chosen)
    if problem is not None:
        db.session.rollback()
        raise ValidationFailed(problem)
    previous = db.session.scalar(select(WeightSet).where(WeightSet.status == S.ADOPTED))
    if previous is not None:
        previous.status = S.SUPERSEDED
    chosen.status, chosen.adopted_at, chosen.adopted_by_id = S.ADOPTED, utcnow(), admin.id
    audit.record(
        admin,
        "weights.adopted",
        chosen,
        version=chosen.version,
        weights=chosen.weights,
        previous=None if previous is None else previous.version,
        measurements=chosen.measurements,
    )
    expert_changes.note_all()  # every process builds its index again, with these weights
    queued = rescore_jobs.ask()
    db.session.commit()
    weight_sets.forget()
    return queued


def refuse(admin: User, version: int) -> bool:
    """Set a proposed weight set aside; returns False when it already was."""
    require_admin(admin)
    chosen = _proposed(version, S.REFUSED, _("Only a proposed weight set can be refused."))
    if chosen is None:
        return False
    chosen.status = S.REFUSED
    audit.record(admin, "weights.refused", chosen, version=chosen.version)
    db.session.commit()
    return True
