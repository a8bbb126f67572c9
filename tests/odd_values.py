"""Odd query strings, one list for both crawlers: the test that no route answers 500
(tests/test_no_server_errors.py) and the security crawler against a real server
(bench/security/crawler.py)."""

# Query-string names the pages read (filters, pagers, searches, redirects), tried on every page
# besides the names its own links and search forms use.
QUERY_NAMES = [
    "page",
    "limit",
    "per_page",
    "q",
    "lang",
    "sector",
    "mode",
    "city",
    "remote",
    "unfit",
    "status",
    "action",
    "sort",
    "country",
    "skill",
    "project",
    "expert",
    "institution",
    "next",
    "email",
    "min_score",
    "min_age",
    "since",
    "until",
    "actor",
    "subject",
]

# Numbers (and dates) as people and robots write them: digits int() reads although they are not
# ASCII (Arabic-Indic, fullwidth) or refuses although str.isdigit() accepts them (superscripts),
# too large for any column or for int() itself, negative, fractions, not finite, empty, padded,
# dates at the ends of the calendar; and quotes and percent signs, which break naive SQL and
# formatting. Each is sent on its own, without a NUL byte beside it: the NUL is refused with a
# 400 before any page reads a number, and would hide the failure.
ODD_VALUES = {
    "superscript two": "²",
    "Arabic-Indic digits": "١٢",
    "fullwidth digits": "１２",
    "negative": "-1",
    "past 64 bits": "9" * 40,
    "past what int() reads": "9" * 5000,
    "fraction": "1.5",
    "float overflow": "1e309",
    "not a number": "nan",
    "empty": "",
    "spaces around": "  1 ",
    "quotes": "'\"",
    "percent": "%",
    "unicode text": "تجربة ✓ 😀",
    "last day of the calendar": "9999-12-31",
    "first day in fullwidth digits": "０００１-01-01",
}

# Query strings a dict of names cannot write, each with `{name}` standing for every name tried:
# percent-escapes that are not UTF-8, direction marks alone, a name with no "=", PHP-style
# brackets, a name repeated with other values, a language nobody offers.
ODD_QUERY_STRINGS = {
    "invalid UTF-8": "{name}=%ff%fe&{name}=%c3",
    "direction marks only": "{name}=%E2%80%8F%E2%80%8E",
    "name without a value": "{name}",
    "array brackets": "{name}[]=1&{name}[]=2&{name}[0]=3",
    "repeated names": "{name}=1&{name}=x&{name}=",
    "unknown language": "lang=xx&{name}=xx",
}


def odd_query_string(names) -> str:
    """Every odd query string above at once, for every name in `names` (a page reading one
    value of a name reads the first: bytes that are not UTF-8)."""
    return "&".join(form.format(name=n) for form in ODD_QUERY_STRINGS.values() for n in names)


# The zero of scripts whose digits int() reads as numbers: a form or query string reads
# "١٢" as 12, and "٢٠٢٧-٠١-١٥" as a date, wherever it reads "12" and "2027-01-15".
OTHER_SCRIPT_ZEROS = {
    "Arabic-Indic": "٠",
    "Eastern Arabic-Indic (Persian, Urdu)": "۰",
    "Devanagari": "०",
    "fullwidth": "０",
}


def written_in(zero: str, ascii_text: str) -> str:
    """`ascii_text` with its digits written in the script whose zero is `zero`."""
    return "".join(
        chr(ord(zero) + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in ascii_text
    )


# Dates no calendar has, or no form should: a day the month lacks, month 13, year zero, a
# five-digit year, superscript digits (str.isdigit() says yes, int() says no).
ODD_DATES = {
    "30 February": "2026-02-30",
    "month 13": "2026-13-01",
    "year zero": "0000-01-01",
    "five-digit year": "99999-01-01",
    "superscript digits": "²⁰²⁷-⁰¹-¹⁵",
}

# Text that shows nothing: typed as a name, a title or a reason it is missing, not given.
BLANK_TEXT = {
    "spaces": "   ",
    "no-break and ideographic spaces": "\u00a0\u3000",
    "direction marks (RLM, LRM, ALM)": "\u200f\u200e\u061c",
    "marks between spaces": " \u200f \u200f ",
    "Hangul filler": "\u3164",
    "blank Braille pattern": "\u2800",
    "a diacritic without a letter": "\u0651",
    "soft hyphen": "\u00ad",
}

# JSON bodies the API must refuse as JSON (400), nothing stored: cut short, not UTF-8, a number
# of more digits than int() reads, arrays nested past the interpreter's recursion limit.
ODD_JSON_BODIES = {
    "cut short": b'{"title": ',
    "not UTF-8": b'{"title": "\xff\xfe"}',
    "5,000-digit number": b'{"seats": 1' + b"0" * 5000 + b"}",
    "nested 100,000 deep": b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}
