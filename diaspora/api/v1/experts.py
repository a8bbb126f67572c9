"""The signed-in expert's own profile and invitations, as on their profile and invitations
pages."""

from flask_babel import get_locale

from diaspora.api.v1 import auth
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import DeclineIn, InvitationOut, ProfileIn, ProfileOut
from diaspora.models import Role
from diaspora.services import experts, invitations

bp = blueprint("api_me", "The signed-in expert's own profile and invitations.")


def _locale() -> str:
    return str(get_locale())


class _Shown:
    """A profile as its page shows it: the row's fields, plus its skills as recognised (in
    the request's language), its completeness and whether it is stale."""

    def __init__(self, profile):
        self._profile = profile
        self.skills = experts.skill_views(profile, _locale())
        self.completeness = experts.completeness(profile)
        self.stale = experts.is_stale(profile)

    def __getattr__(self, name):
        return getattr(self._profile, name)


def _input(data: dict) -> experts.ProfileInput:
    return experts.ProfileInput(
        country=data["country"],
        city=data["city"],
        timezone=data["timezone"],
        languages=tuple((row["code"], row["level"]) for row in data["languages"]),
        skills=tuple((row["name"], row["level"]) for row in data["skills"]),
        sectors=tuple(data["sectors"]),
        modes=tuple(data["modes"]),
        hours_per_month=data["hours_per_month"],
        headline=data["headline"],
        bio=data["bio"],
        linkedin=data["linkedin"] or "",
        years_experience=data["years_experience"],
        available_from=data["available_from"],
        consent_matching=data["consent_matching"],
        visibility=data["visibility"],
        hidden_sections=data["hidden_sections"],
    )


@bp.route("/me/profile", methods=["GET"])
@auth.roles(Role.EXPERT)
@bp.response(200, ProfileOut)
def get_profile():
    """Your profile (empty until its first save), its completeness and its skills as the
    taxonomy recognised them, labelled in the request's language (Accept-Language).

    Scope: read. Role: expert.
    """
    return _Shown(experts.own_profile_or_blank(auth.actor()))


@bp.route("/me/profile", methods=["PUT"])
@auth.roles(Role.EXPERT)
@bp.arguments(ProfileIn)
@bp.response(200, ProfileOut)
def update_profile(data):
    """Save your whole profile (it also confirms it is up to date); nothing is saved when a
    field is refused. You are then rescored for open projects.

    Scope: write. Role: expert.
    """
    return _Shown(experts.update_profile(auth.actor(), _input(data), _locale()))


@bp.route("/me/invitations", methods=["GET"])
@auth.roles(Role.EXPERT)
@bp.response(200, InvitationOut(many=True))
def list_invitations():
    """Your invitations, newest first, in whatever status they are now.

    Scope: read. Role: expert.
    """
    return invitations.expert_invitations(auth.actor())


@bp.route("/me/invitations/<int:match_id>/accept", methods=["POST"])
@auth.roles(Role.EXPERT)
@bp.response(200, InvitationOut)
def accept_invitation(match_id: int):
    """Accept an invitation: the institution gets your contact details and you theirs.

    Scope: write. Role: expert (your own invitations only).
    """
    return invitations.answer(auth.actor(), match_id, True)


@bp.route("/me/invitations/<int:match_id>/decline", methods=["POST"])
@auth.roles(Role.EXPERT)
@bp.arguments(DeclineIn, required=False)
@bp.response(200, InvitationOut)
def decline_invitation(data, match_id: int):
    """Decline an invitation, with a reason if you like.

    Scope: write. Role: expert (your own invitations only).
    """
    return invitations.answer(auth.actor(), match_id, False, data["reason"])
