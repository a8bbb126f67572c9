"""Institutions: verification by an admin, and who may act for them."""

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import Institution, Role, User
from diaspora.models.base import utcnow
from diaspora.services import audit
from diaspora.services.errors import NotFound, PermissionDenied


def require_admin(user: User) -> None:
    """PermissionDenied unless `user` is a signed-in admin."""
    if not (user and user.is_authenticated and user.role == Role.ADMIN):
        raise PermissionDenied("admin only")


def get(institution_id: int) -> Institution:
    """The institution with this id, or NotFound."""
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("institution")
    return institution


def list_all(pending_first: bool = True) -> list[Institution]:
    """Every institution by name, those waiting for verification first unless told otherwise."""
    order = (Institution.verified_at.is_not(None), Institution.name) if pending_first else (
        Institution.name,
    )
    return list(db.session.scalars(select(Institution).order_by(*order)))


def verify(admin: User, institution_id: int) -> Institution:
    """An admin verifies an institution (audited; verifying twice changes nothing)."""
    require_admin(admin)
    institution = get(institution_id)
    if institution.verified_at is None:
        institution.verified_at = utcnow()
        institution.verified_by_id = admin.id
        audit.record(admin, "institution.verified", institution, name=institution.name)
        db.session.commit()
    return institution


def revoke(admin: User, institution_id: int) -> Institution:
    """An admin withdraws an institution's verification (audited; idempotent)."""
    require_admin(admin)
    institution = get(institution_id)
    if institution.verified_at is not None:
        institution.verified_at = None
        institution.verified_by_id = None
        audit.record(admin, "institution.unverified", institution, name=institution.name)
        db.session.commit()
    return institution


def member_institution(user: User) -> Institution | None:
    """The institution a member acts for; None for other roles."""
    return user.institution if user.role == Role.INSTITUTION else None


def can_post_projects(user: User) -> bool:
    """Members of a verified institution post projects; nobody else does."""
    institution = member_institution(user)
    return institution is not None and institution.is_verified and user.active
