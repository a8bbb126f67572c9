"""Collaborations: what follows an accepted invitation.

The institution confirms the start, the expert logs hours month by month and the institution
confirms them, the institution completes it with an outcome, both sides rate it privately;
either side may cancel it before it completes. Status changes go through
`collaboration_states.transition`; both sides are notified (services/notifications.py) in
the same transaction.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from diaspora.extensions import db
from diaspora.models import (
    Collaboration,
    CollaborationRating,
    CollaborationStatus,
    ExpertProfile,
    HoursEntry,
    HoursStatus,
    Match,
    Project,
    Role,
    Side,
    User,
)
from diaspora.notifications.links import absolute, site_path
from diaspora.rules import text
from diaspora.services import (
    audit,
    certificates,
    institutions,
    match_states,
    notifications,
    rescoring,
)
from diaspora.services.collaboration_states import transition
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.permissions import (
    can_view_collaboration,
    collaboration_side,
    is_admin,
    shows_collaborations,
)

C = CollaborationStatus
H = HoursStatus
MAX_TEXT_LENGTH = 2000
# More than full time in any month is a typing mistake, not generosity.
MAX_HOURS_PER_MONTH = 200
# How far back the hours form offers months (a collaboration that ran longer logs the rest
# month by month as it goes).
MONTHS_OFFERED = 36


def today() -> date:
    return match_states.now().date()


def first_of_month(day: date) -> date:
    return day.replace(day=1)


# ---------------------------------------------------------------------------------------------
# Reading


def _loaded():
    return select(Collaboration).options(
        joinedload(Collaboration.project).joinedload(Project.institution),
        joinedload(Collaboration.expert).joinedload(ExpertProfile.user),
        selectinload(Collaboration.hours),
        selectinload(Collaboration.ratings),
    )


def visible(viewer: User, collaboration_id: int) -> Collaboration:
    """The collaboration if `viewer` may see it (both sides, admins); NotFound otherwise,
    whether or not it exists."""
    collaboration = db.session.scalar(_loaded().where(Collaboration.id == collaboration_id))
    if collaboration is None or not can_view_collaboration(viewer, collaboration):
        raise NotFound("collaboration")
    return collaboration


def _acting(viewer: User, collaboration_id: int, side: str) -> Collaboration:
    """The collaboration `viewer` acts on for `side`: NotFound if they may not see it,
    PermissionDenied if they see it from the other side (or as an admin)."""
    collaboration = visible(viewer, collaboration_id)
    if collaboration_side(viewer, collaboration) != side or not viewer.active:
        raise PermissionDenied(side)
    return collaboration


@dataclass(frozen=True)
class CollaborationPage:
    """A collaboration as its viewer sees it, with what they may do now."""

    collaboration: Collaboration
    side: str | None
    can_start: bool
    can_log_hours: bool
    can_review_hours: bool
    can_complete: bool
    can_cancel: bool
    can_rate: bool
    can_download_certificate: bool
    months: list[date]
    confirmed_hours: int
    # Admins alone read the ratings.
    ratings: list[CollaborationRating] = field(default_factory=list)


def page(viewer: User, collaboration_id: int) -> CollaborationPage:
    """The collaboration page of `viewer` (NotFound if they may not see it)."""
    collab = visible(viewer, collaboration_id)
    side = collaboration_side(viewer, collab)
    status = collab.status
    institution, expert = side == Side.INSTITUTION, side == Side.EXPERT
    rated = {r.side for r in collab.ratings}
    return CollaborationPage(
        collaboration=collab,
        side=side,
        can_start=institution and status == C.ACCEPTED,
        can_log_hours=expert and status == C.ACTIVE,
        can_review_hours=institution and status in (C.ACTIVE, C.COMPLETED),
        can_complete=institution and status == C.ACTIVE,
        can_cancel=side is not None and status in (C.ACCEPTED, C.ACTIVE),
        can_rate=side is not None and status == C.COMPLETED and side not in rated,
        can_download_certificate=expert and status == C.COMPLETED,
        months=months_open(collab) if expert and status == C.ACTIVE else [],
        confirmed_hours=collab.confirmed_hours,
        ratings=list(collab.ratings) if is_admin(viewer) else [],
    )


def months_open(collab: Collaboration) -> list[date]:
    """The months the expert may log hours for, newest first: from the start's month to this
    one, at most `MONTHS_OFFERED`."""
    last = first_of_month(today())
    first = first_of_month(collab.started_on or last)
    months = []
    month = last
    while month >= first and len(months) < MONTHS_OFFERED:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def confirmed_hours(collaboration_ids: list[int]) -> dict[int, int]:
    """Confirmed hours per collaboration, in one query."""
    totals = dict.fromkeys(collaboration_ids, 0)
    if collaboration_ids:
        rows = db.session.execute(
            select(HoursEntry.collaboration_id, func.sum(HoursEntry.hours))
            .where(
                HoursEntry.collaboration_id.in_(collaboration_ids),
                HoursEntry.status == H.CONFIRMED,
            )
            .group_by(HoursEntry.collaboration_id)
        )
        totals.update({cid: int(total) for cid, total in rows})
    return totals


@dataclass(frozen=True)
class Row:
    """One collaboration in a list, with its confirmed hours and its pending entries."""

    collaboration: Collaboration
    confirmed_hours: int


def id_of_match(match_id: int) -> int | None:
    """The collaboration that the accepted match `match_id` began, if any."""
    return db.session.scalar(select(Collaboration.id).where(Collaboration.match_id == match_id))


def _rows(query) -> list[Row]:
    found = list(
        db.session.scalars(
            query.options(
                joinedload(Collaboration.project).joinedload(Project.institution),
                joinedload(Collaboration.expert).joinedload(ExpertProfile.user),
            ).order_by(Collaboration.created_at.desc(), Collaboration.id.desc())
        ).unique()
    )
    hours = confirmed_hours([c.id for c in found])
    return [Row(c, hours[c.id]) for c in found]


def for_expert(user: User) -> list[Row]:
    """The expert's collaborations, newest first (two queries)."""
    return _rows(
        select(Collaboration)
        .join(ExpertProfile, Collaboration.expert_id == ExpertProfile.id)
        .where(ExpertProfile.user_id == user.id)
    )


