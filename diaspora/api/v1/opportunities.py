"""Projects for the signed-in expert, ranked as on their projects page, and their expressions
of interest: the same services as the pages."""

from diaspora.api.v1 import auth
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import InterestIn, InterestOut, OpportunitiesOut, OpportunityArgs
from diaspora.models import Role
from diaspora.services import interest, opportunities

bp = blueprint("api_opportunities", "Open projects ranked for the signed-in expert.")


@bp.route("/me/projects", methods=["GET"])
@auth.roles(Role.EXPERT)
@bp.arguments(OpportunityArgs, location="query")
@bp.response(200, OpportunitiesOut)
def list_projects(args):
    """The open projects ranked for you, best fit first, with how you meet each (explanations
    in the request's language). Those that cannot fit you are left out unless `unfit`. Nothing
    is ranked without a profile or without consent to matching.

    Scope: read. Role: expert.
    """
    filters = opportunities.Filters(
        sector=args.get("sector", ""),
        mode=args.get("mode", ""),
        city=" ".join(args.get("city", "").split()),
        remote=args["remote"],
    )
    return opportunities.for_expert(auth.actor(), filters, args["unfit"], args["page"])


@bp.route("/me/projects/<int:project_id>/interest", methods=["POST"])
@auth.roles(Role.EXPERT)
@bp.arguments(InterestIn)
@bp.response(201, InterestOut)
def express_interest(data, project_id: int):
    """Ask to join a project, with a note: it waits for an administrator's review, and the
    institution sees it only once approved. Refused (422, nothing changes) when the project is
    not open, does not fit your profile, or you already have a history with it.

    Scope: write. Role: expert.
    """
    return interest.express(auth.actor(), project_id, data["note"])
