"""Numbers in the query string (pagers, the review queue's filters, the autocomplete's limit)
are read one way, as int() reads them: digits of any script mean their number (Arabic-Indic,
fullwidth), out-of-range pages are clamped, and what int() refuses ("²", fractions, thousands
of digits, nan) is the default. None of it is a 500; "?page=²" on the review queue was one."""

import re

import pytest

from diaspora.extensions import db
from diaspora.services import audit

ODD_NUMBERS = [
    "²",
    "¹²",
    "-1",
    "0",
    "9" * 40,
    "9" * 5000,
    "1.5",
    "1,5",
    "1e309",
    "nan",
    "-inf",
    "",
    " ",
    "0x10",
    "١٫٥",
]
DIGITS = {
    "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "fullwidth": str.maketrans("0123456789", "０１２３４５６７８９"),
}


@pytest.fixture
def admin_client(client, auth, world):
    auth.login(world.admin.email)
    return client


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_the_review_queue_and_every_filter_take_any_number(admin_client, world, make_match, value):
    make_match(world.project, world.expert)
    query = {
        "page": value,
        "min_score": value,
        "min_age": value,
        "institution": value,
        "sector": "health",
    }
    response = admin_client.get("/matches/review", query_string=query)
    assert response.status_code == 200


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/audit", {}),
        ("/admin/mail", {}),
        ("/api/skills", {"q": "python"}),
    ],
)
def test_admin_pagers_and_the_autocomplete_limit_take_any_number(admin_client, path, query, value):
    name = "limit" if path.startswith("/api/") else "page"
    assert admin_client.get(path, query_string={**query, name: value}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "２０２６-０１-０１", "2026-02-30"])
def test_the_audit_log_takes_dates_at_the_ends_of_the_calendar(admin_client, day):
    for name in ("since", "until"):
        assert admin_client.get("/admin/audit", query_string={name: day}).status_code == 200


def test_the_whole_calendar_keeps_every_entry(admin_client, world):
    audit.record(world.admin, "test.kept", world.admin)
    db.session.commit()
    page = admin_client.get("/admin/audit?since=0001-01-01&until=9999-12-31")
    assert page.status_code == 200 and "test.kept" in page.get_data(as_text=True)


@pytest.mark.parametrize("script", DIGITS)
def test_digits_of_other_scripts_mean_their_number(admin_client, world, make_match, script):
    for n in range(60):  # more than a page of the audit log
        audit.record(world.admin, f"test.entry_{n:02d}", world.admin)
    db.session.commit()

    def entries(page):
        shown = admin_client.get("/admin/audit", query_string={"page": page})
        return re.findall(r"test\.entry_\d+", shown.get_data(as_text=True))

    assert entries("2".translate(DIGITS[script])) == entries("2") != entries("1")

    make_match(world.project, world.expert, score=0.9)
    make_match(world.project, world.other_expert, score=0.5)
    eighty = "80".translate(DIGITS[script])
    shown = admin_client.get(f"/matches/review?min_score={eighty}").get_data(as_text=True)
    assert "Salma Bennani" in shown and "Karim Alaoui" not in shown
