"""What every template (pages and emails) may ask: labels of statuses and sectors, reasons,
dashboard figures. Registered once, by the factory."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from diaspora import wording
from diaspora.models import MatchStatus, Role
from diaspora.services import invitations, reviews
from diaspora.vocabulary import SECTOR_LABELS

S = MatchStatus

STATUS_LABELS = {
    S.SUGGESTED: _l("Suggested"),
    S.REJECTED: _l("Rejected"),
    S.INVITED: _l("Invited"),
    S.ACCEPTED: _l("Accepted"),
    S.DECLINED: _l("Declined"),
    S.EXPIRED: _l("Expired"),
    S.CLOSED: _l("Closed"),
}

STATUS_BADGES = {
    S.SUGGESTED: "text-bg-secondary",
    S.REJECTED: "text-bg-dark",
    S.INVITED: "text-bg-primary",
    S.ACCEPTED: "text-bg-success",
    S.DECLINED: "text-bg-warning",
    S.EXPIRED: "text-bg-light border",
    S.CLOSED: "text-bg-light border",
}


def match_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def match_status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-secondary")


def match_expert_name(match) -> str:
    """The expert's name (or reference) on a match, or a neutral phrase once they erased their
    account: the match stays as the fact of what happened, without the person."""
    if match.expert is None:
        return str(_l("an expert who has left the platform"))
    return match.expert.user.full_name or match.expert.ref


def match_reasons(explanation) -> wording.Reasons:
    return wording.describe(explanation)


def sector_label(code: str) -> str:
    return str(_l(SECTOR_LABELS[code])) if code in SECTOR_LABELS else code


def review_queue_summary() -> reviews.QueueSummary:
    return reviews.queue_summary()


def my_invitations() -> list:
    if not current_user.is_authenticated or current_user.role != Role.EXPERT:
        return []
    return invitations.expert_invitations(current_user)


def register(app) -> None:
    for helper in (
        match_status_label,
        match_status_badge,
        match_expert_name,
        match_reasons,
        sector_label,
        review_queue_summary,
        my_invitations,
    ):
        app.add_template_global(helper)
