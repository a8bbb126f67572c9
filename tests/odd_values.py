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
