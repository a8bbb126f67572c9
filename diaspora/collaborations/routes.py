"""The collaboration page and its actions (both sides), the certificate (experts), its public
check (anyone) and the admins' report."""

from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.auth.session_loader import role_required
from diaspora.collaborations import bp
from diaspora.collaborations.forms import (
    CancelForm,
    CompleteForm,
    HoursForm,
    RateForm,
    ReviewHoursForm,
    StartForm,
    VerifyForm,
)
from diaspora.extensions import limiter
from diaspora.forms_support import show_errors
from diaspora.models import Role
from diaspora.services import certificates, collaboration_report, collaborations
from diaspora.services.collaboration_states import IllegalTransition
from diaspora.services.errors import NotFound, ValidationFailed

FORMS = {
    "start_form": StartForm,
    "cancel_form": CancelForm,
    "hours_form": HoursForm,
    "review_form": ReviewHoursForm,
    "complete_form": CompleteForm,
    "rate_form": RateForm,
}


def _month_choices(months: list[date]) -> list[tuple[str, str]]:
    return [(m.isoformat(), format_date(m, "MMMM y")) for m in months]


def _render(collaboration_id: int, status: int = 200, reviewed_entry: int | None = None, **given):
    """The page, with `given` forms as posted (their errors next to their fields). The review
    form repeats on every month's row: only the row of `reviewed_entry` shows what was sent."""
    page = collaborations.page(current_user, collaboration_id)
    forms = {name: given.get(name) or form(formdata=None) for name, form in FORMS.items()}
    forms["hours_form"].month.choices = _month_choices(page.months)
    return render_template(
        "collaborations/show.html",
        page=page,
        reviewed_entry=reviewed_entry,
        blank_review_form=ReviewHoursForm(formdata=None),
        **forms,
    ), status


def _refused(form, error: ValidationFailed) -> None:
    """A reason about a field goes next to it; the others at the top of the page, since the
    form they came from may no longer be shown (a rating given a moment ago)."""
    for name, messages in error.reasons.items():
        if name and name in form._fields:
            show_errors(form, ValidationFailed({name: messages}))
        else:
            for message in messages:
                flash(message, "danger")


@bp.route("/collaborations/<int:collaboration_id>")
@login_required
def show(collaboration_id: int):
    return _render(collaboration_id)


def _act(collaboration_id: int, form_name: str, action, success: str, **shown):
    """Validate the posted form, run `action(form)`; on refusal show the page again with the
    reasons next to their fields, nothing changed."""
    form = FORMS[form_name]()
    if form_name == "hours_form":
        page = collaborations.page(current_user, collaboration_id)
        form.month.choices = _month_choices(page.months)
    if form.validate_on_submit():
        try:
            action(form)
        except ValidationFailed as e:
            _refused(form, e)
        except IllegalTransition as e:
            flash(str(e), "warning")
            return redirect(url_for("collaborations.show", collaboration_id=collaboration_id))
        else:
            flash(success, "success")
            return redirect(url_for("collaborations.show", collaboration_id=collaboration_id))
    return _render(collaboration_id, 400, **shown, **{form_name: form})


@bp.route("/collaborations/<int:collaboration_id>/start", methods=["POST"])
@role_required(Role.INSTITUTION)
def start(collaboration_id: int):
    return _act(
        collaboration_id,
        "start_form",
        lambda f: collaborations.start(current_user, collaboration_id, f.started_on.data),
        _("The collaboration is under way; the expert is told."),
    )


@bp.route("/collaborations/<int:collaboration_id>/cancel", methods=["POST"])
@role_required(Role.INSTITUTION, Role.EXPERT)
def cancel(collaboration_id: int):
    return _act(
        collaboration_id,
        "cancel_form",
        lambda f: collaborations.cancel(current_user, collaboration_id, f.reason.data),
        _("The collaboration is cancelled; the other side is told."),
    )


def _month(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@bp.route("/collaborations/<int:collaboration_id>/hours", methods=["POST"])
@role_required(Role.EXPERT)
def log_hours(collaboration_id: int):
    return _act(
        collaboration_id,
        "hours_form",
        lambda f: collaborations.log_hours(
            current_user, collaboration_id, _month(f.month.data), f.hours.data
        ),
        _("Your hours are saved; the institution is asked to confirm them."),
    )


@bp.route("/collaborations/<int:collaboration_id>/hours/<int:entry_id>", methods=["POST"])
@role_required(Role.INSTITUTION)
def review_hours(collaboration_id: int, entry_id: int):
    # Only the two buttons decide: anything else is None, which the service refuses.
    confirm = {"confirm": True, "dispute": False}.get(request.form.get("decision"))
    return _act(
        collaboration_id,
        "review_form",
        lambda f: collaborations.review_hours(
            current_user, collaboration_id, entry_id, confirm, f.note.data
        ),
        _("The hours are confirmed.") if confirm else _("The expert is told what to correct."),
        reviewed_entry=entry_id,
    )


@bp.route("/collaborations/<int:collaboration_id>/complete", methods=["POST"])
@role_required(Role.INSTITUTION)
def complete(collaboration_id: int):
    return _act(
        collaboration_id,
        "complete_form",
        lambda f: collaborations.complete(current_user, collaboration_id, f.outcome.data),
        _("The collaboration is completed; the expert can download their certificate."),
    )


@bp.route("/collaborations/<int:collaboration_id>/rate", methods=["POST"])
@role_required(Role.INSTITUTION, Role.EXPERT)
def rate(collaboration_id: int):
    skip = "skip" in request.form

    def action(form):
        score = None if skip else (int(form.score.data) if form.score.data else 0)
        return collaborations.rate(current_user, collaboration_id, score, form.comment.data)

    return _act(collaboration_id, "rate_form", action, _("Thank you."))


@bp.route("/collaborations/<int:collaboration_id>/certificate.pdf")
@role_required(Role.EXPERT)
def certificate_pdf(collaboration_id: int):
    certificate = certificates.for_expert(current_user, collaboration_id)
    locale = request.args.get("lang") or current_user.locale or str(get_locale())
    return Response(
        certificates.pdf(certificate, locale),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.pdf"'
        },
    )


# ---------------------------------------------------------------------------------------------
# Anyone: checking a certificate


def _check_limit():
    return current_app.config["CERTIFICATE_CHECK_LIMIT"]


@bp.route("/certificates/verify")
@limiter.limit(_check_limit)
def verify():
    form = VerifyForm(request.args)
    if "code" in request.args and form.validate():
        code = certificates.normalise(form.code.data)
        if code is not None:
            return redirect(url_for("collaborations.certificate", code=code))
        form.code.errors = [_("This is not a certificate code: check what you typed.")]
    status = 400 if form.code.errors else 200
    return render_template("collaborations/verify.html", form=form), status


@bp.route("/certificates/<code>")
@limiter.limit(_check_limit)
def certificate(code: str):
    try:
        found = certificates.verify(code)
    except NotFound:
        form = VerifyForm(data={"code": code[:40]})
        form.code.errors = [
            _("No certificate has this code: it is mistyped, or the certificate is not genuine.")
        ]
        return render_template("collaborations/verify.html", form=form), 404
    return render_template("collaborations/certificate.html", certificate=found)


# ---------------------------------------------------------------------------------------------
# Admins: reporting


@bp.route("/admin/collaborations")
@role_required(Role.ADMIN)
def report():
    return render_template("collaborations/report.html", report=collaboration_report.build())


@bp.route("/admin/collaborations.csv")
@role_required(Role.ADMIN)
def report_csv():
    body = collaboration_report.to_csv(collaboration_report.build())
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="collaborations.csv"'},
    )
