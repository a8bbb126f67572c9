"""Admin views of the engine as a whole: allocation proposal and fair exposure."""

from flask import render_template

from diaspora.admin import bp
from diaspora.extensions import db
from diaspora.models import ExpertProfile
from diaspora.services import suggestions


@bp.route("/allocation")
def allocation():
    """A proposal for staffing every open project at once; nothing is sent from here."""
    proposal = suggestions.propose_allocation()
    ids = {c for pairs in proposal["assignments"].values() for c, _ in pairs}
    experts = {e.id: e for e in db.session.query(ExpertProfile).filter(ExpertProfile.id.in_(ids))}
    return render_template("admin/allocation.html", proposal=proposal, experts=experts)


@bp.route("/exposure")
def exposure():
    return render_template("admin/exposure.html", rows=suggestions.exposure_by_country())
