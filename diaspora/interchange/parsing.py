"""Validation of one expert or project object of the interchange format into a record.

Strict on types (a level is a JSON integer, consent a JSON boolean), tolerant on harmless
things: surrounding whitespace, Unicode normal form, the case of codes ("fr" → "FR" for a
country, "FR" → "fr" for a language, "c1" → "C1"), repeated sectors or modes. A skill or
language listed twice is kept once, at the highest level given. Keys the format does not know
are ignored, so that other tools can add fields. Every problem of a record is reported at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from diaspora import geo, vocabulary
from diaspora.interchange.records import (
    ExpertRecord,
    ExpertSkillRecord,
    LanguageLevel,
    ProjectRecord,
    ProjectSkillRecord,
    RecordError,
    Residence,
)
from diaspora.rules import links
from diaspora.rules import profiles as profile_rules
from diaspora.rules import projects as project_rules
from diaspora.rules import text as typed_text

_SHORT_TEXT = 300
# Dates outside these years are typos (0226 for 2026), and near the ends of Python's calendar
# (years 1 and 9999) converting them to another time zone overflows.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_OUT_OF_RANGE = f"is out of range (years {_FIRST_YEAR} to {_LAST_YEAR})"
_DESCRIBED = 40  # characters of a wrong value quoted in a message

_MISSING: Any = object()
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Checker:
    """Reads the fields of one object (or of an object nested in it, named by ``prefix``),
    collecting a message for each problem instead of stopping at the first."""

    def __init__(self, obj: Mapping[str, Any], reasons: list[str], prefix: str = "") -> None:
        self.obj = obj
        self.reasons = reasons
        self.prefix = prefix

    def fail(self, message: str) -> None:
        self.reasons.append(message)

    def field(self, key: str, required: bool = True) -> tuple[Any, str]:
        """The value of ``key`` (``_MISSING`` when absent or null) and its path for messages."""
        path = self.prefix + key
        value = self.obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path} is missing")
            return _MISSING, path
        return value, path

    def nested(self, value: Any, path: str, shape: str) -> _Checker | None:
        if value is _MISSING:
            return None
        if not isinstance(value, Mapping):
            self.fail(f"{path} must be an object with {shape} (got {_describe(value)})")
            return None
        return _Checker(value, self.reasons, path + ".")

    def text(
        self,
        value: Any,
        path: str,
        *,
        max_len: int = _SHORT_TEXT,
        multiline: bool = False,
        allow_empty: bool = False,
    ) -> str | None:
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            self.fail(f"{path} must be a string (got {_describe(value)})")
            return None
        text = value if value.isascii() else unicodedata.normalize("NFC", value)
        # A control character means a damaged file: refused. Invisible formatting (bidi
        # overrides, zero-width characters) is dropped, as the pages drop it.
        if typed_text.has_control_characters(text):
            self.fail(f"{path} must not contain control characters")
            return None
        # On one line, runs of spaces, tabs or stray line breaks (a paste from a spreadsheet)
        # become one space.
        text = typed_text.clean_text(text) if multiline else typed_text.clean_line(text)
        if not text and not allow_empty:
            self.fail(f"{path} must not be empty")
            return None
        if len(text) > max_len:
            self.fail(f"{path} is too long ({len(text)} characters, at most {max_len})")
            return None
        return text

    def integer(self, value: Any, path: str, low: int, high: int) -> int | None:
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{path} must be an integer from {low} to {high} (got {_describe(value)})")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.fail(f"{path} must be true or false (got {_describe(value)})")
            return None
        return value

    def items(self, value: Any, path: str) -> list[tuple[Any, str]]:
        """The elements of a list with their paths (``skills[2]``)."""
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.fail(f"{path} must be a list (got {_describe(value)})")
            return []
        return [(item, f"{path}[{i}]") for i, item in enumerate(value)]

    def choice(self, value: Any, path: str, choices: tuple[str, ...], what: str) -> str | None:
        code = self.text(value, path, max_len=64)
        if code is None:
            return None
        code = code.lower()
        if code not in choices:
            self.fail(f"{path} {code!r} is not {what} ({', '.join(choices)})")
            return None
        return code

    def choices(self, key: str, choices: tuple[str, ...], what: str) -> tuple[str, ...]:
        found: list[str] = []
        for item, path in self.items(*self.field(key)):
            code = self.choice(item, path, choices, what)
            if code is not None and code not in found:
                found.append(code)
        return tuple(found)

    def language_code(self, value: Any, path: str) -> str | None:
        code = self.text(value, path, max_len=16)
        if code is None:
            return None
        code = code.lower()
        if not _LANGUAGE_CODE.fullmatch(code) or not vocabulary.is_known_language(code):
            self.fail(
                f"{path} {code!r} is not a language code "
                "(ISO 639-1 such as 'fr', else ISO 639-3 such as 'ary')"
            )
            return None
        return code

    def cefr(self, value: Any, path: str) -> str | None:
        level = self.text(value, path, max_len=16)
        if level is None:
            return None
        level = "native" if level.lower() == "native" else level.upper()
        if level not in vocabulary.CEFR_LEVELS:
            self.fail(f"{path} {level!r} is not a CEFR level (A1, A2, B1, B2, C1, C2 or native)")
            return None
        return level

    def iso_date(self, value: Any, path: str) -> date | None:
        text = self.text(value, path, max_len=32)
        if text is None:
            return None
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            self.fail(f"{path} {text!r} is not a date in the form YYYY-MM-DD")
            return None
        if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
            self.fail(f"{path} {text!r} {_OUT_OF_RANGE}")
            return None
        return day

    def timestamp(self, value: Any, path: str) -> datetime | None:
        text = self.text(value, path, max_len=64)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
            # A time without offset is read as UTC, the platform's storage convention.
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            moment = moment.astimezone(UTC)
        except ValueError:
            self.fail(f"{path} {text!r} is not an ISO 8601 date and time")
            return None
        except OverflowError:  # 9999-12-31T23:00-05:00 is past the last year Python knows
            moment = None
        if moment is None or not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
            self.fail(f"{path} {text!r} {_OUT_OF_RANGE}")
            return None
        return moment

    def ref(self) -> str | None:
        ref = self.text(*self.field("ref"), max_len=64)
        if ref is not None and not _REF.fullmatch(ref):
            self.fail(
                f"ref {ref!r} must be at most 64 letters, digits or . _ : / - "
                "and start with a letter or digit"
            )
            return None
        return ref


def _describe(value: Any) -> str:
    if value is _MISSING or value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        text = repr(value)
        return text if len(text) <= _DESCRIBED else text[:_DESCRIBED] + "…"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _start(obj: Any) -> _Checker:
    if not isinstance(obj, Mapping):
        raise RecordError([f"a record must be a JSON object (got {_describe(obj)})"])
    return _Checker(obj, [])


def _finish(check: _Checker) -> None:
    if check.reasons:
        ref = check.obj.get("ref")
        raise RecordError(check.reasons, ref.strip() if isinstance(ref, str) else None)


def _email(check: _Checker) -> str | None:
    email = check.text(*check.field("email"), max_len=254)
    if email is None:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        check.fail(f"email {email!r} is not a valid email address: {error}")
        return None


def _residence(check: _Checker) -> Residence | None:
    inner = check.nested(*check.field("residence"), "country, city and timezone")
    if inner is None:
        return None
    errors_before = len(check.reasons)
    country = inner.text(*inner.field("country"), max_len=8)
    if country is not None:
        country = geo.normalise_country(country)
        if not geo.is_valid_country(country):
            inner.fail(f"residence.country {country!r} is not an ISO 3166-1 alpha-2 code")
    city = (
        inner.text(
            *inner.field("city", required=False), max_len=profile_rules.MAX_CITY, allow_empty=True
        )
        or ""
    )
    zone = inner.text(*inner.field("timezone", required=False), max_len=64, allow_empty=True)
    if zone and not geo.is_valid_timezone(zone):
        inner.fail(f"residence.timezone {zone!r} is not an IANA time zone name")
    if len(check.reasons) > errors_before or country is None:
        return None
    return Residence(country, city, zone or geo.derive_timezone(country, city))


def _expert_languages(check: _Checker) -> tuple[LanguageLevel, ...]:
    best: dict[str, str] = {}
    for item, path in check.items(*check.field("languages")):
        inner = check.nested(item, path, "code and level")
        if inner is None:
            continue
        code = inner.language_code(*inner.field("code"))
        level = inner.cefr(*inner.field("level"))
        if code is None or level is None:
            continue
        if code not in best or vocabulary.cefr_at_least(level, best[code]):
            best[code] = level
    _at_most(check, "languages", len(best), profile_rules.MAX_LANGUAGES)
    return tuple(LanguageLevel(code, level) for code, level in best.items())


def _at_most(check: _Checker, key: str, count: int, most: int) -> None:
    # As many as the record's page can show and save again, no more.
    if count > most:
        check.fail(f"{key} lists {count} {key}, at most {most}")


def _skills(check: _Checker, with_required: bool, most: int) -> list[tuple[str, int, bool]]:
    merged: dict[str, tuple[str, int, bool]] = {}
    for item, path in check.items(*check.field("skills")):
        inner = check.nested(item, path, "name and level")
        if inner is None:
            continue
        name = inner.text(*inner.field("name"), max_len=200)
        level = inner.integer(*inner.field("level"), 1, 5)
        required: bool | None = True
        if with_required:
            given, given_path = inner.field("required", required=False)
            required = True if given is _MISSING else inner.boolean(given, given_path)
        if name is None or level is None or required is None:
            continue
        # One entry per name, whatever its case: keep the strongest claim.
        key = name.casefold()
        if key in merged:
            first, old_level, old_required = merged[key]
            merged[key] = (first, max(level, old_level), required or old_required)
        else:
            merged[key] = (name, level, required)
    _at_most(check, "skills", len(merged), most)
    return list(merged.values())


def _linkedin(check: _Checker) -> str | None:
    url = check.text(*check.field("linkedin", required=False), allow_empty=True)
    if not url:
        return None
    valid = links.linkedin_url(url)
    if valid is None:
        check.fail(f"linkedin {url!r} is not a LinkedIn address")
    return valid


def parse_expert(obj: Any) -> ExpertRecord:
    """Validate one expert object of the interchange format; raise RecordError with every
    problem found. The time zone is derived from city/country when not given."""
    check = _start(obj)
    ref = check.ref()
    full_name = check.text(*check.field("full_name"), max_len=200)
    email = _email(check)
    residence = _residence(check)
    languages = _expert_languages(check)
    skills = _skills(check, with_required=False, most=profile_rules.MAX_SKILLS)
    sectors = check.choices("sectors", vocabulary.SECTORS, "a sector")
    modes = check.choices("modes", vocabulary.MODES, "an expert mode")
    # 0 is what the profile page stores when the expert does not say.
    hours = check.integer(*check.field("hours_per_month"), 0, profile_rules.HOURS_PER_MONTH[1])
    bio = check.text(
        *check.field("bio", required=False),
        max_len=profile_rules.MAX_BIO,
        multiline=True,
        allow_empty=True,
    )
    consent = check.boolean(*check.field("consent_matching"))
    headline = check.text(
        *check.field("headline", required=False),
        max_len=profile_rules.MAX_HEADLINE,
        allow_empty=True,
    )
    linkedin = _linkedin(check)
    years = check.integer(
        *check.field("years_experience", required=False), *profile_rules.YEARS_EXPERIENCE
    )
    available_from = check.iso_date(*check.field("available_from", required=False))
    confirmed_at = check.timestamp(*check.field("confirmed_at", required=False))
    _finish(check)
    return ExpertRecord(
        ref=ref,  # type: ignore[arg-type]  # _finish raised if a required field is None
        full_name=full_name,  # type: ignore[arg-type]
        email=email,  # type: ignore[arg-type]
        residence=residence,  # type: ignore[arg-type]
        languages=languages,
        skills=tuple(ExpertSkillRecord(name, level) for name, level, _ in skills),
        sectors=sectors,
        modes=modes,
        hours_per_month=hours,  # type: ignore[arg-type]
        bio=bio or "",
        consent_matching=consent,  # type: ignore[arg-type]
        headline=headline or None,
        linkedin=linkedin,
        years_experience=years,
        available_from=available_from,
        confirmed_at=confirmed_at,
    )


def parse_project(obj: Any) -> ProjectRecord:
    """Validate one project object of the interchange format; raise RecordError with every
    problem found. A project needs at least one skill; a skill's ``required`` defaults to true."""
    check = _start(obj)
    ref = check.ref()
    institution = check.text(*check.field("institution"))
    title = check.text(*check.field("title"), max_len=project_rules.MAX_TITLE)
    description = check.text(
        *check.field("description", required=False),
        max_len=project_rules.MAX_DESCRIPTION,
        multiline=True,
        allow_empty=True,
    )
    sector = check.choice(*check.field("sector"), vocabulary.SECTORS, "a sector")
    skills_errors = len(check.reasons)
    skills = _skills(check, with_required=True, most=project_rules.MAX_SKILLS)
    if not skills and len(check.reasons) == skills_errors:
        check.fail("skills must list at least one skill")
    languages: list[str] = []
    for item, path in check.items(*check.field("languages", required=False)):
        code = check.language_code(item, path)
        if code is not None and code not in languages:
            languages.append(code)
    mode = check.choice(*check.field("mode"), vocabulary.PROJECT_MODES, "a project mode")
    location = check.text(
        *check.field("location", required=False),
        max_len=project_rules.MAX_LOCATION,
        allow_empty=True,
    )
    hours = check.integer(*check.field("hours_per_month"), *project_rules.HOURS_PER_MONTH)
    seats = check.integer(*check.field("seats"), *project_rules.SEATS)
    starts_on = check.iso_date(*check.field("starts_on", required=False))
    duration = check.integer(
        *check.field("duration_months", required=False), *project_rules.DURATION_MONTHS
    )
    _finish(check)
    return ProjectRecord(
        ref=ref,  # type: ignore[arg-type]  # _finish raised if a required field is None
        institution=institution,  # type: ignore[arg-type]
        title=title,  # type: ignore[arg-type]
        description=description or "",
        sector=sector,  # type: ignore[arg-type]
        skills=tuple(ProjectSkillRecord(name, level, required) for name, level, required in skills),
        languages=tuple(languages),
        mode=mode,  # type: ignore[arg-type]
        location=location or "",
        hours_per_month=hours,  # type: ignore[arg-type]
        seats=seats,  # type: ignore[arg-type]
        starts_on=starts_on,
        duration_months=duration,
    )
