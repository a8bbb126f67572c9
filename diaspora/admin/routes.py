from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diaspora.admin import bp
from diaspora.institutions.forms import ReviewNoteForm
from diaspora.main.converters import LAST_PAGE, whole_number
from diaspora.notifications.secrets import carries_secret, hide_links
from diaspora.services import (
    admin_views,
    audit_filters,
    dashboards,
    institution_evidence,
    institution_reviews,
    institutions,
)
from diaspora.services.admin_views import PAGE_SIZE
from diaspora.services.errors import ValidationFailed


def _page() -> int:
    return request.args.get("page", 1, type=whole_number(1, LAST_PAGE))


@bp.route("/")
def index():
    """The admins' dashboard."""
    return render_template("admin/index.html", view=dashboards.admin_dashboard(current_user))


@bp.route("/institutions")
def institutions_list():
    return render_template(
        "admin/institutions.html",
        institutions=institutions.list_with_members(current_user),
        form=ReviewNoteForm(formdata=None),
    )


def _reviewed(review, institution_id: int):
    """Run an admin's review with the posted note; a refused one is flashed, nothing changed."""
    form = ReviewNoteForm()
    if not form.validate_on_submit():
        flash(_("Keep the note under %(n)d characters.", n=2000), "danger")
        return None
    try:
        return review(current_user, institution_id, form.note.data or "")
    except ValidationFailed as e:
        for messages in e.reasons.values():
            for message in messages:
                flash(message, "danger")
        return None


@bp.route("/institutions/<int:institution_id>/verify", methods=["POST"])
def institution_verify(institution_id: int):
    institution = _reviewed(institution_reviews.verify, institution_id)
    if institution is not None:
        flash(
            _("%(name)s is verified: its members can publish projects.", name=institution.name),
            "success",
        )
    return redirect(url_for("admin.institutions_list"))


@bp.route("/institutions/<int:institution_id>/refuse", methods=["POST"])
def institution_refuse(institution_id: int):
    institution = _reviewed(institution_reviews.refuse, institution_id)
    if institution is not None:
        flash(_("%(name)s is refused; its members are told why.", name=institution.name), "info")
    return redirect(url_for("admin.institutions_list"))


@bp.route("/institutions/<int:institution_id>/revoke", methods=["POST"])
def institution_revoke(institution_id: int):
    institution = _reviewed(institution_reviews.revoke, institution_id)
    if institution is not None:
        flash(
            _(
                "%(name)s is no longer verified: its projects are unpublished and its members "
                "told.",
                name=institution.name,
            ),
            "warning",
        )
    return redirect(url_for("admin.institutions_list"))


@bp.route("/institutions/<int:institution_id>/letter")
def institution_letter(institution_id: int):
    """The letter an institution was registered with (admins only, as every page here)."""
    content = institution_evidence.letter_for_admin(current_user, institution_id)
    return Response(
        content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="institution-{institution_id}-letter.pdf"'
        },
    )


@bp.route("/mail")
def mail_list():
    """Every email the platform wrote: in development the only way to read them."""
    page = _page()
    status = request.args.get("status", "")
    messages = admin_views.outbox_page(page, status)
    return render_template(
        "admin/mail_list.html",
        messages=messages,
        page=page,
        status=status,
        page_size=PAGE_SIZE,
        shows_links=current_app.config["OUTBOX_SHOWS_LINKS"],
    )


@bp.route("/mail/<int:message_id>")
def mail_show(message_id: int):
    message = admin_views.outbox_message(message_id)
    # An admin must not be able to reset another admin's password or answer an invitation as
    # the expert: outside development the links of such emails are cut before display.
    secret = carries_secret(message.kind)
    hidden = secret and not current_app.config["OUTBOX_SHOWS_LINKS"]
    body = hide_links(message.body_text) if hidden else message.body_text
    return render_template(
        "admin/mail_show.html", message=message, body=body, secret=secret, hidden=hidden
    )


@bp.route("/audit")
def audit_log():
    page = _page()
    filters = audit_filters.from_args(request.args)
    audit = admin_views.audit_page(filters, page)
    return render_template(
        "admin/audit.html",
        entries=audit.entries,
        page=page,
        filters=filters,
        subject_types=audit.subject_types,
        page_size=PAGE_SIZE,
    )


from diaspora.admin import imports, matching  # noqa: E402,F401  (upload; allocation, exposure)
