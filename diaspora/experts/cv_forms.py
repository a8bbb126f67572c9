"""The CV upload form and the review of the skills found, one row per proposal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectField

from diaspora import vocabulary
from diaspora.cv.spotting import MAX_PROPOSALS
from diaspora.services.cv import CvReview


class CvUploadForm(FlaskForm):
    upload = FileField(
        _l("Your CV"),
        validators=[FileRequired(_l("Choose the file of your CV."))],
        description=_l(
            "PDF, Word (.docx) or plain text, 5 MB at most, in French, English or Arabic."
        ),
        render_kw={"accept": ".pdf,.docx,.txt,application/pdf,text/plain"},
    )
    attach = BooleanField(
        _l("Also attach this file to my profile"),
        description=_l(
            "Administrators can then download it, and an institution once you accept one of its "
            "projects, unless you keep it from institutions in your profile's settings. "
            "Unticked, the file is read for your skills and not kept."
        ),
    )


class ProposalRow(Form):
    # What the review page showed, sent back so that a refused confirmation shows it again.
    concept = HiddenField()
    phrase = HiddenField()
    cue = HiddenField()
    chosen = BooleanField(_l("Add"))
    level = SelectField(_l("Level"), validate_choice=False)


class ReviewForm(FlaskForm):
    proposals = FieldList(FormField(ProposalRow), max_entries=MAX_PROPOSALS)


def review_form(review: CvReview | None = None) -> ReviewForm:
    """The review form: filled from the proposals just found, else from the posted rows."""
    if review is None:
        form = ReviewForm()
    else:
        rows = [
            {"concept": p.concept_id, "phrase": p.phrase, "cue": p.level_cue, "level": str(p.level)}
            for p in review.proposals
        ]
        # Built from the proposals, not from the request (the upload's own form).
        form = ReviewForm(formdata=None, data={"proposals": rows})
    levels = [(str(n), _l(vocabulary.SKILL_LEVEL_LABELS[n])) for n in vocabulary.SKILL_LEVELS]
    for row in form.proposals:
        row.form.level.choices = levels
    return form


def _level(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdecimal() and len(value) < 3 else None


def posted_rows(form: ReviewForm) -> list[tuple[str, str, int | None, str]]:
    """Every row sent back: (concept, phrase, level, level cue)."""
    return [
        (
            r.form.concept.data or "",
            r.form.phrase.data or "",
            _level(r.form.level.data),
            r.form.cue.data or "",
        )
        for r in form.proposals
    ]


def chosen(form: ReviewForm) -> list[tuple[str, int | None]]:
    """The ticked rows: (concept, level)."""
    return [
        (r.form.concept.data or "", _level(r.form.level.data))
        for r in form.proposals
        if r.form.chosen.data
    ]
