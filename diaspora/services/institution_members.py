"""An institution's members: managers invite colleagues by a single-use signed link that
expires, remove members and hand the manager role on. An institution that has members always
keeps at least one manager."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from diaspora.extensions import db
from diaspora.models import (
    Institution,
    InvitationStatus,
    MemberInvitation,
    MemberRole,
    Membership,
    Role,
    User,
)
from diaspora.models.base import utcnow
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.services import accounts, audit, institutions, permissions, tokens
from diaspora.services.errors import InvalidToken, NotFound, PermissionDenied, ValidationFailed
from diaspora.services.locks import lock_institution

TOKEN_PURPOSE = "member-invite"


@dataclass(frozen=True)
class MembersPage:
    institution: Institution
    memberships: list[Membership]
    invitations: list[MemberInvitation]  # pending and not expired, for managers only
    can_manage: bool
    can_invite: bool  # managers of a verified institution


def _memberships(institution_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.institution_id == institution_id)
            .options(joinedload(Membership.user))
            .order_by(Membership.id)
            # Roles as committed now, not as this session first read them: the manager
            # checks run under the institution's lock, after a colleague's change.
            .execution_options(populate_existing=True)
        )
    )


def _pending(institution_id: int) -> list[MemberInvitation]:
    return list(
        db.session.scalars(
            select(MemberInvitation)
            .where(
                MemberInvitation.institution_id == institution_id,
                MemberInvitation.status == InvitationStatus.PENDING,
                MemberInvitation.expires_at > utcnow(),
            )
            .order_by(MemberInvitation.id)
        )
    )


def members_page(user: User, institution_id: int) -> MembersPage:
    """The institution's members, and its pending invitations for its managers: its members
    and admins see it, nobody else."""
    institution = institutions.get(institution_id)
    if not permissions.sees_institution_insides(user, institution_id):
        raise PermissionDenied("members only")
    manages = permissions.can_manage_members(user, institution_id)
    return MembersPage(
        institution=institution,
        memberships=_memberships(institution_id),
        invitations=_pending(institution_id) if manages else [],
        can_manage=manages,
        can_invite=manages and institution.is_verified,
    )


def _lock(user: User, institution_id: int) -> None:
    """Serialise the changes of the institution's members (services/locks.py), then read
    `user`'s memberships again: a colleague may have changed them since the request began."""
    lock_institution(institution_id)
    db.session.expire(db.session.get(User, user.id), ["memberships"])


def _require_manager(user: User, institution_id: int, lock: bool = False) -> Institution:
    institution = institutions.get(institution_id)
    if lock:
        _lock(user, institution_id)
    if not permissions.can_manage_members(user, institution_id):
        raise PermissionDenied("managers only")
    return institution


