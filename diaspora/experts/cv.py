"""CV upload: the expert sends a CV, reviews the skills found in it and adds the ones they
tick; the CV file, when they chose to attach it, is downloaded or removed here."""

import io
from functools import wraps

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from diaspora.auth.session_loader import role_required
from diaspora.errors import error_response
from diaspora.experts import bp
from diaspora.experts.cv_forms import CvUploadForm, chosen, posted_rows, review_form
from diaspora.extensions import csrf, limiter
from diaspora.forms_support import show_errors
from diaspora.models import Role
from diaspora.services import cv
from diaspora.services.errors import ValidationFailed

# The file and the form's few other fields around it.
MAX_REQUEST = cv.MAX_BYTES + 64 * 1024


def _locale() -> str:
    return str(get_locale())


def _upload_page(form: CvUploadForm, status: int = 200):
    attached = cv.own_attached_cv(current_user)
    return render_template("experts/cv_upload.html", form=form, attached=attached), status


def _refuse_large():
    if current_user.is_authenticated and current_user.role == Role.EXPERT:
        form = CvUploadForm(formdata=None)
        form.upload.errors = [cv.too_large_message()]
        return _upload_page(form, 413)
    return error_response(413, cv.too_large_message())


def _limited_upload(view):
    """Refuse an upload past MAX_REQUEST before reading it: at once when it declares its
    length, else as soon as that much has arrived. Its CSRF token is inside the body, so the
    token is checked here, after the size: the app-wide check would read the whole body."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method == "POST":
            if (request.content_length or 0) > MAX_REQUEST:
                return _refuse_large()
            request.max_content_length = MAX_REQUEST
            try:
                if current_app.config["WTF_CSRF_ENABLED"]:
                    csrf.protect()
                _ = request.files  # read the body now, within the limit
            except RequestEntityTooLarge:
                return _refuse_large()
        return view(*args, **kwargs)

    return csrf.exempt(wrapper)


def _review_page(review: cv.CvReview, form):
    by_concept = {row.form.concept.data: row for row in form.proposals}
    rows = [(p, by_concept.get(p.concept_id)) for p in review.proposals]
    return render_template("experts/cv_review.html", review=review, form=form, rows=rows)


@bp.route("/profile/cv", methods=["GET", "POST"])
# Reading a CV costs seconds of CPU (text extraction, the normaliser): a client that sends
# them in a loop is slowed down before its body is even read.
@limiter.limit(lambda: current_app.config["CV_UPLOAD_LIMIT"], methods=["POST"])
@_limited_upload
@role_required(Role.EXPERT)
def cv_upload():
    """Send a CV; the skills found in it come back for review (nothing is saved yet)."""
    form = CvUploadForm()
    if form.validate_on_submit():
        upload = form.upload.data
        data = upload.stream.read(cv.MAX_BYTES + 1)
        try:
            review = cv.read_cv(
                current_user, data, upload.filename or "", bool(form.attach.data), _locale()
            )
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            return _review_page(review, review_form(review))
    return _upload_page(form)


@bp.route("/profile/cv/confirm", methods=["POST"])
@role_required(Role.EXPERT)
def cv_confirm():
    """Add the ticked skills, at the chosen levels, to the profile."""
    form = review_form()
    if form.validate_on_submit():
        try:
            added = cv.confirm(current_user, chosen(form), _locale())
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            if added:
                message = ngettext(
                    "%(num)d skill added to your profile.",
                    "%(num)d skills added to your profile.",
                    added,
                )
            else:
                message = _("These skills were already in your profile.")
            flash(message, "success")
            return redirect(url_for("experts.profile"))
    return _review_page(cv.review(current_user, posted_rows(form), _locale()), form)


def _send(file: cv.CvFile):
    response = send_file(
        io.BytesIO(file.content),
        mimetype=file.mimetype,
        as_attachment=True,
        download_name=file.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/profile/cv/file")
@role_required(Role.EXPERT)
def cv_download():
    """The expert's own attached CV."""
    return _send(cv.cv_file(current_user))


@bp.route("/profiles/<ref>/cv")
@login_required
def cv_of(ref: str):
    """The CV attached to a profile, for those who may see the profile."""
    return _send(cv.cv_file(current_user, ref))


@bp.route("/profile/cv/remove", methods=["POST"])
@role_required(Role.EXPERT)
def cv_remove():
    if cv.remove_cv(current_user):
        flash(_("Your CV is no longer attached to your profile."), "success")
    return redirect(url_for("experts.cv_upload"))
