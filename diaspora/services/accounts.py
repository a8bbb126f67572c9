"""Accounts: sign-up, email verification, log-in sessions, password reset and changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import email_validator
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from diaspora.extensions import db
from diaspora.models import Institution, LoginSession, Membership, OutboxMessage, Role, User
from diaspora.models.base import utcnow
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.rules import text
from diaspora.services import audit, institutions, tokens
from diaspora.services.errors import DomainError, InvalidToken, ValidationFailed
from diaspora.services.institution_evidence import EvidenceInfo

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class SignupInfo:
    full_name: str
    email: str
    password: str
    locale: str = "fr"


@dataclass(frozen=True)
class InstitutionChoice:
    """Join `institution_id`, or create an institution named `name` awaiting verification."""

    institution_id: int | None = None
    name: str = ""
    kind: str = "other"
    email_domain: str = ""


def find_user_by_email(email: str) -> User | None:
    """The account using this address (whatever its case), or None."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def email_address_problem(address: str) -> str | None:
    """Why `address` cannot be an account's email address, or None: the one rule of the log-in
    and sign-up forms and of `flask create-admin`."""
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return _("Enter a valid email address.")
    return None


def check_password_strength(password: str, email: str = "") -> None:
    """ValidationFailed when the password is too short or is the email address itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {"password": [_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]}
        )
    if email and password.strip().lower() == email.strip().lower():
        raise ValidationFailed({"password": [_("Your password must not be your email address.")]})


def _may_email(address: str, kind: str) -> bool:
    """Whether `address` may receive one more email of `kind` now.

    Counted from the outbox, which every process writes in the same transaction as the request:
    the limit holds across app processes and restarts, with no second store to keep in step;
    whoever asks, from however many addresses, one inbox gets a few per window (no email
    bombing). Two requests at the very same moment may both pass: the overshoot is bounded by
    the per-IP limits.
    """
    since = utcnow() - timedelta(minutes=current_app.config["ADDRESS_EMAIL_WINDOW_MINUTES"])
    received = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.to_address == address.strip().lower(),
            OutboxMessage.kind == kind,
            OutboxMessage.created_at >= since,
        )
    )
    return received < current_app.config["ADDRESS_EMAIL_LIMIT"]


def _tell_owner_account_exists(owner: User) -> None:
    # No account enumeration: the page says the same; the owner learns of it by email.
    if _may_email(owner.email, "account_exists"):
        enqueue(
            "account_exists",
            owner.email,
            owner.locale,
            user=owner,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.reset_request"),
        )


def _new_user(info: SignupInfo, role: str) -> User | None:
    """The user to create, or None when the address is taken (told by email, not on screen)."""
    check_password_strength(info.password, info.email)
    # Hashed on both paths, the slow step: how long a sign-up takes must not tell whether the
    # address has an account.
    password_hash = generate_password_hash(info.password)
    existing = find_user_by_email(info.email)
    if existing is not None:
        _tell_owner_account_exists(existing)
        return None
    return User(
        email=info.email,
        full_name=text.clean_line(info.full_name),
        password_hash=password_hash,
        role=role,
        locale=info.locale,
    )


def _insert_new_user(info: SignupInfo, role: str) -> User | None:
    """The new account, inserted but not committed; None when the address has an account,
    whose owner is told by email (committed at once). A sign-up with the same address that
    got in first, between our check and now, takes that path too."""
    user = _new_user(info, role)
    if user is None:
        db.session.commit()
        return None
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        winner = find_user_by_email(user.email)
        if winner is None:
            raise  # another constraint: a bug, not a race
        _tell_owner_account_exists(winner)
        db.session.commit()
        return None
    return user


def send_verification(user: User, email: str | None = None) -> None:
    """Queue a signed link proving that the user reads `email` (default: their current one)."""
    email = (email or user.email).strip().lower()
    if not _may_email(email, "verify_email"):
        return
    token = tokens.make("verify", {"uid": user.id, "email": email})
    enqueue(
        "verify_email",
        email,
        user.locale,
        user=user,
        verify_url=external_url("auth.verify_email", token=token),
        hours=current_app.config["VERIFY_TOKEN_MAX_AGE"] // 3600,
    )


def register_expert(info: SignupInfo) -> User | None:
    """Sign up an expert (None when the address is taken: its owner is told by email)."""
    user = _insert_new_user(info, Role.EXPERT)
    if user is None:
        return None
    audit.record(user, "user.signed_up", user, role=user.role)
    send_verification(user)
    db.session.commit()
    return user


def register_institution_member(
    info: SignupInfo, choice: InstitutionChoice, evidence: EvidenceInfo | None = None
) -> User | None:
    """Sign up a member of an existing institution (their address must be on its domain, else
    a manager invites them) or the manager of a new one, registered with `evidence` that they
    work there and waiting for an admin's verification before its members can post."""
    if choice.institution_id is not None:
        institution = db.session.get(Institution, choice.institution_id)
        if institution is None:
            raise ValidationFailed({"institution_id": [_("Choose an institution from the list.")]})
        domain = (institution.email_domain or "").lower()
        if not domain or not info.email.strip().lower().endswith("@" + domain):
            message = (
                _("Use your institutional address ending in @%(domain)s.", domain=domain)
                if domain
                else _(
                    "This institution has no email domain for new members: ask one of its "
                    "managers to invite you."
                )
            )
            raise ValidationFailed({"email": [message]})
        application = None
    else:
        application = institutions.checked_application(
            institutions.InstitutionApplication(
                name=choice.name, kind=choice.kind, email_domain=choice.email_domain
            ),
            info.email,
            evidence or EvidenceInfo(),
        )
    user = _insert_new_user(info, Role.INSTITUTION)
    if user is None:
        return None
    if application is not None:
        institution = institutions.create_for(user, application, evidence or EvidenceInfo())
    else:
        db.session.add(Membership(user=user, institution=institution))
        db.session.flush()
    audit.record(user, "user.signed_up", user, role=user.role, institution=institution.id)
    send_verification(user)
    db.session.commit()
    return user


