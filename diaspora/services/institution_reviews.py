"""Admins verify a new institution or refuse it with a note; they may later withdraw the
verification, which unpublishes its projects. Its members are told by email each time."""

from flask_babel import gettext as _
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import Institution, Project, ProjectStatus, User
from diaspora.models.base import utcnow
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.rules import text
from diaspora.services import audit, institutions, projects
from diaspora.services.errors import NotFound, ValidationFailed
from diaspora.services.locks import lock_institution
from diaspora.services.permissions import require_admin

MAX_NOTE = 2000


def _note(note: str) -> str:
    note = text.clean_text(note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": [_("Keep the note under %(n)d characters.", n=MAX_NOTE)]})
    return note


def _locked(institution_id: int) -> Institution:
    """The institution under its row lock (services/locks.py): of two admins' clicks at once,
    the second waits and sees what the first did."""
    institution = lock_institution(institution_id)
    if institution is None:
        raise NotFound("institution")
    return institution


def _tell_members(institution: Institution, kind: str, **context) -> None:
    """One email per member, in their language (the caller commits)."""
    for member in institutions.members_of(institution.id):
        if member.active:
            enqueue(
                kind,
                member.email,
                member.locale,
                user=member,
                institution=institution,
                institution_url=external_url("institutions.members", institution_id=institution.id),
                **context,
            )


def verify(admin: User, institution_id: int, note: str = "") -> Institution:
    """An admin verifies the institution: its members may publish projects and are told so
    (audited and emailed once)."""
    require_admin(admin)
    note = _note(note)
    institution = _locked(institution_id)
    if institution.verified_at is None:
        institution.verified_at = utcnow()
        institution.verified_by_id = admin.id
        institution.refused_at = None
        institution.review_note = note
        audit.record(admin, "institution.verified", institution, name=institution.name, note=note)
        _tell_members(institution, "institution_verified", note=note)
        db.session.commit()
    return institution


def refuse(admin: User, institution_id: int, note: str) -> Institution:
    """An admin refuses to verify the institution, saying why in a note its members read
    (refusing again with the same note changes nothing and sends nothing)."""
    require_admin(admin)
    note = _note(note)
    if not note:
        raise ValidationFailed({"note": [_("Say why in the note: the member reads it.")]})
    institution = _locked(institution_id)
    if institution.verified_at is not None:
        raise ValidationFailed(
            _("%(name)s is verified: withdraw the verification instead.", name=institution.name)
        )
    if institution.is_refused and institution.review_note == note:
        return institution  # a double click: the members were told once
    institution.refused_at = utcnow()
    institution.review_note = note
    audit.record(admin, "institution.refused", institution, name=institution.name, note=note)
    _tell_members(institution, "institution_refused", note=note)
    db.session.commit()
    return institution


def revoke(admin: User, institution_id: int, note: str = "") -> Institution:
    """An admin withdraws the verification: each published project of the institution goes
    back to draft (audited one by one, their open invitations closed) and its members are
    told by email."""
    require_admin(admin)
    note = _note(note)
    institution = _locked(institution_id)
    if institution.verified_at is None:
        return institution
    institution.verified_at = None
    institution.verified_by_id = None
    institution.review_note = note
    published = list(
        db.session.scalars(
            select(Project)
            .where(
                Project.institution_id == institution.id,
                Project.status == ProjectStatus.PUBLISHED,
            )
            .order_by(Project.id)
        )
    )
    audit.record(
        admin,
        "institution.unverified",
        institution,
        name=institution.name,
        note=note,
        projects=[p.ref for p in published],
    )
    _tell_members(institution, "institution_revoked", note=note, projects=published)
    db.session.commit()
    for project in published:
        projects.unpublish(admin, project.id)
    return institution
