"""Projects for experts: their ranking, their expressions of interest and alerts; and the public
list of open projects. Filters live in the query string, so a list can be bookmarked; anything
odd in it is ignored, never a 500."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.main.converters import LAST_PAGE, whole_number
from diaspora.models import AlertFrequency, Role
from diaspora.opportunities import bp
from diaspora.opportunities.forms import AlertsForm, InterestForm, alerts_initial, alerts_value
from diaspora.services import interest, opportunities, project_alerts
from diaspora.services.errors import ValidationFailed
from diaspora.vocabulary import PROJECT_MODES, SECTORS

MAX_CITY = 120
YES = ("1", "on", "true", "yes")


def _filters() -> opportunities.Filters:
    sector = request.args.get("sector", "")
    mode = request.args.get("mode", "")
    return opportunities.Filters(
        sector=sector if sector in SECTORS else "",
        mode=mode if mode in PROJECT_MODES else "",
        city=" ".join(request.args.get("city", "").split())[:MAX_CITY],
        remote=request.args.get("remote", "") in YES,
    )


def _page() -> int:
    return request.args.get("page", 1, type=whole_number(1, LAST_PAGE))


def _list_args(filters: opportunities.Filters, **more) -> dict:
    """The query string that keeps these filters (for the pager), without empty values."""
    args = {
        "sector": filters.sector,
        "mode": filters.mode,
        "city": filters.city,
        "remote": "1" if filters.remote else "",
        **more,
    }
    return {name: value for name, value in args.items() if value}


@bp.route("/")
@role_required(Role.EXPERT)
def for_me():
    """The open projects ranked for the signed-in expert."""
    filters = _filters()
    show_unfit = request.args.get("unfit", "") in YES
    view = opportunities.for_expert(current_user, filters, show_unfit, _page())
    profile = view.profile
    form = AlertsForm(
        data=alerts_initial(
            profile.alert_min_score if profile else None,
            profile.alert_frequency if profile else AlertFrequency.INSTANT,
        )
    )
    return render_template(
        "opportunities/for_me.html",
        view=view,
        filters=filters,
        show_unfit=show_unfit,
        args=_list_args(filters, unfit="1" if show_unfit else ""),
        sectors=SECTORS,
        modes=PROJECT_MODES,
        alerts_form=form,
    )


@bp.route("/open")
def open_projects():
    """The open projects, for anyone: what they are and who posts them, to invite sign-ups."""
    filters = _filters()
    view = opportunities.public_page(filters, _page())
    return render_template(
        "opportunities/open.html",
        view=view,
        filters=filters,
        args=_list_args(filters),
        sectors=SECTORS,
        modes=PROJECT_MODES,
    )


@bp.route("/<int:project_id>/interest", methods=["GET", "POST"], endpoint="interest")
@role_required(Role.EXPERT)
def interest_form(project_id: int):
    """A project, how the expert fits it, and the form to express interest in it."""
    form = InterestForm()
    if form.validate_on_submit():
        try:
            interest.express(current_user, project_id, form.note.data)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(
                _(
                    "Your interest is sent. An administrator will read it; the institution "
                    "sees it only if it is approved, and we will tell you either way."
                ),
                "success",
            )
            return redirect(url_for("opportunities.for_me"))
    page = interest.interest_page(current_user, project_id)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("opportunities/interest.html", page=page, form=form), status


@bp.route("/alerts", methods=["POST"])
@role_required(Role.EXPERT)
def alerts():
    form = AlertsForm()
    if form.validate_on_submit():
        try:
            project_alerts.set_min_score(
                current_user, alerts_value(form), form.frequency.data or None
            )
        except ValidationFailed as e:
            for messages in e.reasons.values():
                for message in messages:
                    flash(message, "danger")
        else:
            flash(_("Your choice of emails is saved."), "success")
    else:
        flash(_("Choose a value from the list."), "danger")
    return redirect(url_for("opportunities.for_me") + "#alerts")