def for_project(project_id: int) -> list[Row]:
    """A project's collaborations, newest first (two queries); the caller checked who looks."""
    return _rows(select(Collaboration).where(Collaboration.project_id == project_id))


def history(viewer: User, profile: ExpertProfile) -> list[Row] | None:
    """The collaborations a profile page shows (under way or completed), or None when the
    expert keeps them from `viewer`."""
    if not shows_collaborations(viewer, profile):
        return None
    return _rows(
        select(Collaboration).where(
            Collaboration.expert_id == profile.id,
            Collaboration.status.in_((C.ACTIVE, C.COMPLETED)),
        )
    )


# ---------------------------------------------------------------------------------------------
# The expert says yes


def begin(match: Match, actor) -> Collaboration:
    """The collaboration of a match just accepted, in the caller's transaction."""
    collaboration = Collaboration(
        match=match, project_id=match.project_id, expert_id=match.expert_id, status=C.ACCEPTED
    )
    db.session.add(collaboration)
    db.session.flush()
    audit.record(
        actor,
        "collaboration.created",
        collaboration,
        match=match.id,
        project=match.project_id,
        expert=match.expert_id,
    )
    return collaboration


# ---------------------------------------------------------------------------------------------
# Status changes


def _clean(value: str | None, field_name: str, required_message: str | None = None) -> str:
    cleaned = text.clean_text(value or "").strip()
    if required_message and not cleaned:
        raise ValidationFailed({field_name: [required_message]})
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            {field_name: [_("Keep it under %(n)d characters.", n=MAX_TEXT_LENGTH)]}
        )
    return cleaned


