"""Institutions: verification by an admin (who may act for them is in `permissions`)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from diaspora.extensions import db
from diaspora.models import Institution, Membership, User
from diaspora.models.base import utcnow
from diaspora.services import audit
from diaspora.services.errors import NotFound
from diaspora.services.permissions import require_admin

__all__ = [
    "get",
    "list_all",
    "list_verified",
    "list_with_members",
    "members_of",
    "require_admin",
    "revoke",
    "verify",
]


def get(institution_id: int) -> Institution:
    """The institution with this id; NotFound if there is none."""
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("institution")
    return institution


def list_all() -> list[Institution]:
    """Every institution by name."""
    return list(db.session.scalars(select(Institution).order_by(Institution.name)))


def list_with_members(admin: User) -> list[Institution]:
    """Every institution with its members loaded, those waiting for verification first, then
    by name: the admins' page of institutions."""
    require_admin(admin)
    query = select(Institution).options(
        selectinload(Institution.memberships).joinedload(Membership.user)
    )
    order = (Institution.verified_at.is_not(None), Institution.name)
    return list(db.session.scalars(query.order_by(*order)))


def members_of(institution_id: int) -> list[User]:
    """The people who act for the institution, in the order they joined (one query)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.institution_id == institution_id)
            .order_by(Membership.id)
        )
    )


def list_verified() -> list[Institution]:
    """The verified institutions by name (those a new member may join)."""
    query = select(Institution).where(Institution.verified_at.is_not(None))
    return list(db.session.scalars(query.order_by(Institution.name)))


def verify(admin: User, institution_id: int) -> Institution:
    """An admin verifies the institution: its members may publish projects (audited once)."""
    require_admin(admin)
    institution = get(institution_id)
    if institution.verified_at is None:
        institution.verified_at = utcnow()
        institution.verified_by_id = admin.id
        audit.record(admin, "institution.verified", institution, name=institution.name)
        db.session.commit()
    return institution


def revoke(admin: User, institution_id: int) -> Institution:
    """An admin withdraws the verification (audited once)."""
    require_admin(admin)
    institution = get(institution_id)
    if institution.verified_at is not None:
        institution.verified_at = None
        institution.verified_by_id = None
        audit.record(admin, "institution.unverified", institution, name=institution.name)
        db.session.commit()
    return institution
