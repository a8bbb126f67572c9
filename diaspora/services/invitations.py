"""Invitations: from an admin's approval to the expert's answer, reminders and expiry.

An invitation is a match in status "invited". The expert answers through a signed link (which
is the proof of who they are, so imported experts without a password can answer too) or from
their dashboard. Contact details of each side are shown to the other only after acceptance.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import ObjectDeletedError

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    Match,
    MatchStatus,
    Project,
    ProjectStatus,
    Role,
    User,
)
from diaspora.notifications.links import absolute, external_url, site_path
from diaspora.notifications.outbox import enqueue
from diaspora.rules import text
from diaspora.services import (
    audit,
    collaborations,
    commitments,
    institutions,
    interest,
    match_states,
    notifications,
    tokens,
)
from diaspora.services.errors import DomainError, InvalidToken, NotFound, ValidationFailed
from diaspora.services.locks import lock_project
from diaspora.services.match_states import IllegalTransition, transition
from diaspora.services.permissions import (
    APPROVED,
    can_view_match,
    is_admin,
    is_match_expert,
    is_match_institution,
    was_approved,
)

S = MatchStatus
TOKEN_PURPOSE = "invitation"
MAX_REASON_LENGTH = 2000
DEFAULT_REMIND_DAYS = 3
DEFAULT_EXPIRE_DAYS = 14


def remind_days() -> int:
    """Days without an answer before the one reminder (INVITATION_REMIND_DAYS)."""
    return int(current_app.config.get("INVITATION_REMIND_DAYS", DEFAULT_REMIND_DAYS))


def expire_days() -> int:
    """Days without an answer before an invitation expires (INVITATION_EXPIRE_DAYS)."""
    return int(current_app.config.get("INVITATION_EXPIRE_DAYS", DEFAULT_EXPIRE_DAYS))


class AlreadyAnswered(DomainError):
    """The invitation is no longer open: answered, expired or closed. `match` says how."""

    def __init__(self, match: Match):
        self.match = match
        super().__init__(match.status)


# ---------------------------------------------------------------------------------------------
# Signed links


def _fingerprint(match: Match) -> str:
    return tokens.fingerprint(match.invited_at.isoformat() if match.invited_at else "")


def make_token(match: Match) -> str:
    """A link token naming this invitation and its expert; it dies with the invitation."""
    return tokens.make(
        TOKEN_PURPOSE, {"m": match.id, "u": match.expert.user_id, "f": _fingerprint(match)}
    )


def match_for_token(token: str, viewer: User | None = None) -> Match:
    """The match a link is for. Refused (InvalidToken) when the link is tampered with, too old,
    or opened by somebody logged in as another user; its status is the caller's to check."""
    # Links outlive the invitation a little, so that a late click says "expired", not "broken".
    max_age = (expire_days() + 7) * 24 * 3600
    payload = tokens.read(TOKEN_PURPOSE, token, max_age)
    match_id, user_id = payload.get("m"), payload.get("u")
    if not isinstance(match_id, int) or not isinstance(user_id, int):
        raise InvalidToken("invalid")
    match = db.session.get(Match, match_id)
    if (
        match is None
        or match.expert is None
        or match.expert.user_id != user_id
        or payload.get("f") != _fingerprint(match)
    ):
        raise InvalidToken("invalid")
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.id != user_id:
        raise InvalidToken("other_user")
    return match


def answer_by_token(
    token: str, viewer: User | None, accept: bool, reason: str | None = None
) -> Match:
    """Accept or decline through an emailed link. Single use: once answered, the invitation
    is no longer "invited" and a second use raises AlreadyAnswered."""
    match = match_for_token(token, viewer)
    return _answer(match, match.expert.user, accept, reason)


def answer(user: User, match_id: int, accept: bool, reason: str | None = None) -> Match:
    """Accept or decline from the expert's own dashboard."""
    match = db.session.get(Match, match_id)
    if match is None or not is_match_expert(user, match) or not was_approved(match):
        raise NotFound("match")
    return _answer(match, user, accept, reason)


def _clean_reason(reason: str | None) -> str | None:
    reason = text.clean_text(reason or "")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            {"reason": [_("Keep it under %(n)d characters.", n=MAX_REASON_LENGTH)]}
        )
    return reason or None


def _answer(match: Match, actor: User, accept: bool, reason: str | None) -> Match:
    reason = _clean_reason(reason)
    project = lock_project(match.project_id)
    if match.status != S.INVITED:
        raise AlreadyAnswered(match)
    if match.expires_at is not None and match_states.now() >= match.expires_at:
        raise AlreadyAnswered(match)  # past its deadline; the next tick marks it expired
    if accept and project.status != ProjectStatus.PUBLISHED:
        raise ValidationFailed(_("This project is no longer open."))
    try:
        transition(match, S.ACCEPTED if accept else S.DECLINED, actor, reason)
    except IllegalTransition:
        db.session.rollback()
        db.session.refresh(match)
        raise AlreadyAnswered(match) from None
    _tell_members(match, "invitation_accepted" if accept else "invitation_declined")
    if accept:
        collaborations.begin(match, actor)
        _close_if_full(project, actor)
    db.session.commit()
    return match


