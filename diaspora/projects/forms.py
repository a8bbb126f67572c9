"""The project form and its mapping: a stored project to the form's values
(`initial_data`), the form to the service's input (`project_info`). The form only turns text
into values; the limits live in diaspora/rules/projects.py, checked by services/projects.py.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
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
from diaspora.forms_support import DayField, MultiCheckboxField, add_rows, sector_choices
from diaspora.models import Project
from diaspora.rules import projects as project_rules
from diaspora.services.projects import ProjectInfo, SkillWanted

# Rows of a new project, empty rows kept after the saved skills, and rows added by the
# "Add skill rows" button (a form without JavaScript cannot add them one by one).
SKILL_ROWS = 5
SPARE_SKILL_ROWS = 3
MORE_ROWS = 3
# The value of that button, named "action" (the Save buttons send "save").
ADD_ROWS = "add_rows"


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
    remove = BooleanField(_l("Remove"))


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
    # A forged request with thousands of rows builds no more than a project may hold.
    skills = FieldList(
        FormField(SkillRowForm),
        label=_l("Skills wanted"),
        min_entries=SKILL_ROWS,
        max_entries=project_rules.MAX_SKILLS,
    )
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
    starts_on = DayField(
        _l("Start date"), validators=[Optional()], description=_l("Format: YYYY-MM-DD.")
    )
    duration_months = IntegerField(
        _l("Duration in months"),
        validators=[Optional()],
        render_kw=_bounds(project_rules.DURATION_MONTHS),
    )
    flexible_start = BooleanField(
        _l("The project can start later for the right expert"),
        description=_l("Otherwise experts available only after the start date are not proposed."),
    )


def prepare(form: ProjectForm, locale: str) -> None:
    """Fill the choices, which depend on the reader's language. A language the project has
    that the list does not offer (an import may bring one) is offered too, so it is kept."""
    offered = vocabulary.language_choices(locale)
    codes = {code for code, _name in offered}
    own = [
        (code, vocabulary.language_name(code, locale))
        for code in form.languages.data or ()
        if code not in codes and vocabulary.is_known_language(code)
    ]
    form.languages.choices = offered + own


def add_spare_rows(form: ProjectForm) -> None:
    """Empty rows after the saved skills, to type new ones into without JavaScript."""
    empty = sum(1 for row in form.skills if not row.form.name.data)
    add_rows(form.skills, SPARE_SKILL_ROWS - empty)


def add_asked_rows(form: ProjectForm, action: str | None) -> bool:
    """Whether the "Add skill rows" button was pressed; if so the form gets more empty rows
    (up to what a project may hold) and is shown again, nothing saved."""
    if action != ADD_ROWS:
        return False
    add_rows(form.skills, MORE_ROWS)
    return True


def initial_data(project: Project) -> dict:
    """The form's values for a saved project."""
    return {
        "title": project.title,
        "description": project.description,
        "sector": project.sector,
        "skills": [
            {"name": s.name, "level": s.level, "need": "required" if s.required else "nice"}
            for s in project.skills
        ],
        "languages": list(project.languages or ()),
        "mode": project.mode,
        "location": project.location,
        "hours_per_month": project.hours_per_month,
        "seats": project.seats,
        "starts_on": project.starts_on,
        "duration_months": project.duration_months,
        "flexible_start": project.flexible_start,
    }


def project_info(form: ProjectForm) -> ProjectInfo:
    """The plain values the service takes; rows marked "remove" are left out."""
    return ProjectInfo(
        title=form.title.data or "",
        description=form.description.data or "",
        sector=form.sector.data or "",
        skills=tuple(
            SkillWanted(
                name=row.form.name.data or "",
                level=row.form.level.data,
                required=row.form.need.data != "nice",
            )
            for row in form.skills
            if not row.form.remove.data
        ),
        languages=tuple(form.languages.data or ()),
        mode=form.mode.data or "",
        location=form.location.data or "",
        hours_per_month=form.hours_per_month.data,
        seats=form.seats.data,
        starts_on=form.starts_on.data,
        duration_months=form.duration_months.data,
        flexible_start=bool(form.flexible_start.data),
    )
