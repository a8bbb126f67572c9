"""The CSV flavour of the interchange format: one record a row, the JSON field names as columns.

Convention (what the writer emits and the reader expects):

- The first line is the header. Nested residence fields are the columns ``residence.country``,
  ``residence.city``, ``residence.timezone``; the reader also accepts plain ``country``, ``city``,
  ``timezone``. Unknown columns are ignored; header names are matched ignoring case, with
  spaces read as ``_`` ("Full name").
- Lists are ``a;b;c`` (sectors, modes, a project's languages). An expert's languages are
  ``ar:C2;fr:C1``. Skills are ``name:level`` (experts) and ``name:level:required`` (projects,
  ``required`` being ``true``/``false``; when left out the skill is required). A ``;`` or ``\\``
  inside a skill name is escaped with a backslash: ``R\\;D:3``. Empty items are skipped.
- Booleans are ``true``/``false`` (``yes``/``no``, ``1``/``0``, ``oui``/``non`` are read too).
- An empty cell is an absent field (an empty list for list columns).
- The reader accepts ``,`` or ``;`` as the delimiter (spreadsheets in French locales use ``;``),
  detected from the header line; the writer uses ``,`` and UTF-8 with a byte-order mark so that
  spreadsheet programs show Arabic correctly.
- A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as a
  formula in a spreadsheet (formula injection): the writer puts a single quote before it, as
  OWASP recommends, and the reader takes exactly that quote away. A value that itself starts with
  quotes followed by one of those characters gets one more quote, so every value comes back
  as it was written.

Cells are turned into JSON-shaped values and validated by the same parser as JSON Lines, so a
CSV error reads exactly like the JSON one ("skills[2].level must be an integer from 1 to 5").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from diaspora.interchange.encoding import format_timestamp
from diaspora.interchange.records import ExpertRecord, ProjectRecord

EXPERT_COLUMNS: tuple[str, ...] = (
    "ref",
    "full_name",
    "email",
    "residence.country",
    "residence.city",
    "residence.timezone",
    "languages",
    "skills",
    "sectors",
    "modes",
    "hours_per_month",
    "bio",
    "consent_matching",
    "headline",
    "linkedin",
    "years_experience",
    "available_from",
    "confirmed_at",
)

PROJECT_COLUMNS: tuple[str, ...] = (
    "ref",
    "institution",
    "title",
    "description",
    "sector",
    "skills",
    "languages",
    "mode",
    "location",
    "hours_per_month",
    "seats",
    "starts_on",
    "duration_months",
)

COLUMNS: dict[str, tuple[str, ...]] = {"experts": EXPERT_COLUMNS, "projects": PROJECT_COLUMNS}

_COLUMN_ALIASES = {
    "country": "residence.country",
    "city": "residence.city",
    "timezone": "residence.timezone",
}
_INTEGER_COLUMNS = frozenset({"hours_per_month", "seats", "duration_months", "years_experience"})
_LIST_COLUMNS = frozenset({"sectors", "modes"})
_TRUE = frozenset({"true", "yes", "1", "oui", "vrai"})
_FALSE = frozenset({"false", "no", "0", "non", "faux"})
# Longer runs of digits stay text (int() refuses thousands of them): the parser then reports
# the value as out of range like any other.
_INTEGER = re.compile(r"[+-]?\d{1,20}")
_UNESCAPE = re.compile(r"\\(.)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(cell: str) -> bool:
    return cell.lstrip("'").startswith(_FORMULA_START)


def neutralise(cell: str) -> str:
    """The cell as written to a file: a quote before anything a spreadsheet would evaluate."""
    return "'" + cell if _looks_like_formula(cell) else cell


def restore(cell: str) -> str:
    """Inverse of :func:`neutralise`: the value a written cell stands for."""
    return cell[1:] if cell.startswith("'") and _looks_like_formula(cell) else cell


def normalise_header(header: Iterable[str]) -> list[str]:
    """Column names as the reader uses them: lower case, spaces as ``_``, aliases resolved."""
    names = []
    for name in header:
        key = "_".join(name.split()).lower()
        names.append(_COLUMN_ALIASES.get(key, key))
    return names


def split_list(cell: str) -> list[str]:
    """``a;b\\;c`` → ``["a", "b;c"]``: split on unescaped ``;``, strip, skip empty items."""
    if "\\" not in cell:
        parts = cell.split(";")
    else:
        parts, current, chars = [], [], iter(cell)
        for ch in chars:
            if ch == "\\":
                current.append(ch + next(chars, ""))
            elif ch == ";":
                parts.append("".join(current))
                current = []
            else:
                current.append(ch)
        parts.append("".join(current))
        parts = [_UNESCAPE.sub(r"\1", part) for part in parts]
    return [part.strip() for part in parts if part.strip()]


def join_list(items: Iterable[str]) -> str:
    """Inverse of :func:`split_list`."""
    return ";".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def _integer(text: str) -> int | str:
    # Left as text when it is not a number, so that the parser reports it in its own words.
    return int(text) if _INTEGER.fullmatch(text) else text


def _boolean(text: str) -> bool | str:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return text


def _skill(item: str, with_required: bool) -> dict[str, Any]:
    if with_required:
        parts = item.rsplit(":", 2)
        if len(parts) == 3 and isinstance(_boolean(parts[2].strip()), bool):
            name, level, required = parts
            return {
                "name": name,
                "level": _integer(level.strip()),
                "required": _boolean(required.strip()),
            }
    name, sep, level = item.rpartition(":")
    if not sep:
        return {"name": item}
    return {"name": name, "level": _integer(level.strip())}


def _expert_language(item: str) -> dict[str, Any]:
    code, sep, level = item.partition(":")
    return {"code": code.strip(), "level": level.strip()} if sep else {"code": code.strip()}


def row_to_object(row: dict[str, str], kind: str) -> dict[str, Any]:
    """A CSV row (column → cell) as the JSON-shaped object the parser of ``kind`` validates."""
    obj: dict[str, Any] = {}
    residence: dict[str, Any] = {}
    for column, raw in row.items():
        cell = restore(raw).strip()
        if column == "skills":
            obj["skills"] = [_skill(item, kind == "projects") for item in split_list(cell)]
        elif column == "languages":
            items = split_list(cell)
            obj["languages"] = [_expert_language(i) for i in items] if kind == "experts" else items
        elif column in _LIST_COLUMNS:
            obj[column] = split_list(cell)
        elif not cell:
            continue
        elif column.startswith("residence."):
            residence[column.removeprefix("residence.")] = cell
        elif column in _INTEGER_COLUMNS:
            obj[column] = _integer(cell)
        elif column == "consent_matching":
            obj[column] = _boolean(cell)
        else:
            obj[column] = cell
    if residence:
        obj["residence"] = residence
    return obj


def expert_to_row(record: ExpertRecord) -> list[str]:
    """The cells of an expert, in the order of ``EXPERT_COLUMNS``, neutralised."""
    optional = (
        record.headline or "",
        record.linkedin or "",
        "" if record.years_experience is None else str(record.years_experience),
        record.available_from.isoformat() if record.available_from else "",
        format_timestamp(record.confirmed_at) if record.confirmed_at else "",
    )
    cells = [
        record.ref,
        record.full_name,
        record.email,
        record.residence.country,
        record.residence.city,
        record.residence.timezone or "",
        join_list(f"{lang.code}:{lang.level}" for lang in record.languages),
        join_list(f"{skill.name}:{skill.level}" for skill in record.skills),
        join_list(record.sectors),
        join_list(record.modes),
        str(record.hours_per_month),
        record.bio,
        "true" if record.consent_matching else "false",
        *optional,
    ]
    return [neutralise(cell) for cell in cells]


def project_to_row(record: ProjectRecord) -> list[str]:
    """The cells of a project, in the order of ``PROJECT_COLUMNS``, neutralised."""
    skills = (
        f"{skill.name}:{skill.level}:{'true' if skill.required else 'false'}"
        for skill in record.skills
    )
    cells = [
        record.ref,
        record.institution,
        record.title,
        record.description,
        record.sector,
        join_list(skills),
        join_list(record.languages),
        record.mode,
        record.location,
        str(record.hours_per_month),
        str(record.seats),
        record.starts_on.isoformat() if record.starts_on else "",
        "" if record.duration_months is None else str(record.duration_months),
    ]
    return [neutralise(cell) for cell in cells]
