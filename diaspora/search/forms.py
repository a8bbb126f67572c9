"""The expert search's form options, the proposal form and the saved-search forms (the query
string itself is read and written by `diaspora.search_query`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from diaspora import geo, vocabulary
from diaspora.forms_support import sector_choices
from diaspora.models import AlertFrequency
from diaspora.services.expert_search import SearchPage
from diaspora.services.proposals import MAX_NOTE
from diaspora.services.saved_searches import MAX_NAME


class ProposalForm(FlaskForm):
    """Choices are not checked here: the service refuses a project that is not the member's
    with a message that says what to do."""

    project_id = SelectField(_l("Project"), validate_choice=False, coerce=str)
    note = TextAreaField(
        _l("Why this expert, for this project?"),
        description=_l(
            "For the administrators who review the proposal (at most %(n)d characters).",
            n=MAX_NOTE,
        ),
        render_kw={"rows": 4},
    )


@dataclass(frozen=True)
class FilterChoices:
    """The options of the search form, labelled in the reader's language with how many
    experts each finds (built here once per page: a template loop that translates and counts
    per option makes a slow page)."""

    countries_found: list[tuple[str, str]]
    countries_other: list[tuple[str, str]]
    overlap: list[tuple[str, str]]
    hours: list[tuple[str, str]]
    languages: list[tuple[str, str]]
    levels: list[tuple[str, str]]
    modes: list[tuple[str, str]]
    sectors: list[tuple[str, str]]


@lru_cache(maxsize=8)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple(geo.country_choices(locale))


def _counted(label, count: int) -> str:
    return f"{label} ({count})"


def filter_choices(result: SearchPage, locale: str) -> FilterChoices:
    """The form's options for this page of results."""
    facets, query = result.facets, result.asked
    countries = _countries(locale)
    hours = [
        (str(n), _counted(ngettext("%(num)d hour or more", "%(num)d hours or more", n), count))
        for n, count in result.hours_at_least.items()
    ]
    if query.min_hours and query.min_hours not in result.hours_at_least:  # typed in the URL
        hours.append(
            (
                str(query.min_hours),
                ngettext("%(num)d hour or more", "%(num)d hours or more", query.min_hours),
            )
        )
    offered = vocabulary.language_choices(locale)
    asked = [code for code, _level in query.languages if code not in vocabulary.LANGUAGES]
    return FilterChoices(
        countries_found=[
            (code, _counted(name, facets.countries[code]))
            for code, name in countries
            if facets.countries.get(code)
        ],
        countries_other=[(code, name) for code, name in countries if code not in facets.countries],
        overlap=[
            (
                str(n),
                _counted(ngettext("at least %(num)d hour", "at least %(num)d hours", n), count),
            )
            for n, count in result.overlap_at_least.items()
        ],
        hours=hours,
        languages=[
            (code, _counted(name, facets.languages[code]) if facets.languages.get(code) else name)
            for code, name in offered
        ]
        + [(code, vocabulary.language_name(code, locale)) for code in asked],
        levels=[
            (level, str(_l(vocabulary.CEFR_LABELS[level]))) for level in vocabulary.CEFR_LEVELS
        ],
        modes=[
            (code, _counted(_l(vocabulary.MODE_LABELS[code]), facets.modes.get(code, 0)))
            for code in vocabulary.MODES
        ],
        sectors=[
            (code, _counted(label, facets.sectors.get(code, 0))) for code, label in sector_choices()
        ],
    )


FREQUENCY_CHOICES = [
    (AlertFrequency.INSTANT, _l("At once, one email for each change")),
    (AlertFrequency.WEEKLY, _l("In my weekly digest")),
    (AlertFrequency.OFF, _l("Never: I run it myself")),
]


class SavedSearchForm(FlaskForm):
    """Name and frequency of a saved search; the search itself comes in the query string."""

    name = StringField(
        _l("Name of the search"),
        validators=[DataRequired(message=_l("Give the search a name.")), Length(max=MAX_NAME)],
        render_kw={"maxlength": MAX_NAME},
    )
    frequency = SelectField(
        _l("Email me about experts who newly match it"),
        choices=FREQUENCY_CHOICES,
        default=AlertFrequency.WEEKLY,
    )


class DeleteForm(FlaskForm):
    """A POST with its CSRF token, nothing else."""
