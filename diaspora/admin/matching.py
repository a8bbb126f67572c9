"""Admin views of the engine as a whole: allocation, fair exposure, supply and demand, and
the learnt weight sets."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from diaspora import geo
from diaspora.admin import bp, figures
from diaspora.models.base import utcnow
from diaspora.services import allocation as allocation_service
from diaspora.services import exposure as exposure_service
from diaspora.services import insights as insights_service
from diaspora.services import rescore_jobs, weight_reviews
from diaspora.services.errors import ValidationFailed
from diaspora.services.skills import concept_label


@bp.route("/allocation")
def allocation():
    """A proposal for staffing every open project at once; nothing is sent from here."""
    page = allocation_service.allocation_page(current_user)
    return render_template("admin/allocation.html", page=page)


@bp.route("/allocation/apply", methods=["POST"])
def allocation_apply():
    """Put the proposed pairs first in the review queue; each is still reviewed there."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    count = allocation_service.apply_allocation(current_user)
    flash(
        _(
            "%(num)d proposed pairs now come first in the review queue, where each is still "
            "approved or rejected.",
            num=count,
        ),
        "success",
    )
    return redirect(url_for("review.review_queue"))


@bp.route("/exposure")
def exposure():
    """Exposure by country now, and the fairness monitor month by month."""
    rows = exposure_service.exposure_by_country()
    fairness = exposure_service.fairness()
    return render_template(
        "admin/exposure.html",
        rows=rows,
        chart=figures.exposure_chart(rows, str(get_locale())),
        funnel_chart=figures.funnel_chart(insights_service.funnel_by_month(utcnow().date())),
        fairness={d: [r for r in fairness if r.dimension == d] for d in ("country", "experience")},
    )


@bp.route("/insights")
def insights():
    """Supply and demand of skills, experts by country, and the funnel of matches."""
    locale = str(get_locale())
    found = insights_service.insights_page(current_user)
    return render_template(
        "admin/insights.html",
        balance=found.balance,
        funnel=found.funnel,
        countries=found.countries,
        by_month=found.by_month,
        funnel_chart=figures.funnel_chart(found.by_month),
        month_label=figures.month_label,
        locale=locale,
        skill_label=lambda concept_id: concept_label(concept_id, locale),
        country_name=geo.country_name,
    )


@bp.route("/weights")
def weights():
    """Learnt weight sets: each factor's weight now and proposed, and the measurements."""
    return render_template("admin/weights.html", page=weight_reviews.weights_page(current_user))


@bp.route("/weights/<int:version>/adopt", methods=["POST"])
def weights_adopt(version: int):
    """Make a proposed weight set the engine's, unless it measured worse; the outbox worker
    rescores the suggestions with it."""

    def adopted(queued: rescore_jobs.Queued) -> str:
        rescoring = (
            _(
                "A rescoring was already waiting for the outbox worker: it will use these "
                "weights, and no other one is queued."
            )
            if queued == rescore_jobs.Queued.JOINED
            else _("The outbox worker will rescore the stored suggestions with it.")
        )
        return _("Weight set %(n)d is now in force.", n=version) + " " + rescoring

    return _decided(weight_reviews.adopt, version, adopted)


@bp.route("/weights/<int:version>/refuse", methods=["POST"])
def weights_refuse(version: int):
    """Set a proposed weight set aside; the weights in force stay."""
    return _decided(
        weight_reviews.refuse, version, lambda _r: _("Weight set %(n)d is refused.", n=version)
    )


def _decided(decide, version: int, done):
    """`decide` returns a falsy value when there was nothing to change, else what `done`
    turns into the message."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        outcome = decide(current_user, version)
    except ValidationFailed as e:
        flash(str(e), "danger")
    else:
        flash(done(outcome) if outcome else _("Nothing to change: it already was."), "success")
    return redirect(url_for("admin.weights"))