def start(actor: User, collaboration_id: int, started_on: date | None) -> Collaboration:
    """The institution confirms the work started on `started_on` (between the expert's yes
    and today)."""
    collab = _acting(actor, collaboration_id, Side.INSTITUTION)
    accepted_on = (collab.match.answered_at or collab.created_at).date()
    if started_on is None:
        raise ValidationFailed({"started_on": [_("Give the date the work started.")]})
    if not accepted_on <= started_on <= today():
        raise ValidationFailed(
            {
                "started_on": [
                    _(
                        "The start must fall between the expert's acceptance (%(accepted)s) "
                        "and today.",
                        accepted=format_date(accepted_on, "long"),
                    )
                ]
            }
        )
    transition(collab, C.ACTIVE, actor, started_on=started_on.isoformat())
    collab.started_on = started_on
    _tell_expert(collab, "started")
    _tell_members(collab, actor)
    db.session.commit()
    return collab


def cancel(actor: User, collaboration_id: int, reason: str | None) -> Collaboration:
    """Either side cancels, with a reason; the seat is free again and the project's
    suggestions are refreshed (new experts for admins to review while it is published)."""
    collab = visible(actor, collaboration_id)
    side = collaboration_side(actor, collab)
    if side is None or not actor.active:
        raise PermissionDenied("cancel")
    reason = _clean(reason, "reason", _("Say why the collaboration is cancelled."))
    transition(collab, C.CANCELLED, actor, reason, side=side)
    collab.cancelled_by = side
    if side == Side.INSTITUTION:
        _tell_expert(collab, "cancelled")
    _tell_members(collab, actor)
    db.session.commit()
    rescoring.rescore_project(collab.project_id)
    return collab


def complete(actor: User, collaboration_id: int, outcome: str | None) -> Collaboration:
    """The institution completes the collaboration with what was delivered, in words; the
    certificate's code is drawn."""
    collab = _acting(actor, collaboration_id, Side.INSTITUTION)
    outcome = _clean(outcome, "outcome", _("Say in a few words what was delivered."))
    transition(collab, C.COMPLETED, actor)
    collab.outcome = outcome
    collab.certificate_code = certificates.new_code()
    _tell_expert(collab, "completed")
    _tell_members(collab, actor)
    db.session.commit()
    return collab


def rate(
    actor: User, collaboration_id: int, score: int | None, comment: str | None
) -> CollaborationRating:
    """One side's private rating of a completed collaboration (None: they skip); once."""
    collab = visible(actor, collaboration_id)
    side = collaboration_side(actor, collab)
    if side is None:
        raise PermissionDenied("rate")
    if collab.status != C.COMPLETED:
        raise ValidationFailed(_("Only a completed collaboration is rated."))
    if any(r.side == side for r in collab.ratings):
        raise ValidationFailed(_("Your side has already answered."))
    if score is not None and not 1 <= score <= 5:
        raise ValidationFailed({"score": [_("Choose a rating from 1 to 5.")]})
    comment = _clean(comment, "comment") if score is not None else ""
    rating = CollaborationRating(
        collaboration=collab, side=side, score=score, comment=comment or None, user_id=actor.id
    )
    db.session.add(rating)
    try:
        db.session.flush()
    except IntegrityError:  # the other click of a double click rated a moment ago
        db.session.rollback()
        raise ValidationFailed(_("Your side has already answered.")) from None
    audit.record(
        actor, "collaboration.rated" if score else "collaboration.rating_skipped", collab, side=side
    )
    db.session.commit()
    return rating


# ---------------------------------------------------------------------------------------------
# Hours


