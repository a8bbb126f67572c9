"""Project forms. They only turn text into values; the rules live in services/projects.py."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from diaspora import vocabulary
from diaspora.forms_support import MultiCheckboxField, sector_choices
from diaspora.rules import projects as project_rules

# Rows shown at first, rows added by the "more rows" button, and a cap that keeps a forged
# request from building thousands of fields.
SKILL_ROWS = 5
MORE_ROWS = 3
MAX_SKILL_ROWS = 40


def _bounds(bounds: tuple[int, int]) -> dict:
    """The browser's hint for a number box, from the same range the service checks."""
    low, high = bounds
    return {"inputmode": "numeric", "min": low, "max": high}


NEED_CHOICES = [("required", _l("Required")), ("nice", _l("Nice to have"))]


class SkillRowForm(Form):
    # The template wires skill suggestions (skill-autocomplete.js) to this box.
    name = StringField(_l("Skill"), validators=[Optional()])
    level = SelectField(
        _l("Minimum level"),
        choices=[(n, _l(label)) for n, label in vocabulary.SKILL_LEVEL_LABELS.items()],
        coerce=int,
        default=3,
    )
    need = SelectField(_l("Need"), choices=NEED_CHOICES, default="required")


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"))
    description = TextAreaField(
        _l("Description"),
        render_kw={"rows": 6},
        description=_l("What the experts will do, with whom, and what success looks like."),
    )
    sector = SelectField(
        _l("Sector"),
        choices=[("", "—"), *sector_choices()],
        validate_choice=False,
    )
    skills = FieldList(FormField(SkillRowForm), min_entries=SKILL_ROWS, max_entries=MAX_SKILL_ROWS)
    languages = MultiCheckboxField(
        _l("Working languages"),
        validate_choice=False,
        description=_l(
            "Experts must speak at least one of them at level B2 or better. "
            "Leave empty for no constraint."
        ),
    )
    mode = RadioField(
        _l("How the experts work"),
        choices=[(m, _l(vocabulary.MODE_LABELS[m])) for m in vocabulary.PROJECT_MODES],
        validate_choice=False,
    )
    location = StringField(
        _l("City in Morocco"),
        description=_l("Required for missions in Morocco and for hybrid projects."),
    )
    hours_per_month = IntegerField(
        _l("Hours per month"),
        validators=[Optional()],
        render_kw=_bounds(project_rules.HOURS_PER_MONTH),
    )
    seats = IntegerField(
        _l("Number of experts"),
        validators=[Optional()],
        default=1,
        render_kw=_bounds(project_rules.SEATS),
    )
    starts_on = DateField(
        _l("Start date"), validators=[Optional()], description=_l("Format: YYYY-MM-DD.")
    )
    duration_months = IntegerField(
        _l("Duration in months"),
        validators=[Optional()],
        render_kw=_bounds(project_rules.DURATION_MONTHS),
    )
