"""The life of a match: the one table of allowed status changes, and the one function that
makes them (and writes them to the audit log).

Every change of `Match.status` goes through `transition`, so the rule "only these moves, each
recorded with who, when and why" lives here and nowhere else.
"""

from flask_babel import gettext as _

from diaspora.models import Match, MatchStatus
from diaspora.models.base import utcnow
from diaspora.services import expert_changes, state_machine

S = MatchStatus

# From each status, where it may go. Statuses that are absent (or map to nothing) are final.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.INVITED, S.REJECTED, S.CLOSED}),
    S.INVITED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CLOSED}),
    # Only a human review of a contested rejection re-opens it (services/contests.py).
    S.REJECTED: frozenset({S.SUGGESTED}),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
    # Only a human review of a contested expiry reopens it, with a fresh answer period.
    S.EXPIRED: frozenset({S.INVITED}),
    S.CLOSED: frozenset(),
}


def now():
    """The current time (naive UTC) for every match rule; tests move it forward."""
    return utcnow()


class IllegalTransition(state_machine.IllegalTransition):
    """The match cannot go from its status to the one asked for (or another request moved it
    first). `current` is the status the match is actually in."""

    def __str__(self) -> str:
        # Translated when shown (in a request), not when raised (perhaps by a cron job).
        return _(
            "This match is %(current)s; it cannot become %(wanted)s.",
            current=self.current,
            wanted=self.wanted,
        )


def _audited(match: Match) -> dict:
    # With each move the audit log keeps what produced the match, to explain it later.
    return {
        "project": match.project_id,
        "expert": match.expert_id,
        "source": match.source,
        "score": match.score,
        "engine_version": match.engine_version,
        "weights": match.weights,
    }


MACHINE = state_machine.StateMachine(ALLOWED, IllegalTransition, _audited)
can_move = MACHINE.can_move  # whether a match may go from one status to another


def transition(match: Match, new_status: str, actor, reason: str | None = None, **details) -> Match:
    """Move `match` to `new_status` inside the caller's transaction and audit it.

    The UPDATE is conditional on the status read earlier, so two requests racing on the same
    match (an expert accepting while the cron job expires it, a link clicked twice) cannot
    both win: the loser gets IllegalTransition and changes nothing.
    """
    moment = now()
    old = MACHINE.move(match, new_status, actor, moment, reason, **details)
    if S.INVITED in (old, new_status):
        # Pending invitations lower an expert's scores a little (fair exposure).
        expert_changes.note(match.expert_id)

    actor_id = getattr(actor, "id", actor)
    if new_status in (S.INVITED, S.REJECTED):
        match.reviewed_by_id = actor_id
        match.reviewed_at = moment
    if new_status == S.INVITED:
        match.invited_at = moment
    if new_status == S.REJECTED:
        match.reject_reason = reason
    if new_status in (S.ACCEPTED, S.DECLINED):
        match.answered_at = moment
        match.answer_reason = reason
    return match
