"""Contesting a decision: a person asks a human to review a decision about them, and an admin
answers in writing within CONTEST_DAYS days.

The decisions that may be contested, and by whom, are `permissions.can_contest`'s. An answer
that changes the decision moves the match through the state machine (`match_states`): a
rejection goes back to the review queue, an invitation is withdrawn, an expired one is reopened.
Every step is audited and the person is told the answer by email, in their language, and on
the platform.

An expired invitation of a project still open is reopened (expired -> invited, a fresh answer
period and a new email), not sent back to the review queue: an admin approved the pair, and an
admin has just reviewed it again, so a third review would only delay the expert; and the
engine's recomputes rewrite only suggestions still waiting, so they leave an invitation alone
where a suggestion back in the queue could be dropped or rescored away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from diaspora.extensions import db
from diaspora.models import (
    AuditEntry,
    Contest,
    ContestOutcome,
    Match,
    MatchStatus,
    ProjectStatus,
    User,
)
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.rules import text
from diaspora.services import audit, commitments, invitations, match_states, permissions
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.locks import lock_project
from diaspora.services.match_states import IllegalTransition, transition

S = MatchStatus
MAX_MESSAGE = 2000
HISTORY_LIMIT = 100  # entries of a match's history shown with its case
ANSWERED_SHOWN = 20  # recent answers under the admins' queue

# What "the decision is changed" does, by the status contested: a rejection goes back to the
# review queue, an invitation is withdrawn, an expired one is reopened. A closed invitation has
# nothing left to change: its answer is in writing only.
CHANGES = {S.REJECTED: S.SUGGESTED, S.INVITED: S.CLOSED, S.EXPIRED: S.INVITED}


def contest_days() -> int:
    return current_app.config["CONTEST_DAYS"]


@dataclass(frozen=True)
class ContestForm:
    """A decision as its person weighs contesting it: the match, the open request if there is
    one (then nothing more can be asked), the person's own earlier requests about it, and
    whether an answer could still change it."""

    match: Match
    open: Contest | None
    earlier: list[Contest]
    changeable: bool


def _match_for(user: User, match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or not permissions.knows_of_match(user, match):
        raise NotFound("match")
    return match


def _of_match(match_id: int) -> list[Contest]:
    return list(
        db.session.scalars(
            select(Contest).where(Contest.match_id == match_id).order_by(Contest.id.desc())
        )
    )


def contest_form(user: User, match_id: int) -> ContestForm:
    """What `user` needs to contest the decision on a match: NotFound for a match they may not
    know of, PermissionDenied for one whose decision is not theirs to contest."""
    match = _match_for(user, match_id)
    contests = _of_match(match.id)
    open_ = next((c for c in contests if c.answered_at is None), None)
    if open_ is None and not permissions.can_contest(user, match):
        raise PermissionDenied("not contestable")
    mine = [c for c in contests if c.opened_by_id == user.id and c is not open_]
    return ContestForm(match, open_, mine, changeable(match))


def _clean(value: str | None, field: str, empty: str) -> str:
    value = text.clean_text(value or "").strip()
    if not value:
        raise ValidationFailed({field: [empty]})
    if len(value) > MAX_MESSAGE:
        raise ValidationFailed({field: [_("At most %(n)d characters.", n=MAX_MESSAGE)]})
    return value


def open_contest(user: User, match_id: int, message: str) -> Contest:
    """`user` asks for a human review of the decision `match_id` stands on, with a message.
    Refused, changing nothing, when a review of it is already asked for."""
    message = _clean(message, "message", _("Say what you think is wrong with this decision."))
    form = contest_form(user, match_id)
    if form.open is not None:
        raise ValidationFailed(_("A review of this decision is already asked for."))
    match = form.match
    now = match_states.now()
    contest = Contest(
        match_id=match.id,
        opened_by_id=user.id,
        contested_status=match.status,
        message=message,
        opened_at=now,
        deadline=now + timedelta(days=contest_days()),
    )
    db.session.add(contest)
    try:
        db.session.flush()
    except IntegrityError:  # someone else asked a moment ago (the open-request index)
        db.session.rollback()
        raise ValidationFailed(_("A review of this decision is already asked for.")) from None
    audit.record(
        user,
        "contest.opened",
        contest,
        match=match.id,
        status=match.status,
        deadline=contest.deadline.isoformat(),
    )
    db.session.commit()
    return contest


def get_contest(user: User, contest_id: int) -> Contest:
    """A contest for its person or an admin; NotFound for anyone else."""
    contest = db.session.get(Contest, contest_id)
    if contest is None or not permissions.can_view_contest(user, contest):
        raise NotFound("contest")
    return contest


def about(viewer: User, match: Match) -> list[Contest]:
    """The requests about `match` that `viewer` may read: every one for an admin, their own
    for anyone else; newest first."""
    query = select(Contest).where(Contest.match_id == match.id)
    if not permissions.is_admin(viewer):
        query = query.where(Contest.opened_by_id == viewer.id)
    return list(db.session.scalars(query.order_by(Contest.id.desc())))


def mine(user: User) -> list[Contest]:
    """The requests `user` made, newest first."""
    return list(
        db.session.scalars(
            select(Contest)
            .where(Contest.opened_by_id == user.id)
            .options(joinedload(Contest.match).joinedload(Match.project))
            .order_by(Contest.id.desc())
        )
    )


# -- the admins' side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    open: list[Contest]  # by deadline, the most urgent first
    answered: list[Contest]  # the most recent answers
    overdue: int  # open past their deadline
    now: datetime


def queue(admin: User) -> Queue:
    """Open requests by deadline, with how many are overdue, and the latest answers."""
    permissions.require_admin(admin)
    now = match_states.now()
    loaded = (joinedload(Contest.match).joinedload(Match.project), joinedload(Contest.opened_by))
    open_ = list(
        db.session.scalars(
            select(Contest)
            .where(Contest.answered_at.is_(None))
            .options(*loaded)
            .order_by(Contest.deadline, Contest.id)
        )
    )
    answered = list(
        db.session.scalars(
            select(Contest)
            .where(Contest.answered_at.is_not(None))
            .options(*loaded)
            .order_by(Contest.answered_at.desc())
            .limit(ANSWERED_SHOWN)
        )
    )
    return Queue(open_, answered, sum(c.deadline < now for c in open_), now)


def history(contest: Contest) -> list[AuditEntry]:
    """What happened to the contested match and to the requests about it, oldest first."""
    contest_ids = select(Contest.id).where(Contest.match_id == contest.match_id)
    of_match = and_(AuditEntry.subject_type == "match", AuditEntry.subject_id == contest.match_id)
    of_contests = and_(AuditEntry.subject_type == "contest", AuditEntry.subject_id.in_(contest_ids))
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(or_(of_match, of_contests))
            .options(joinedload(AuditEntry.actor))
            .order_by(AuditEntry.created_at, AuditEntry.id)
            .limit(HISTORY_LIMIT)
        )
    )


def changeable(match: Match) -> bool:
    """Whether a review could change the decision `match` stands on: a rejection, an open or
    an expired invitation, in a project still open (a closed or withdrawn one gets a written
    answer); an expired one also needs its expert's account open, to be invited again."""
    if match.status not in CHANGES or match.project.status != ProjectStatus.PUBLISHED:
        return False
    return match.status != S.EXPIRED or _why_not_reopened(match) is None


