"""Admin views of the engine as a whole: allocation, fair exposure, supply and demand."""

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user

from diaspora import geo
from diaspora.admin import bp
from diaspora.services import allocation as allocation_service
from diaspora.services import exposure as exposure_service
from diaspora.services import insights as insights_service
from diaspora.services.skills import concept_label


@bp.route("/allocation")
def allocation():
    """A proposal for staffing every open project at once; nothing is sent from here."""
    page = allocation_service.allocation_page(current_user)
    return render_template("admin/allocation.html", page=page)


@bp.route("/exposure")
def exposure():
    """Exposure by country now, and the fairness monitor month by month."""
    rows = exposure_service.fairness()
    return render_template(
        "admin/exposure.html",
        rows=exposure_service.exposure_by_country(),
        fairness={d: [r for r in rows if r.dimension == d] for d in ("country", "experience")},
    )


@bp.route("/insights")
def insights():
    """Supply and demand of skills, experts by country, and the funnel of matches."""
    locale = str(get_locale())
    figures = insights_service.insights_page(current_user)
    return render_template(
        "admin/insights.html",
        balance=figures.balance,
        funnel=figures.funnel,
        countries=figures.countries,
        locale=locale,
        skill_label=lambda concept_id: concept_label(concept_id, locale),
        country_name=geo.country_name,
    )
