"""What every template (pages and emails) may ask: labels of statuses, sectors, modes, kinds,
languages and skills, and the reasons of a suggestion in words. Registered once, by the factory.

Pure functions of what they are given: a page's data comes from its view model (the service
the route calls), never from a helper that queries while the template renders.
"""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from diaspora import geo, vocabulary, wording
from diaspora.auth.forms import KIND_LABELS
from diaspora.forms_support import sector_label
from diaspora.models import MatchStatus
from diaspora.notifications import kinds
from diaspora.services import collaboration_states
from diaspora.services.permissions import can_search_experts, member_institutions

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


def collaboration_status_label(status: str) -> str:
    return collaboration_states.label(status)


def match_expert_name(match) -> str:
    """The expert's name (or reference) on a match, or a neutral phrase once they erased their
    account: the match stays as the fact of what happened, without the person."""
    if match.expert is None:
        return str(_l("an expert who has left the platform"))
    return match.expert.user.full_name or match.expert.ref


def stored_skill_label(skill) -> str:
    """What the reader calls a stored skill (an expert's or a project's): its concept's label
    in the page's language, or the name as typed when it is a free skill."""
    return wording.skill_name(skill.concept_id or f"free:{skill.name}")


def match_reasons(explanation) -> wording.Reasons:
    return wording.describe(explanation)


def search_reasons(explanation, levels: bool = True) -> list[str]:
    return wording.short_reasons(explanation, levels)


def mode_label(code: str) -> str:
    """How experts work on a project (remote, short mission...), in words."""
    return str(_l(vocabulary.MODE_LABELS[code])) if code in vocabulary.MODE_LABELS else code


def institution_kind_label(code: str) -> str:
    """The kind of an institution (ministry, university...), in words."""
    return str(KIND_LABELS[code]) if code in KIND_LABELS else code


def language_name(code: str) -> str:
    """A language's name in the reader's language."""
    return vocabulary.language_name(code, str(get_locale()))


def country_name(code: str) -> str:
    """A country's name in the reader's language."""
    return geo.country_name(code, str(get_locale()))


def city_name(city: str) -> str:
    """A Moroccan city's name in the reader's script (any other place as typed)."""
    return geo.city_label(city, str(get_locale()))


def cefr_label(level: str) -> str:
    """A CEFR level in words ("B2 (upper intermediate)")."""
    return str(_l(vocabulary.CEFR_LABELS[level])) if level in vocabulary.CEFR_LABELS else level


def weight_rows(weights) -> list[tuple[str, str]]:
    return wording.weight_rows(weights or {})


def notification_sentence(kind: str, params: dict) -> str:
    """A notification in the reader's language (the page's, or the email's)."""
    return kinds.sentence(kind, params)


def register(app) -> None:
    for helper in (
        match_status_label,
        match_status_badge,
        collaboration_status_label,
        match_expert_name,
        match_reasons,
        weight_rows,
        search_reasons,
        stored_skill_label,
        sector_label,
        mode_label,
        institution_kind_label,
        notification_sentence,
        # The menu names every institution the signed-in member acts for; the session loader
        # loads them with the user, so asking costs no query.
        member_institutions,
        can_search_experts,
    ):
        app.add_template_global(helper)
    app.add_template_filter(language_name)
    app.add_template_filter(country_name)
    app.add_template_filter(city_name)
    app.add_template_global(city_name)
    app.add_template_filter(cefr_label)
