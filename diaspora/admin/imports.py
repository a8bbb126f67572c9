"""Admin upload of interchange files: the same import as `flask import`, from the browser
(suggestions brought up to date by the outbox worker)."""

from pathlib import PurePath

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField

from diaspora.admin import bp
from diaspora.services import institutions, rescore_jobs
from diaspora.services.imports import import_and_rescore

# The rejected lines listed on the page; the count says how many more there are.
SHOWN_REJECTIONS = 500


class ImportForm(FlaskForm):
    kind = RadioField(
        _l("What the file holds"),
        choices=[("experts", _l("Experts")), ("projects", _l("Projects"))],
        default="experts",
    )
    upload = FileField(
        _l("File"),
        validators=[
            FileRequired(_l("Choose a file to import.")),
            FileAllowed(["jsonl", "csv"], _l("Only .jsonl and .csv files can be imported.")),
        ],
        description=_l("JSON Lines (.jsonl) or CSV (.csv) in the interchange format."),
        render_kw={"accept": ".jsonl,.csv"},
    )


@bp.route("/imports", methods=["GET", "POST"])
def imports():
    institutions.require_admin(current_user)
    max_mb = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    report = None
    # A file over MAX_CONTENT_LENGTH never gets here: the 413 page says it is too large.
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.upload.data
        fmt = "csv" if PurePath(upload.filename or "").suffix.lower() == ".csv" else "jsonl"
        report = import_and_rescore(
            upload.stream, form.kind.data, actor=current_user, fmt=fmt, in_background=True
        )
    return render_template(
        "admin/imports.html",
        form=form,
        report=report,
        max_mb=max_mb,
        shown=SHOWN_REJECTIONS,
        rescoring=rescore_jobs.state(),
    )
