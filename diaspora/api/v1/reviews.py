"""The admins' review queue: suggestions of the engine waiting for a decision, as on the review
page. Approving invites the expert (the email goes out); rejecting keeps the reason."""

from diaspora.api.v1 import auth
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import QueueArgs, QueueOut, RejectIn, SuggestionOut
from diaspora.models import Role
from diaspora.services import reviews

bp = blueprint("api_review", "The admins' review queue.")


@bp.route("/review/suggestions", methods=["GET"])
@auth.roles(Role.ADMIN)
@bp.arguments(QueueArgs, location="query")
@bp.response(200, QueueOut)
def queue(args):
    """Suggestions waiting for review, grouped by project (oldest project first), best score
    first; a page holds a few projects.

    Scope: read. Role: admin.
    """
    filters = reviews.QueueFilters(
        sector=args.get("sector", ""),
        institution_id=args.get("institution"),
        min_score=args.get("min_score"),
        min_age_days=args.get("min_age"),
    )
    return reviews.queue(auth.actor(), filters, args["page"])


@bp.route("/review/suggestions/<int:match_id>/approve", methods=["POST"])
@auth.roles(Role.ADMIN)
@bp.response(200, SuggestionOut)
def approve(match_id: int):
    """Approve a suggestion: the expert is invited and the email is on its way.

    Scope: write. Role: admin.
    """
    return reviews.approve(auth.actor(), match_id)


@bp.route("/review/suggestions/<int:match_id>/reject", methods=["POST"])
@auth.roles(Role.ADMIN)
@bp.arguments(RejectIn)
@bp.response(200, SuggestionOut)
def reject(data, match_id: int):
    """Reject a suggestion with a reason (kept for the admins). An expert who asked for the
    project is told it was not taken forward, with the reason if `share_reason`.

    Scope: write. Role: admin.
    """
    return reviews.reject(auth.actor(), match_id, data["reason"], data["share_reason"])