def _tell_members(match: Match, kind: str) -> None:
    """Every active member of the project's institution hears of the invitation's news."""
    expert = match.expert
    expert_name = (expert.user.full_name or expert.ref) if expert is not None else ""
    link = site_path("invitations.show", match_id=match.id)
    params = {"project": match.project.title, "expert": expert_name}
    if kind == "invitation_declined" and match.answer_reason:
        params["reason"] = match.answer_reason
    for member in _members(match.project):
        notifications.notify(
            member,
            kind,
            link,
            mail={
                "match": match,
                "project": match.project,
                "expert_name": expert_name,
                "expert_email": expert.user.email if expert is not None else "",
                "linkedin": expert.linkedin if expert is not None else None,
                "reason": match.answer_reason,
                "match_url": absolute(link),
            },
            **params,
        )


def _members(project: Project) -> list[User]:
    members = institutions.members_of(project.institution_id)
    return [u for u in members if u.active and u.role == Role.INSTITUTION]


def _close_if_full(project: Project, actor) -> None:
    if commitments.seats_filled([project.id])[project.id] >= project.seats:
        close_open_matches(project, actor, reason="seats_filled")


def close_open_matches(project: Project, actor, reason: str = "project_closed") -> int:
    """Close what is still open on a project (seats filled, or the project itself closed):
    pending invitees get a kind email; suggestions nobody saw close silently, and stay unseen
    (`match_states.APPROVED`), but for an expert's own interest, which they are told ended.
    The caller commits. Returns how many matches were closed."""
    open_matches = db.session.scalars(
        select(Match)
        .where(Match.project_id == project.id, Match.status.in_((S.INVITED, S.SUGGESTED)))
        .order_by(Match.id)
        .execution_options(populate_existing=True)
    ).all()
    closed = 0
    for match in open_matches:
        was_invited = match.status == S.INVITED
        try:
            transition(match, S.CLOSED, actor, reason)
        except (IllegalTransition, ObjectDeletedError):
            continue  # answered, reviewed, expired or rescored away meanwhile: nothing to close
        closed += 1
        if not was_invited and reason in interest.NOT_TAKEN:
            interest.tell_not_taken(match, reason)  # only an expert who asked hears of it
        if was_invited:
            user = match.expert.user
            enqueue(
                "invitation_closed",
                user.email,
                user.locale,
                user=user,
                match=match,
                project=project,
                seats_filled=reason == "seats_filled",
                withdrawn=reason == "project_unpublished",
            )
    return closed


# ---------------------------------------------------------------------------------------------
# Sending invitations and reminders


def invite(match: Match, admin: User) -> Match:
    """Turn an approved suggestion into an invitation and put its email in the outbox, in the
    same transaction (the caller commits)."""
    if match.status != S.SUGGESTED:  # an expired one is reopened by a review only (`reopen`)
        raise IllegalTransition(match.status, S.INVITED)
    return _open(match, admin, None)


def reopen(match: Match, admin: User, contest_id: int) -> Match:
    """An expired invitation open again, because the review of request `contest_id` changed
    that decision: a fresh answer period, a new email with new links (the old ones die with
    the old invitation), audited with the request. The caller commits."""
    if match.status != S.EXPIRED:
        raise IllegalTransition(match.status, S.INVITED)
    return _open(match, admin, contest_id)


def _open(match: Match, admin: User, contest_id: int | None) -> Match:
    details = {} if contest_id is None else {"reason": "contest", "contest": contest_id}
    transition(match, S.INVITED, admin, **details)
    match.expires_at = match.invited_at + timedelta(days=expire_days())
    match.reminded_at = None
    _send(match, "invitation", reopened=contest_id is not None)
    _tell_members(match, "project_invited")
    return match


def _send(match: Match, kind: str, reopened: bool = False) -> None:
    user = match.expert.user
    token = make_token(match)
    enqueue(
        kind,
        user.email,
        user.locale,
        user=user,
        match=match,
        project=match.project,
        institution=match.project.institution,
        explanation=match.explanation or {},
        accept_url=external_url("invitations.invitation_accept", token=token),
        decline_url=external_url("invitations.invitation_decline", token=token),
        expires_at=match.expires_at,
        reopened=reopened,
    )


@dataclass(frozen=True)
class TickReport:
    reminded: int
    expired: int