def create_invited_member(info: SignupInfo) -> User:
    """A member account for someone who followed a manager's invitation: the link, sent to
    the address, proves it (inserted and audited; the caller adds the membership and
    commits). ValidationFailed when the address has an account: they log in to join."""
    check_password_strength(info.password, info.email)
    if find_user_by_email(info.email) is not None:
        raise ValidationFailed(
            {"": [_("An account uses this address: log in, then follow the link again.")]}
        )
    user = User(
        email=info.email,
        full_name=text.clean_line(info.full_name),
        password_hash=generate_password_hash(info.password),
        role=Role.INSTITUTION,
        locale=info.locale,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.signed_up", user, role=user.role, invited=True)
    return user


def verify_email(token: str) -> User:
    """Mark the address in the token as verified (and make it the account's address)."""
    payload = tokens.read("verify", token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    email = payload.get("email")
    if user is None or not isinstance(email, str):
        raise InvalidToken("invalid")
    if user.email == email and user.is_verified:
        return user  # a second click on the same link is harmless
    if user.email != email:
        if find_user_by_email(email) is not None:
            raise InvalidToken("email_taken")
        audit.record(user, "user.email_changed", user, old=user.email, new=email)
        user.email = email
    user.email_verified_at = utcnow()
    audit.record(user, "user.email_verified", user, email=email)
    db.session.commit()
    return user


class LoginRefused(DomainError):
    """`reason` is "credentials", "inactive" or "unverified"."""

    def __init__(self, reason: str, user: User | None = None):
        self.reason = reason
        self.user = user
        super().__init__(reason)


# Hash checked when the address is unknown, so that a wrong address costs as long as a wrong
# password and timing does not tell which addresses exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def authenticate(email: str, password: str) -> User:
    """The user these credentials sign in, or LoginRefused saying why not."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        raise LoginRefused("credentials")
    if not check_password_hash(user.password_hash, password):
        raise LoginRefused("credentials")
    if not user.active:
        raise LoginRefused("inactive")
    if not user.is_verified:
        raise LoginRefused("unverified", user)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def resend_verification(email: str) -> None:
    """Send a new confirmation link to an unconfirmed account; say nothing either way."""
    user = find_user_by_email(email)
    if user is not None and not user.is_verified:
        send_verification(user)
        db.session.commit()


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active or not _may_email(user.email, "reset_password"):
        return
    token = tokens.make("reset", {"uid": user.id, "pw": tokens.fingerprint(user.password_hash)})
    enqueue(
        "reset_password",
        user.email,
        user.locale,
        user=user,
        reset_url=external_url("auth.reset_password", token=token),
        minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60,
    )
    audit.record(None, "user.reset_requested", user)
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for, while the link is valid and unused."""
    payload = tokens.read("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    # The fingerprint of the old hash makes the link single-use: it dies with the password.
    if user is None or payload.get("pw") != tokens.fingerprint(user.password_hash):
        raise InvalidToken("used")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set the password chosen through a reset link and end every session of the account."""
    user = user_for_reset_token(token)
    check_password_strength(new_password, user.email)
    _set_password(user, new_password, keep_session=None)
    # Following the link proves the address, which also claims an imported account.
    if not user.is_verified:
        user.email_verified_at = utcnow()
    audit.record(user, "user.password_reset", user)
    db.session.commit()
    return user


def _set_password(user: User, password: str, keep_session: str | None) -> None:
    # Whoever knew the old password may be signed in elsewhere: every other session ends.
    user.password_hash = generate_password_hash(password)
    ended = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_session:
        ended = ended.where(LoginSession.key_digest != _digest(keep_session))
    db.session.execute(ended)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password of a signed-in user, ending their sessions on other devices."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise ValidationFailed({"current_password": [_("This is not your current password.")]})
    check_password_strength(new, user.email)
    _set_password(user, new, keep_session=user.login_key)
    audit.record(user, "user.password_changed", user)
    db.session.commit()


def request_email_change(user: User, password: str, new_email: str) -> None:
    """The address changes only when the link sent to the new one is followed."""
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise ValidationFailed({"password": [_("This is not your current password.")]})
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise ValidationFailed({"email": [_("This is already your address.")]})
    if find_user_by_email(new_email) is None:
        send_verification(user, new_email)
    audit.record(user, "user.email_change_requested", user, new=new_email)
    db.session.commit()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# How often a session's last use is written down: often enough for the idle limit, rarely
# enough that browsing does not mean a write per request.
_SEEN_PRECISION = timedelta(minutes=5)


def _session_expired(login: LoginSession, now) -> bool:
    config = current_app.config
    if login.remember:
        return now - login.created_at > config["REMEMBER_COOKIE_DURATION"]
    return now - login.last_seen_at > timedelta(hours=config["LOGIN_IDLE_HOURS"])


def start_session(user: User, user_agent: str = "", remember: bool = False) -> str:
    """Open a login session for `user` and return its key, which their cookies then carry
    (also set as `user.login_key`). Their sessions that have expired are forgotten."""
    now = utcnow()
    for old in db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        if _session_expired(old, now):
            db.session.delete(old)
    key = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_digest=_digest(key),
            remember=remember,
            user_agent=user_agent[:255],
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.commit()
    user.login_key = key
    return key


def user_for_session(key: str) -> User | None:
    """The active user whose live login session has this key, else None (logged out, expired,
    password changed since). The user comes with their institutions, in the same query: every
    page's menu names them."""
    login = (
        db.session.execute(
            select(LoginSession)
            .where(LoginSession.key_digest == _digest(key))
            .options(
                joinedload(LoginSession.user)
                .joinedload(User.memberships)
                .joinedload(Membership.institution)
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if login is None:
        return None
    now = utcnow()
    user = login.user
    # SQLite ignores ON DELETE CASCADE and reuses the highest id of a deleted row: a session
    # may outlive its user, or be older than the account that now has that id.
    if (
        user is None
        or not user.active
        or login.created_at < user.created_at
        or _session_expired(login, now)
    ):
        return None
    if now - login.last_seen_at > _SEEN_PRECISION:
        login.last_seen_at = now
        db.session.commit()
    user.login_key = key
    return user


def end_session(key: str) -> None:
    """Log out: the session with this key, and every copy of its cookies, stop working."""
    db.session.execute(delete(LoginSession).where(LoginSession.key_digest == _digest(key)))
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """The language the user reads the site in, which their emails then follow."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def update_preferences(user: User, locale: str) -> None:
    """Save the language the user chose for the site and their emails."""
    user.locale = locale
    db.session.commit()


def create_admin(email: str, password: str, full_name: str = "") -> User:
    """Create an admin, or promote an existing account (the `flask create-admin` command)."""
    problem = email_address_problem(email)
    if problem:
        raise ValidationFailed({"email": [problem]})
    check_password_strength(password, email)
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, full_name=full_name or email.split("@")[0])
        db.session.add(user)
    old_role = user.role
    user.role = Role.ADMIN
    user.password_hash = generate_password_hash(password)
    user.email_verified_at = user.email_verified_at or utcnow()
    user.active = True
    db.session.flush()
    audit.record(None, "user.role_changed", user, old=old_role if old_role else None, new="admin")
    db.session.commit()
    return user