def _membership(institution_id: int, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.institution_id == institution_id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound("membership")
    return membership


def _managers(institution_id: int) -> int:
    return len([m for m in _memberships(institution_id) if m.is_manager])


# -- invitations -----------------------------------------------------------------------------


def _state(invitation: MemberInvitation) -> str:
    # Changes when the invitation is used or revoked: the link carrying the old one dies.
    return tokens.fingerprint(f"{invitation.id}:{invitation.email}:{invitation.status}")


def invite(manager: User, institution_id: int, email: str) -> MemberInvitation:
    """A manager of a verified institution invites a colleague: a signed link, single-use and
    expiring, is emailed to them (in their language when they have an account, else the
    manager's)."""
    institution = _require_manager(manager, institution_id)
    if not institution.is_verified:
        raise ValidationFailed(
            _(
                "Colleagues can be invited once the administrators have verified %(name)s.",
                name=institution.name,
            )
        )
    problem = accounts.email_address_problem(email or "")
    if problem:
        raise ValidationFailed({"email": [problem]})
    email = email.strip().lower()
    if any(m.user.email == email for m in _memberships(institution_id)):
        raise ValidationFailed({"email": [_("This person is already a member.")]})
    if any(i.email == email for i in _pending(institution_id)):
        raise ValidationFailed(
            {"email": [_("An invitation to this address is waiting: revoke it to send another.")]}
        )
    max_age = current_app.config["MEMBER_INVITE_MAX_AGE"]
    invitation = MemberInvitation(
        institution_id=institution.id,
        email=email,
        invited_by_id=manager.id,
        expires_at=utcnow() + timedelta(seconds=max_age),
    )
    db.session.add(invitation)
    db.session.flush()
    existing = accounts.find_user_by_email(email)
    token = tokens.make(TOKEN_PURPOSE, {"inv": invitation.id, "st": _state(invitation)})
    enqueue(
        "member_invitation",
        email,
        existing.locale if existing is not None else manager.locale,
        user=existing,
        institution=institution,
        inviter=manager,
        join_url=external_url("institutions.join", token=token),
        days=max(1, max_age // 86400),
    )
    audit.record(manager, "institution.member_invited", institution, email=email)
    db.session.commit()
    return invitation


def revoke_invitation(manager: User, institution_id: int, invitation_id: int) -> None:
    """A manager revokes a pending invitation: its link stops working."""
    institution = _require_manager(manager, institution_id)
    invitation = db.session.get(MemberInvitation, invitation_id)
    if invitation is None or invitation.institution_id != institution.id:
        raise NotFound("invitation")
    if invitation.status != InvitationStatus.PENDING:
        return
    invitation.status = InvitationStatus.REVOKED
    invitation.answered_at = utcnow()
    audit.record(manager, "institution.invitation_revoked", institution, email=invitation.email)
    db.session.commit()


def invitation_for_token(token: str) -> MemberInvitation:
    """The pending invitation a link is for, or InvalidToken ("invalid", "expired", "used")."""
    payload = tokens.read(TOKEN_PURPOSE, token, current_app.config["MEMBER_INVITE_MAX_AGE"])
    invitation_id = payload.get("inv")
    invitation = (
        db.session.get(MemberInvitation, invitation_id) if isinstance(invitation_id, int) else None
    )
    if invitation is None:
        raise InvalidToken("invalid")
    if payload.get("st") != _state(invitation) or invitation.status != InvitationStatus.PENDING:
        raise InvalidToken("used")
    if invitation.expires_at <= utcnow():
        raise InvalidToken("expired")
    return invitation


def _claim(invitation: MemberInvitation) -> None:
    """Use the invitation up, by an UPDATE conditional on it being pending still: of two
    clicks at once on its link, the second finds it used (InvalidToken) and changes nothing."""
    table = MemberInvitation.__table__
    claimed = db.session.execute(
        table.update()
        .where(table.c.id == invitation.id, table.c.status == InvitationStatus.PENDING)
        .values(status=InvitationStatus.ACCEPTED)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvalidToken("used")


def _accept(invitation: MemberInvitation, user: User) -> None:
    already = any(m.institution_id == invitation.institution_id for m in user.memberships)
    if not already:
        db.session.add(Membership(user=user, institution_id=invitation.institution_id))
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = utcnow()
    invitation.joined_by_id = user.id
    db.session.flush()
    audit.record(
        user, "institution.member_joined", invitation.institution, invitation=invitation.id
    )


def join(user: User, token: str) -> Institution:
    """A signed-in member follows the link sent to their address and joins the institution."""
    invitation = invitation_for_token(token)
    if user.role != Role.INSTITUTION or user.email != invitation.email:
        raise PermissionDenied("the invitation is for another address")
    _claim(invitation)
    _accept(invitation, user)
    db.session.commit()
    return invitation.institution


def join_with_new_account(token: str, info: accounts.SignupInfo) -> User:
    """Someone without an account follows the link: their member account is created (the link
    proves the address) and they join."""
    invitation = invitation_for_token(token)
    _claim(invitation)
    info = accounts.SignupInfo(
        full_name=info.full_name, email=invitation.email, password=info.password, locale=info.locale
    )
    user = accounts.create_invited_member(info)
    _accept(invitation, user)
    db.session.commit()
    return user


# -- members and managers --------------------------------------------------------------------


def remove(manager: User, institution_id: int, user_id: int) -> None:
    """A manager removes another member (to leave, one uses `leave`)."""
    institution = _require_manager(manager, institution_id, lock=True)
    if user_id == manager.id:
        raise ValidationFailed(_("To leave the institution yourself, use “Leave”."))
    membership = _membership(institution_id, user_id)
    removed = membership.user
    db.session.delete(membership)
    audit.record(manager, "institution.member_removed", institution, member=user_id)
    if removed.active:
        enqueue(
            "member_removed",
            removed.email,
            removed.locale,
            user=removed,
            institution=institution,
            manager=manager,
            dashboard_url=external_url("main.dashboard"),
        )
    db.session.commit()


def hand_on(manager: User, institution_id: int, user_id: int, stay_manager: bool = False) -> None:
    """A manager makes another member a manager and, unless `stay_manager`, becomes a member."""
    institution = _require_manager(manager, institution_id, lock=True)
    if user_id == manager.id:
        raise ValidationFailed(_("Choose another member."))
    target = _membership(institution_id, user_id)
    target.role = MemberRole.MANAGER
    if not stay_manager:
        _membership(institution_id, manager.id).role = MemberRole.MEMBER
    audit.record(
        manager,
        "institution.manager_handed_on",
        institution,
        to=user_id,
        stayed_manager=stay_manager,
    )
    db.session.commit()


def last_manager_problem(user: User, institution_id: int) -> str | None:
    """Why `user` may not go from the institution yet: they are its last manager and others
    are members (None when they may)."""
    memberships = _memberships(institution_id)
    mine = [m for m in memberships if m.user_id == user.id]
    if not mine or not mine[0].is_manager:
        return None
    others = [m for m in memberships if m.user_id != user.id]
    if others and not any(m.is_manager for m in others):
        return _(
            "You are the last manager of %(name)s: hand the manager role on to another member "
            "first.",
            name=mine[0].institution.name,
        )
    return None


def leave(user: User, institution_id: int) -> None:
    """A member leaves an institution, unless they are its last manager while others remain,
    or it is the only one they belong to (they erase their account instead)."""
    _lock(user, institution_id)
    membership = _membership(institution_id, user.id)
    problem = last_manager_problem(user, institution_id)
    if problem:
        raise ValidationFailed(problem)
    if len(user.memberships) < 2:
        raise ValidationFailed(
            _(
                "This is your only institution: to leave the platform, erase your account "
                "from “My data”."
            )
        )
    institution = membership.institution
    db.session.delete(membership)
    audit.record(user, "institution.member_left", institution)
    db.session.commit()


def erase_problem(user: User) -> str | None:
    """Why the member may not erase their account yet (the last-manager rule), or None; the
    institutions stay locked until the caller commits, as when leaving."""
    for institution_id in sorted(m.institution_id for m in user.memberships):
        _lock(user, institution_id)
    for membership in user.memberships:
        problem = last_manager_problem(user, membership.institution_id)
        if problem:
            return problem
    return None
