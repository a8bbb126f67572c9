"""The life of a collaboration: the one table of allowed status changes, and the one function
that makes them (and writes them to the audit log), as `match_states` does for matches."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from diaspora.extensions import db
from diaspora.models import Collaboration, CollaborationStatus
from diaspora.services import audit, match_states
from diaspora.services.errors import DomainError

C = CollaborationStatus

# From each status, where it may go. Completed and cancelled are final.
ALLOWED: dict[str, frozenset[str]] = {
    C.ACCEPTED: frozenset({C.ACTIVE, C.CANCELLED}),
    C.ACTIVE: frozenset({C.COMPLETED, C.CANCELLED}),
    C.COMPLETED: frozenset(),
    C.CANCELLED: frozenset(),
}

LABELS = {
    C.ACCEPTED: _l("Accepted, not started"),
    C.ACTIVE: _l("Under way"),
    C.COMPLETED: _l("Completed"),
    C.CANCELLED: _l("Cancelled"),
}


def label(status: str) -> str:
    """A collaboration status in words."""
    return str(LABELS.get(status, status))


class IllegalTransition(DomainError):
    """The collaboration cannot go from its status to the one asked for."""

    def __init__(self, current: str, wanted: str):
        self.current = current
        self.wanted = wanted
        super().__init__(f"{current} -> {wanted}")

    def __str__(self) -> str:
        return _(
            "This collaboration is “%(current)s”; it cannot become “%(wanted)s”.",
            current=label(self.current),
            wanted=label(self.wanted),
        )


def can_move(current: str, wanted: str) -> bool:
    """Whether the state machine allows a collaboration to go from `current` to `wanted`."""
    return wanted in ALLOWED.get(current, frozenset())


def transition(
    collaboration: Collaboration, new_status: str, actor, reason: str | None = None, **details
) -> Collaboration:
    """Move `collaboration` to `new_status` inside the caller's transaction and audit it. The
    UPDATE is conditional on the status read, so of two racing requests (both sides cancelling
    at once) one wins and the other gets IllegalTransition."""
    old = collaboration.status
    if not can_move(old, new_status):
        raise IllegalTransition(old, new_status)
    moment = match_states.now()
    db.session.flush()
    table = Collaboration.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == collaboration.id, table.c.status == old)
        .values(status=new_status, updated_at=moment)
    )
    if result.rowcount != 1:
        db.session.refresh(collaboration)
        raise IllegalTransition(collaboration.status, new_status)
    set_committed_value(collaboration, "status", new_status)
    if new_status == C.COMPLETED:
        collaboration.completed_at = moment
    if new_status == C.CANCELLED:
        collaboration.cancelled_at = moment
        collaboration.cancel_reason = reason
    audit.record(
        actor,
        f"collaboration.{new_status}",
        collaboration,
        **{"from": old, "to": new_status},
        reason=reason,
        match=collaboration.match_id,
        project=collaboration.project_id,
        expert=collaboration.expert_id,
        **details,
    )
    return collaboration