def _why_not_reopened(match: Match) -> str | None:
    """Why an expired invitation of an open project cannot be invited again, or None: its
    expert left, or every seat of the project is filled since."""
    if match.expert is None or not match.expert.user.active:
        return _(
            "This decision can no longer be changed (the expert's account is closed, so the "
            "expired invitation cannot be reopened): answer in writing."
        )
    project = match.project
    if commitments.seats_filled([project.id])[project.id] >= project.seats:
        return _(
            "This decision can no longer be changed (every seat of the project is filled, so "
            "the expired invitation cannot be reopened): answer in writing."
        )
    return None


def can_change(contest: Contest) -> bool:
    """Whether answering "changed" still has something to change: the match stands where it
    was contested, and that can change."""
    return contest.match.status == contest.contested_status and changeable(contest.match)


def answer(admin: User, contest_id: int, answer_text: str, change: bool) -> Contest:
    """An admin answers a request in writing; with `change`, the decision is changed through
    the state machine in the same transaction. The person is emailed the answer."""
    permissions.require_admin(admin)
    answer_text = _clean(answer_text, "answer", _("Write the answer the person will read."))
    contest = get_contest(admin, contest_id)
    if contest.answered_at is not None:
        raise ValidationFailed(_("This request was already answered."))
    match = contest.match
    if change:
        lock_project(match.project_id)  # a close of the project waits, or is seen
        if not can_change(contest):
            raise ValidationFailed(why_it_stands(contest))
        try:
            if contest.contested_status == S.EXPIRED:
                invitations.reopen(match, admin, contest.id)
            else:
                transition(
                    match, CHANGES[contest.contested_status], admin, "contest", contest=contest.id
                )
        except IllegalTransition:
            db.session.rollback()
            raise ValidationFailed(
                _("This decision has changed since it was contested: answer that it stands.")
            ) from None
    now = match_states.now()
    contest.answered_at = now
    contest.answer = answer_text
    contest.outcome = ContestOutcome.CHANGED if change else ContestOutcome.UPHELD
    contest.answered_by_id = admin.id
    audit.record(
        admin,
        "contest.answered",
        contest,
        match=match.id,
        outcome=contest.outcome,
        in_time=now <= contest.deadline,
    )
    _tell(contest)
    if change and contest.contested_status == S.INVITED and match.expert is not None:
        _tell_expert_withdrawn(contest)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed(_("This request was already answered.")) from None
    return contest


