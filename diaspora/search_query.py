"""The expert search's query string: read into a `SearchQuery` (the search page, saved
searches and their alerts read it) and written back (links, saved searches).

Reading the query string never fails: a value that makes no sense (an unknown country, "²"
hours, a date in year 9999, a 10,000-character skill) is left out, with a notice that says so;
names the search does not know are ignored, and repeated names count once where one value is
expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest
from urllib.parse import urlencode

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from diaspora import geo, vocabulary
from diaspora.rules import dates, text
from diaspora.rules import profiles as profile_rules
from diaspora.rules.numbers import LAST_PAGE, whole_number
from diaspora.services.skills import MAX_SKILL_NAME

MAX_SKILLS = 5
MAX_LANGUAGES = 3
DEFAULT_LEVEL = "B2"  # a working language, as projects ask
MAX_VALUES = 20  # of one repeated name: a longer list is not a person's search
MAX_OVERLAP_HOURS = 8  # the Moroccan working day
# Commas and semicolons, Arabic ones too, and line breaks separate skills typed in one box.
_SKILL_SEPARATORS = re.compile(r"[,;\n\u060c\u061b]+")
_SHOWN_VALUE = 40  # characters of an odd value quoted back in a notice


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for, as plain values (an empty value asks for nothing).

    ``languages`` are (code, minimum CEFR level) pairs; ``min_overlap_hours`` counts hours of
    the Moroccan working day (9:00-17:00) inside the expert's own day (8:00-20:00);
    ``in_morocco``: (first, last day) the expert is in Morocco on at least one of.
    """

    skills: tuple[str, ...] = ()
    country: str = ""
    city: str = ""
    modes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    languages: tuple[tuple[str, str], ...] = ()
    min_hours: int | None = None
    available_by: date | None = None
    min_overlap_hours: int | None = None
    in_morocco: tuple[date, date] | None = None
    page: int = 1

    def asks_something(self) -> bool:
        """Whether any skill or filter is given (an empty search lists nobody)."""
        return any(
            (
                self.skills,
                self.country,
                self.city,
                self.modes,
                self.sectors,
                self.languages,
                self.min_hours is not None,
                self.available_by is not None,
                self.min_overlap_hours is not None,
                self.in_morocco is not None,
            )
        )


def _shown(value: str) -> str:
    value = text.clean_line(value)
    return value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "…"


def _values(args: MultiDict, name: str) -> list[str]:
    return [str(v) for v in args.getlist(name)[:MAX_VALUES]]


def _first(args: MultiDict, name: str) -> str:
    return next((v for v in _values(args, name) if v.strip()), "")


def _skills(args: MultiDict, notices: list[str]) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for value in _values(args, "skill"):
        for part in _SKILL_SEPARATORS.split(value):
            name = text.clean_line(part)
            if len(name) > MAX_SKILL_NAME:
                notices.append(
                    _("A skill longer than %(n)d characters was left out.", n=MAX_SKILL_NAME)
                )
            elif name:
                names.setdefault(name.casefold(), name)
    if len(names) > MAX_SKILLS:
        notices.append(_("Only the first %(n)d skills are searched for.", n=MAX_SKILLS))
    return tuple(names.values())[:MAX_SKILLS]


def _country(args: MultiDict, notices: list[str]) -> str:
    value = _first(args, "country")
    code = geo.normalise_country(value)
    if code and not geo.is_valid_country(code):
        notices.append(_("The country «%(value)s» is unknown: left out.", value=_shown(value)))
        return ""
    return code


def _city(args: MultiDict, notices: list[str]) -> str:
    city = text.clean_line(_first(args, "city"))
    if len(city) > profile_rules.MAX_CITY:
        notices.append(
            _("A city name has at most %(n)d characters: left out.", n=profile_rules.MAX_CITY)
        )
        return ""
    return city


def _known(args: MultiDict, name: str, known: tuple[str, ...], notices: list[str], message):
    values = [v for v in _values(args, name) if v]
    if any(v not in known for v in values):
        notices.append(str(message))
    return tuple(dict.fromkeys(v for v in values if v in known))


