"""Every kind of notification: who receives it, whether they may switch its emails off, and
its sentence, worded in the reader's language when it is read (the notification keeps the
values, not the words).

Optional kinds follow each person's preference (instant, weekly digest, never); transactional
ones (TRANSACTIONAL_EMAILS, and the consent text's change) are always sent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diaspora.models import Role
from diaspora.models.saved_searches import AlertFrequency
from diaspora.services import collaboration_states


def _day(value: str | None) -> str:
    try:
        return format_date(date.fromisoformat(value or ""), "long")
    except ValueError:
        return ""


def _collaboration_update(p: dict) -> str:
    sentences = {
        "started": _l("%(institution)s confirmed the start of your work on “%(project)s”."),
        "cancelled": _l("%(institution)s cancelled the collaboration on “%(project)s”."),
        "completed": _l("%(institution)s marked your work on “%(project)s” as completed."),
        "hours_confirmed": _l("%(institution)s confirmed your hours on “%(project)s”."),
        "hours_disputed": _l("%(institution)s questioned your hours on “%(project)s”."),
    }
    sentence = sentences.get(p.get("event"), _l("Your collaboration on “%(project)s” changed."))
    return str(sentence) % {"institution": p.get("institution", ""), "project": p.get("project")}


def _admin_daily(p: dict) -> str:
    return _("Work is waiting: %(n)d items to handle.", n=sum(p.get("counts", {}).values()))


@dataclass(frozen=True)
class Kind:
    name: str
    audience: str  # the Role that receives it
    label: str  # what the preferences page calls it
    sentence: Callable[[dict], str]
    optional: bool = True
    default: str = AlertFrequency.INSTANT


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "project_invited",
            Role.INSTITUTION,
            _l("An expert was invited for one of your projects"),
            lambda p: _("An expert was invited for your project “%(project)s”.", **p),
        ),
        Kind(
            "invitation_accepted",
            Role.INSTITUTION,
            _l("An expert accepted an invitation"),
            lambda p: _("%(expert)s accepted the invitation to “%(project)s”.", **p),
        ),
        Kind(
            "invitation_declined",
            Role.INSTITUTION,
            _l("An expert declined an invitation"),
            lambda p: _("%(expert)s declined the invitation to “%(project)s”.", **p),
        ),
        Kind(
            "invitation_expired",
            Role.INSTITUTION,
            _l("An invitation expired without an answer"),
            lambda p: _("An invitation to “%(project)s” expired without an answer.", **p),
        ),
        Kind(
            "invitation_lapsed",
            Role.EXPERT,
            _l("Your invitation expired without an answer"),
            lambda p: _(
                "Your invitation to “%(project)s” expired without an answer: you can ask for a "
                "human review of it.",
                **p,
            ),
            # A must, like the invitation's closing: it ends what they were asked to act on,
            # and tells them of their right to a review.
            optional=False,
        ),
        Kind(
            "collaboration_changed",
            Role.INSTITUTION,
            _l("A collaboration changed status"),
            lambda p: _(
                "The collaboration of %(expert)s on “%(project)s” is now: %(status)s.",
                expert=p.get("expert"),
                project=p.get("project"),
                status=collaboration_states.label(p.get("status", "")),
            ),
        ),
        Kind(
            "collaboration_hours_logged",
            Role.INSTITUTION,
            _l("Hours to confirm"),
            lambda p: _("%(expert)s logged hours to confirm on “%(project)s”.", **p),
        ),
        Kind(
            "collaboration_update",
            Role.EXPERT,
            _l("News of your collaborations"),
            _collaboration_update,
        ),
        Kind(
            "reconfirm_reminder",
            Role.EXPERT,
            _l("Reminder to confirm your profile once a year"),
            lambda p: _(
                "Confirm your profile by %(date)s to keep receiving suggestions.",
                date=_day(p.get("deadline")),
            ),
        ),
        Kind(
            "consent_changed",
            Role.EXPERT,
            _l("Changes to the consent text"),
            lambda p: _("The consent text changed: read it and accept it to be suggested again."),
            optional=False,
        ),
        Kind("admin_daily", Role.ADMIN, _l("Daily summary of work waiting"), _admin_daily),
    )
}

# Emails nobody can switch off: they answer something the person did or must act on.
TRANSACTIONAL_EMAILS = (
    _l("Confirming your email address"),
    _l("Resetting your password"),
    _l("Invitations to projects, their reminder, their expiry and their closing"),
    _l("Invitations to join an institution"),
    _l("Changes to the consent text"),
    _l("Security: someone tried to sign up with your address"),
)


def sentence(kind: str, params: dict) -> str:
    """The notification in the current language (a kind no longer known says so plainly)."""
    known = KINDS.get(kind)
    if known is None:
        return _("Something happened on your account.")
    try:
        return known.sentence(params)
    except (KeyError, TypeError, ValueError):  # values stored by an older version
        return _("Something happened on your account.")


def optional_kinds(role: str) -> list[Kind]:
    """The kinds whose emails someone of this role chooses how to receive."""
    return [k for k in KINDS.values() if k.audience == role and k.optional]
