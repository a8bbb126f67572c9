"""What the admin pages show: the outbox and the audit log, one page each."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from diaspora.extensions import db
from diaspora.models import AuditEntry, OutboxMessage
from diaspora.services import audit_filters
from diaspora.services.errors import NotFound

PAGE_SIZE = 50


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


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log (each entry's actor loaded) and the kinds of subject its
    filter offers."""

    entries: list[AuditEntry]
    subject_types: list[str]


def audit_page(filters: audit_filters.AuditFilters, page: int) -> AuditPage:
    """One page of the audit log, newest first, narrowed by `filters`."""
    query = audit_filters.apply(
        select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc()),
        filters,
    )
    return AuditPage(_page_of(query, page), audit_filters.subject_types())
