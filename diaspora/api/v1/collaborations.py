"""Ending a collaboration, as on its page: either side cancels it with a reason, the
institution completes it with what was delivered."""

from diaspora.api.v1 import auth, problems
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import (
    CancelCollaborationIn,
    CollaborationOut,
    CompleteCollaborationIn,
)
from diaspora.models import Role
from diaspora.services import collaborations
from diaspora.services.collaboration_states import IllegalTransition

bp = blueprint(
    "api_collaborations",
    "Collaborations that follow an accepted invitation: cancelled by either side, completed "
    "by the institution.",
)


# Ended meanwhile (or not started as the action needs): the message says its status.
@bp.errorhandler(IllegalTransition)
def _wrong_status(error: IllegalTransition):
    return problems.response(409, str(error))


@bp.route("/collaborations/<int:collaboration_id>/cancel", methods=["POST"])
@auth.roles(Role.INSTITUTION, Role.EXPERT)
@bp.arguments(CancelCollaborationIn)
@bp.response(200, CollaborationOut)
def cancel_collaboration(data, collaboration_id: int):
    """Cancel a collaboration not completed yet, saying why: the other side is told, the seat
    is free again and the project's suggestions are refreshed.

    Scope: write. Roles: the expert, members of the project's institution.
    """
    return collaborations.cancel(auth.actor(), collaboration_id, data["reason"])


@bp.route("/collaborations/<int:collaboration_id>/complete", methods=["POST"])
@auth.roles(Role.INSTITUTION)
@bp.arguments(CompleteCollaborationIn)
@bp.response(200, CollaborationOut)
def complete_collaboration(data, collaboration_id: int):
    """Complete an active collaboration with what was delivered: the expert is told and may
    download their certificate.

    Scope: write. Role: members of the project's institution.
    """
    return collaborations.complete(auth.actor(), collaboration_id, data["outcome"])