def tick() -> TickReport:
    """Send each unanswered invitation its one reminder and expire those past their deadline.

    Safe to run from cron every few minutes, several at once: each change is a conditional
    UPDATE committed on its own, so a second run (or a racing one) finds nothing left to do.
    """
    moment = match_states.now()
    expired = 0
    due = db.session.scalars(
        select(Match.id)
        .where(Match.status == S.INVITED, Match.expires_at <= moment)
        .order_by(Match.id)
    ).all()
    for match_id in due:
        match = db.session.get(Match, match_id)
        try:
            transition(match, S.EXPIRED, None, "no_answer")
        except IllegalTransition:
            db.session.rollback()
            continue
        _tell_members(match, "invitation_expired")
        _tell_expert_expired(match)
        db.session.commit()
        expired += 1

    reminded = 0
    remind_before = moment - timedelta(days=remind_days())
    table = Match.__table__
    candidates = db.session.scalars(
        select(Match.id)
        .where(
            Match.status == S.INVITED,
            Match.reminded_at.is_(None),
            Match.invited_at <= remind_before,
            Match.expires_at > moment,
        )
        .order_by(Match.id)
    ).all()
    for match_id in candidates:
        claimed = db.session.execute(
            table.update()
            .where(
                table.c.id == match_id, table.c.status == S.INVITED, table.c.reminded_at.is_(None)
            )
            .values(reminded_at=moment)
        )
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        match = db.session.get(Match, match_id)
        db.session.refresh(match)
        audit.record(
            None, "match.reminded", match, project=match.project_id, expert=match.expert_id
        )
        _send(match, "invitation_reminder")
        db.session.commit()
        reminded += 1
    return TickReport(reminded=reminded, expired=expired)


def _tell_expert_expired(match: Match) -> None:
    """The expert hears that their invitation lapsed, and how to ask for a human review of it,
    on the platform and by email. Once: only the run whose transition expired it gets here."""
    if match.expert is None:
        return  # erased meanwhile: nobody left to tell
    notifications.notify(
        match.expert.user,
        "invitation_lapsed",
        site_path("invitations.show", match_id=match.id),
        mail={
            "match": match,
            "project": match.project,
            "institution": match.project.institution,
            "contest_url": external_url("contests.new", match_id=match.id),
            "projects_url": external_url("opportunities.for_me"),
        },
        project=match.project.title,
    )


# ---------------------------------------------------------------------------------------------
# What each person may see


def expert_invitations(user: User) -> list[Match]:
    """The expert's invitations, newest first: every match an admin approved for them, in
    whatever status it is now (never a suggestion, even one closed unreviewed)."""
    return list(
        db.session.scalars(
            select(Match)
            .join(ExpertProfile, Match.expert_id == ExpertProfile.id)
            .where(ExpertProfile.user_id == user.id, APPROVED)
            .options(joinedload(Match.project).joinedload(Project.institution))
            .order_by(Match.invited_at.desc(), Match.id.desc())
        )
    )


def visible_match(viewer: User, match_id: int) -> Match:
    """The match if `viewer` may see it: admins always; the expert and the members of the
    project's institution once an admin approved it (`permissions.can_view_match`). Otherwise
    NotFound, whether or not it exists, so guessing ids tells nothing."""
    match = db.session.scalar(
        select(Match)
        .where(Match.id == match_id)
        .options(
            joinedload(Match.project).joinedload(Project.institution),
            joinedload(Match.expert).joinedload(ExpertProfile.user),
        )
    )
    if match is None or not can_view_match(viewer, match):
        raise NotFound("match")
    return match


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    linkedin: str | None = None


@dataclass(frozen=True)
class Contacts:
    """Who to write to once the expert accepted: the expert, and the institution's members."""

    expert: Person | None
    institution: list[Person]


def contacts(viewer: User, match: Match) -> Contacts | None:
    """Each side's contact details for the other, and only after acceptance (None before, and
    once the expert erased their account)."""
    if match.status != S.ACCEPTED or match.expert is None:
        return None
    expert_user = match.expert.user
    is_expert = is_match_expert(viewer, match)
    is_member = is_match_institution(viewer, match)
    if not (is_expert or is_member or is_admin(viewer)):
        return None
    expert = (
        None
        if is_expert
        else Person(
            expert_user.full_name or match.expert.ref, expert_user.email, match.expert.linkedin
        )
    )
    members = (
        []
        if is_member
        else [Person(u.full_name or u.email, u.email) for u in _members(match.project)]
    )
    return Contacts(expert=expert, institution=members)


def collaboration_of(match: Match) -> int | None:
    """The collaboration the expert's yes began, where both sides follow it (None before)."""
    return collaborations.id_of_match(match.id) if match.status == S.ACCEPTED else None


def deadline_passed(match: Match, at: datetime | None = None) -> bool:
    """True when an open invitation is past its expiry date (at `at`, default now)."""
    at = at or match_states.now()
    return match.status == S.INVITED and match.expires_at is not None and at >= match.expires_at