def why_it_stands(contest: Contest) -> str:
    """Why answering "changed" is not offered for `contest` (when `can_change` is false)."""
    match = contest.match
    if match.status != contest.contested_status:
        return _("This decision has changed since it was contested: answer that it stands.")
    if match.status == S.EXPIRED and match.project.status != ProjectStatus.PUBLISHED:
        return _(
            "This decision can no longer be changed (the project is no longer open, so the "
            "expired invitation cannot be reopened): answer in writing."
        )
    if match.status == S.EXPIRED and (why := _why_not_reopened(match)) is not None:
        return why
    return _(
        "This decision can no longer be changed (the invitation has ended or the project is "
        "not open): answer in writing."
    )


def _tell(contest: Contest) -> None:
    user = contest.opened_by
    enqueue(
        "contest_answered",
        user.email,
        user.locale,
        user=user,
        contest=contest,
        project=contest.match.project,
        contest_url=external_url("contests.show", contest_id=contest.id),
        how_url=external_url("transparency.how_matching_works"),
    )


def _tell_expert_withdrawn(contest: Contest) -> None:
    """The institution contested an invitation and it was withdrawn: its expert hears of it."""
    user = contest.match.expert.user
    if user.id == contest.opened_by_id:
        return  # they asked for it and read the answer
    enqueue(
        "invitation_closed",
        user.email,
        user.locale,
        user=user,
        match=contest.match,
        project=contest.match.project,
        seats_filled=False,
        withdrawn=False,
        after_review=True,
    )


# -- figures for the public ------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    opened: int
    answered: int
    answered_in_time: int
    upheld: int
    changed: int
    overdue: int  # open past their deadline now


def figures() -> Figures:
    """Counts of every request, for the transparency page (one aggregate query)."""
    now = match_states.now()
    answered = Contest.answered_at.is_not(None)
    row = db.session.execute(
        select(
            func.count(),
            func.count().filter(answered),
            func.count().filter(answered, Contest.answered_at <= Contest.deadline),
            func.count().filter(Contest.outcome == ContestOutcome.UPHELD),
            func.count().filter(Contest.outcome == ContestOutcome.CHANGED),
            func.count().filter(Contest.answered_at.is_(None), Contest.deadline < now),
        )
    ).one()
    return Figures(*(int(n or 0) for n in row))
