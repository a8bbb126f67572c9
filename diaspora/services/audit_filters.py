"""Filters of the audit log page: by action, actor, subject type and date range.

Read from the query string; a value that cannot be understood is dropped with a message, so an
odd URL shows the log unfiltered on that point instead of failing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from diaspora.extensions import db
from diaspora.models import AuditEntry, User
from diaspora.rules import dates

MAX_TEXT = 100


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    subject_type: str = ""
    since: date | None = None
    until: date | None = None
    problems: list[str] = field(default_factory=list)


def _text(args, name: str, length: int = MAX_TEXT) -> str:
    # PostgreSQL refuses NUL characters in text parameters.
    return args.get(name, "").replace("\x00", "").strip()[:length]


def _date(args, name: str, label: str, problems: list[str]) -> date | None:
    value = _text(args, name)
    if not value:
        return None
    try:
        return dates.typed_day(value[:10])
    except ValueError:
        problems.append(_("%(field)s is not a date like 2026-11-23: ignored.", field=label))
        return None


def from_args(args) -> AuditFilters:
    """The audit log's filters read from a query string; a bad value is ignored and said."""
    problems: list[str] = []
    since = _date(args, "since", _("From"), problems)
    until = _date(args, "until", _("Until"), problems)
    if since and until and since > until:
        problems.append(_("The start date is after the end date: dates ignored."))
        since = until = None
    return AuditFilters(
        action=_text(args, "action"),
        actor=_text(args, "actor").lower(),
        subject_type=_text(args, "subject", 32),
        since=since,
        until=until,
        problems=problems,
    )


def apply(query: Select, filters: AuditFilters) -> Select:
    """`query` narrowed to the audit entries the filters keep."""
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.actor:
        if filters.actor in ("system", "-"):
            query = query.where(AuditEntry.actor_id.is_(None))
        else:
            actors = select(User.id).where(
                User.email.contains(filters.actor, autoescape=True)
                | func.lower(User.full_name).contains(filters.actor, autoescape=True)
            )
            query = query.where(AuditEntry.actor_id.in_(actors))
    if filters.subject_type:
        query = query.where(AuditEntry.subject_type == filters.subject_type)
    if filters.since:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        # The end of the day rather than the start of the next: 9999-12-31 has no next day.
        query = query.where(AuditEntry.created_at <= datetime.combine(filters.until, time.max))
    return query


def subject_types() -> list[str]:
    """The kinds of subject the audit log holds, for the filter's list."""
    return [
        t
        for t in db.session.scalars(
            select(AuditEntry.subject_type).distinct().order_by(AuditEntry.subject_type)
        )
        if t
    ]
