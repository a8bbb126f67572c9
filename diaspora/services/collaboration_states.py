"""The life of a collaboration: the one table of allowed status changes, and the one function
that makes them (and writes them to the audit log), as `match_states` does for matches."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diaspora.models import Collaboration, CollaborationStatus
from diaspora.services import match_states, state_machine

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


class IllegalTransition(state_machine.IllegalTransition):
    """The collaboration cannot go from its status to the one asked for."""

    def __str__(self) -> str:
        return _(
            "This collaboration is “%(current)s”; it cannot become “%(wanted)s”.",
            current=label(self.current),
            wanted=label(self.wanted),
        )


def _audited(collaboration: Collaboration) -> dict:
    return {
        "match": collaboration.match_id,
        "project": collaboration.project_id,
        "expert": collaboration.expert_id,
    }


MACHINE = state_machine.StateMachine(ALLOWED, IllegalTransition, _audited)
can_move = MACHINE.can_move  # whether a collaboration may go from one status to another


def transition(
    collaboration: Collaboration, new_status: str, actor, reason: str | None = None, **details
) -> Collaboration:
    """Move `collaboration` to `new_status` inside the caller's transaction and audit it. The
    UPDATE is conditional on the status read, so of two racing requests (both sides cancelling
    at once) one wins and the other gets IllegalTransition."""
    moment = match_states.now()
    MACHINE.move(collaboration, new_status, actor, moment, reason, **details)
    if new_status == C.COMPLETED:
        collaboration.completed_at = moment
    if new_status == C.CANCELLED:
        collaboration.cancelled_at = moment
        collaboration.cancel_reason = reason
    return collaboration