def _languages(args: MultiDict, notices: list[str]) -> tuple[tuple[str, str], ...]:
    wanted: dict[str, str] = {}
    for code, level in zip_longest(_values(args, "language"), _values(args, "level")):
        code, level = (code or "").strip().lower(), (level or "").strip()
        if not code:
            continue  # an empty row of the form
        if not vocabulary.is_known_language(code):
            notices.append(_("The language «%(value)s» is unknown: left out.", value=_shown(code)))
            continue
        if level and level not in vocabulary.CEFR_LEVELS:
            notices.append(
                _("The level «%(value)s» is unknown: B2 is asked for.", value=_shown(level))
            )
        wanted.setdefault(code, level if level in vocabulary.CEFR_LEVELS else DEFAULT_LEVEL)
    if len(wanted) > MAX_LANGUAGES:
        notices.append(_("Only the first %(n)d languages are searched for.", n=MAX_LANGUAGES))
    return tuple(wanted.items())[:MAX_LANGUAGES]


def _number(args: MultiDict, name: str, low: int, high: int, notices: list[str], message):
    value = _first(args, name).strip()
    if not value:
        return None
    try:
        return whole_number(low, high)(value)
    except ValueError:
        notices.append(str(message) % {"value": _shown(value)})
        return None


def _day(args: MultiDict, notices: list[str], name: str = "available") -> date | None:
    value = _first(args, name).strip()
    if not value:
        return None
    try:
        day = dates.typed_day(value)
    except ValueError:
        day = None
    if day is None or not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        notices.append(
            _(
                "«%(value)s» is not a date between 2000 and 2100 (YYYY-MM-DD): left out.",
                value=_shown(value),
            )
        )
        return None
    return day


def _in_morocco(args: MultiDict, notices: list[str]) -> tuple[date, date] | None:
    """The days asked for by "in Morocco between": one day given stands for both."""
    first, last = _day(args, notices, "morocco_from"), _day(args, notices, "morocco_to")
    if first is None and last is None:
        return None
    first, last = first or last, last or first
    if last < first:
        notices.append(_("The last day in Morocco comes before the first: left out."))
        return None
    return first, last


def read_query(args: MultiDict) -> tuple[SearchQuery, list[str]]:
    """The search the query string asks for, and a notice for each value left out."""
    notices: list[str] = []
    query = SearchQuery(
        skills=_skills(args, notices),
        country=_country(args, notices),
        city=_city(args, notices),
        modes=_known(
            args, "mode", vocabulary.MODES, notices, _l("Unknown ways of working were left out.")
        ),
        sectors=_known(
            args, "sector", vocabulary.SECTORS, notices, _l("Unknown sectors were left out.")
        ),
        languages=_languages(args, notices),
        min_hours=_number(
            args,
            "hours",
            1,
            profile_rules.HOURS_PER_MONTH[1],
            notices,
            _l("«%(value)s» is not a whole number of hours: left out."),
        ),
        available_by=_day(args, notices),
        min_overlap_hours=_number(
            args,
            "overlap",
            1,
            MAX_OVERLAP_HOURS,
            notices,
            _l("«%(value)s» is not a whole number of hours: left out."),
        ),
        in_morocco=_in_morocco(args, notices),
        page=_number(args, "page", 1, LAST_PAGE, [], "") or 1,
    )
    return query, list(dict.fromkeys(notices))


def query_args(query: SearchQuery) -> dict[str, list[str] | str]:
    """The query string of `query` as the form writes it (for links: pages, proposals)."""
    args: dict[str, list[str] | str] = {
        "skill": list(query.skills),
        "country": query.country,
        "city": query.city,
        "mode": list(query.modes),
        "sector": list(query.sectors),
        "language": [code for code, _level in query.languages],
        "level": [level for _code, level in query.languages],
        "hours": str(query.min_hours or ""),
        "available": query.available_by.isoformat() if query.available_by else "",
        "overlap": str(query.min_overlap_hours or ""),
        "morocco_from": query.in_morocco[0].isoformat() if query.in_morocco else "",
        "morocco_to": query.in_morocco[1].isoformat() if query.in_morocco else "",
    }
    return {name: value for name, value in args.items() if value}


def query_string(query: SearchQuery) -> str:
    """`query_args` as the text after "?" (what a saved search keeps)."""
    return urlencode(query_args(query), doseq=True)
