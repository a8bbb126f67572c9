"""The match page: what one person concerned sees of a match (the match, the contacts they may
read, the requests for review of its decisions, where its collaboration is)."""

from dataclasses import dataclass

from diaspora.models import Contest, Match, User
from diaspora.services import contests, invitations, permissions
from diaspora.services.invitations import Contacts


@dataclass(frozen=True)
class MatchPage:
    """The match page: the match, each side's contacts as the viewer may see them, whether the
    viewer is its expert, whether the answer period is over, the requests for review of its
    decisions the viewer may read, and whether they may ask for one now."""

    match: Match
    contacts: Contacts | None
    is_expert: bool
    deadline_passed: bool
    contests: list[Contest]
    can_contest: bool
    collaboration_id: int | None = None


def match_page(viewer: User, match_id: int) -> MatchPage:
    """The page of a match `viewer` may see (`invitations.visible_match`), NotFound otherwise."""
    return match_page_of(viewer, invitations.visible_match(viewer, match_id))


def match_page_of(viewer: User, match: Match) -> MatchPage:
    """The page of a match already read for `viewer` (to show it again with a form's errors)."""
    asked = contests.about(viewer, match)
    return MatchPage(
        match=match,
        contacts=invitations.contacts(viewer, match),
        is_expert=permissions.is_match_expert(viewer, match),
        deadline_passed=invitations.deadline_passed(match),
        contests=asked,
        can_contest=permissions.can_contest(viewer, match)
        and not any(c.answered_at is None for c in asked),
        collaboration_id=invitations.collaboration_of(match),
    )
