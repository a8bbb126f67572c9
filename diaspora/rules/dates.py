"""The one way to read a day typed as YYYY-MM-DD (forms and query strings).

Its digits may be of any script, as in whole numbers (int() reads "١٢" and "１２" as 12): someone
typing hours and a date on an Arabic keyboard gets both read, not one of them refused.
"""

import unicodedata
from datetime import date, datetime


def ascii_digits(value: str) -> str:
    """Decimal digits of any script (Arabic-Indic, Devanagari, fullwidth…) as ASCII ones; every
    other character, superscripts included, as it is."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def typed_day(value: str) -> date:
    """The day written YYYY-MM-DD in ``value``, spaces around allowed; ValueError for anything
    else, a day the calendar lacks (2026-02-30) and years past 9999 included."""
    return datetime.strptime(ascii_digits(value.strip()), "%Y-%m-%d").date()