def log_hours(actor: User, collaboration_id: int, month: date | None, hours) -> HoursEntry:
    """The expert's hours for one month of an active collaboration; logging a month again
    corrects it, until the institution confirmed it."""
    collab = _acting(actor, collaboration_id, Side.EXPERT)
    if collab.status != C.ACTIVE:
        raise ValidationFailed(_("Hours are logged while the collaboration is under way."))
    errors: dict[str, list[str]] = {}
    if month is None or first_of_month(month) not in months_open(collab):
        errors["month"] = [_("Choose a month between the start and this month.")]
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS_PER_MONTH:
        errors["hours"] = [
            _("Give a whole number of hours from 1 to %(n)d.", n=MAX_HOURS_PER_MONTH)
        ]
    if errors:
        raise ValidationFailed(errors)
    month = first_of_month(month)
    entry = next((e for e in collab.hours if e.month == month), None)
    if entry is not None and entry.status == H.CONFIRMED:
        raise ValidationFailed({"month": [_("The institution already confirmed this month.")]})
    if entry is None:
        entry = HoursEntry(collaboration=collab, month=month, hours=hours)
        db.session.add(entry)
    else:
        entry.hours, entry.status, entry.note = hours, H.PENDING, None
    entry.logged_at = match_states.now()
    try:
        db.session.flush()
    except IntegrityError:
        # The same month sent a moment ago (a double click) holds the row now: start again,
        # which corrects that entry (or refuses, were it confirmed meanwhile).
        db.session.rollback()
        return log_hours(actor, collaboration_id, month, hours)
    audit.record(actor, "collaboration.hours_logged", collab, month=month.isoformat(), hours=hours)
    _tell_members(collab, actor, kind="collaboration_hours_logged", entry=entry)
    db.session.commit()
    return entry


def review_hours(
    actor: User,
    collaboration_id: int,
    entry_id: int,
    confirm: bool | None,
    note: str | None = None,
) -> HoursEntry:
    """The institution confirms a month's hours (then they count, and stay) or disputes them
    with a note (the expert may correct them); `confirm` None (no decision) changes nothing."""
    collab = _acting(actor, collaboration_id, Side.INSTITUTION)
    entry = next((e for e in collab.hours if e.id == entry_id), None)
    if entry is None:
        raise NotFound("hours")
    if confirm is None:
        raise ValidationFailed(_("Confirm or dispute the hours with one of the two buttons."))
    if collab.status not in (C.ACTIVE, C.COMPLETED):
        raise ValidationFailed(_("These hours can no longer be reviewed."))
    allowed = (H.PENDING, H.DISPUTED) if confirm else (H.PENDING,)
    if entry.status not in allowed:
        raise ValidationFailed(_("These hours were already reviewed."))
    note = None if confirm else _clean(note, "note", _("Say what does not match."))
    entry.status = H.CONFIRMED if confirm else H.DISPUTED
    entry.note = note
    entry.reviewed_at = match_states.now()
    entry.reviewed_by_id = actor.id
    audit.record(
        actor,
        "collaboration.hours_confirmed" if confirm else "collaboration.hours_disputed",
        collab,
        month=entry.month.isoformat(),
        hours=entry.hours,
        note=note,
    )
    _tell_expert(collab, "hours_confirmed" if confirm else "hours_disputed", entry=entry)
    db.session.commit()
    return entry


# ---------------------------------------------------------------------------------------------
# Emails


def _link(collab: Collaboration) -> str:
    return site_path("collaborations.show", collaboration_id=collab.id)


def _expert_name(collab: Collaboration) -> str:
    if collab.expert is None:
        return ""
    return collab.expert.user.full_name or collab.expert.ref


def _tell_expert(collab: Collaboration, event: str, **context) -> None:
    """The expert hears what the institution did (nothing once they erased their account)."""
    if collab.expert is None:
        return
    link = _link(collab)
    notifications.notify(
        collab.expert.user,
        "collaboration_update",
        link,
        mail={
            "collaboration": collab,
            "project": collab.project,
            "institution": collab.project.institution,
            "url": absolute(link),
            **context,
        },
        event=event,
        project=collab.project.title,
        institution=collab.project.institution.name,
    )


def _tell_members(
    collab: Collaboration, actor, kind: str = "collaboration_changed", **context
) -> None:
    """Every active member of the project's institution but the one who acted hears of it."""
    actor_id = getattr(actor, "id", None)
    link = _link(collab)
    for member in institutions.members_of(collab.project.institution_id):
        if member.id == actor_id or not member.active or member.role != Role.INSTITUTION:
            continue
        notifications.notify(
            member,
            kind,
            link,
            mail={
                "collaboration": collab,
                "project": collab.project,
                "expert_name": _expert_name(collab),
                "url": absolute(link),
                **context,
            },
            project=collab.project.title,
            expert=_expert_name(collab),
            status=collab.status,
        )
