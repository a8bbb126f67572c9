"""Admin views of the engine as a whole: allocation, fair exposure, supply and demand."""

from flask import render_template
from flask_babel import get_locale

from diaspora import geo
from diaspora.admin import bp
from diaspora.services import admin_views
from diaspora.services import allocation as allocation_service
from diaspora.services import exposure as exposure_service
from diaspora.services import insights as insights_service
from diaspora.services.skills import concept_label


@bp.route("/allocation")
def allocation():
    """A proposal for staffing every open project at once; nothing is sent from here."""
    proposal = allocation_service.propose_allocation()
    ids = {c for pairs in proposal["assignments"].values() for c, _ in pairs}
    experts = admin_views.experts_by_id(ids)
    return render_template("admin/allocation.html", proposal=proposal, experts=experts)


@bp.route("/exposure")
def exposure():
    return render_template("admin/exposure.html", rows=exposure_service.exposure_by_country())


@bp.route("/insights")
def insights():
    """Supply and demand of skills, experts by country, and the funnel of matches."""
    locale = str(get_locale())
    return render_template(
        "admin/insights.html",
        balance=insights_service.skill_balance(),
        funnel=insights_service.funnel(),
        countries=insights_service.experts_by_country(),
        locale=locale,
        skill_label=lambda concept_id: concept_label(concept_id, locale),
        country_name=geo.country_name,
    )
