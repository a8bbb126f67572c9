"""What the admin pages show: overview counts, the outbox and the audit log, one page each."""

from dataclasses import dataclass

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import AuditEntry, ExpertProfile, Institution, OutboxMessage, User
from diaspora.services import audit_filters
from diaspora.services.errors import NotFound

PAGE_SIZE = 50


@dataclass(frozen=True)
class Overview:
    """The admin home page: institutions waiting, users by role, emails by status."""

    pending: int
    users: dict[str, int]
    outbox: dict[str, int]


def overview() -> Overview:
    """The counts of the admin home page."""
    pending = db.session.scalar(
        select(func.count()).select_from(Institution).where(Institution.verified_at.is_(None))
    )
    users = db.session.execute(select(User.role, func.count()).group_by(User.role))
    outbox = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return Overview(pending, dict(users.all()), dict(outbox.all()))


def _page_of(query, page: int) -> list:
    return list(db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))


def outbox_page(page: int, status: str = "") -> list[OutboxMessage]:
    """One page of the emails the platform wrote, newest first, of one status if given."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == status)
    return _page_of(query, page)


def outbox_message(message_id: int) -> OutboxMessage:
    """One email of the outbox; NotFound if there is none with that id."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("message")
    return message


def audit_page(filters: audit_filters.AuditFilters, page: int) -> list[AuditEntry]:
    """One page of the audit log, newest first, narrowed by `filters`."""
    query = audit_filters.apply(select(AuditEntry).order_by(AuditEntry.id.desc()), filters)
    return _page_of(query, page)


def experts_by_id(ids) -> dict[int, ExpertProfile]:
    """The expert profiles with these ids, by id (for the allocation proposal)."""
    profiles = db.session.scalars(select(ExpertProfile).where(ExpertProfile.id.in_(ids)))
    return {profile.id: profile for profile in profiles}
