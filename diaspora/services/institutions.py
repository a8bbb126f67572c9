"""Institutions: registering one with evidence, and reading them (who may act for them is in
`permissions`; their review by admins in `institution_reviews`; their members in
`institution_members`)."""

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from diaspora.extensions import db
from diaspora.models import Institution, InstitutionKind, MemberRole, Membership, Role, User
from diaspora.rules import text
from diaspora.services import audit, institution_evidence
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.institution_evidence import EvidenceInfo
from diaspora.services.permissions import require_admin

__all__ = [
    "InstitutionApplication",
    "checked_application",
    "create_for",
    "get",
    "list_all",
    "list_verified",
    "list_with_members",
    "members_of",
    "register",
    "require_admin",
]

MAX_NAME = 200  # the column's length


@dataclass(frozen=True)
class InstitutionApplication:
    """A new institution as its first member describes it."""

    name: str
    kind: str = InstitutionKind.OTHER
    email_domain: str = ""


def checked_application(
    application: InstitutionApplication, email: str, evidence: EvidenceInfo
) -> InstitutionApplication:
    """The application cleaned (name trimmed, domain folded), or ValidationFailed: a name
    nobody registered, a known kind, a domain that is not free mail, and evidence that holds
    for the member's address `email`."""
    name = text.clean_line(application.name or "")
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed({"institution_name": [_("Give the name of your institution.")]})
    if application.kind not in InstitutionKind.ALL:
        raise ValidationFailed({"institution_kind": [_("Choose a kind from the list.")]})
    taken = db.session.scalar(
        select(Institution.id).where(func.lower(Institution.name) == name.lower())
    )
    if taken is not None:
        raise ValidationFailed(
            {"institution_name": [_("This institution is registered: choose it in the list.")]}
        )
    domain = institution_evidence.official_domain(application.email_domain)
    institution_evidence.check(evidence, email, domain)
    return replace(application, name=name, email_domain=domain or "")


def create_for(
    user: User, application: InstitutionApplication, evidence: EvidenceInfo
) -> Institution:
    """Insert a checked application (`checked_application`) with its evidence; `user` becomes
    its manager. Audited; the caller commits."""
    institution = Institution(
        name=application.name,
        kind=application.kind,
        email_domain=application.email_domain or None,
    )
    db.session.add(institution)
    db.session.flush()
    institution_evidence.keep(institution, user, evidence)
    db.session.add(Membership(user=user, institution=institution, role=MemberRole.MANAGER))
    db.session.flush()
    audit.record(
        user, "institution.created", institution, name=institution.name, evidence=evidence.kind
    )
    return institution


def register(
    user: User, application: InstitutionApplication, evidence: EvidenceInfo
) -> Institution:
    """A signed-in member registers one more institution, which waits for an admin's
    verification; they are its manager."""
    if user.role != Role.INSTITUTION or not user.active:
        raise PermissionDenied("institution members only")
    application = checked_application(application, user.email, evidence)
    institution = create_for(user, application, evidence)
    db.session.commit()
    return institution


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
