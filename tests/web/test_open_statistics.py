"""The open statistics: public, anonymous (no count of fewer than 5 people can be read, in the
page or the CSV, directly or by subtraction), each chart named, described and backed by a
table."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, Project, Role
from diaspora.models.base import utcnow
from diaspora.services import insights, open_statistics
from diaspora.services.small_counts import Cell, parts, table


@pytest.fixture
def experts_in(make_user):
    """experts_in("FR", 7, city="Paris"): that many experts living there."""
    made = []

    def make(country, n, city=""):
        for _ in range(n):
            user = make_user(role=Role.EXPERT)
            db.session.add(
                ExpertProfile(
                    user=user,
                    ref=f"E-{len(made) + 1}",
                    country=country,
                    city=city,
                    sectors=[],
                    modes=[],
                    consent_matching=True,
                )
            )
            made.append(user)
        db.session.commit()

    return make


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def rows_of(table_html: str) -> dict[str, str]:
    """The first two columns of a table's rows: its label and its first figure."""
    found = re.findall(r'<tr><th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td>', table_html)
    return {text(head): text(cell) for head, cell in found}


def section(page: str, key: str) -> str:
    return page.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]


def test_a_single_expert_in_a_country_is_never_counted_in_the_open(client, experts_in):
    experts_in("FR", 7, city="Paris")
    experts_in("BE", 6)
    experts_in("QA", 1, city="Doha")
    page = client.get("/statistics").get_data(as_text=True)
    countries = rows_of(section(page, "countries"))
    assert countries["Qatar"] == "< 5"
    # Belgium is hidden too, else 14 - 7 - 6 would give Qatar's 1 back; and France, else the
    # 7 left for Qatar and Belgium ("5 or more") would say Qatar has 1 or 2.
    assert countries["Belgium"] == countries["France"] == "5 or more"
    assert countries["Total"] == "14"
    assert "Doha" not in page  # a city of fewer than 5 experts is not listed
    assert "Paris" in section(page, "cities")

    body = client.get("/statistics/countries.csv").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert lines[0] == ["Country", "Experts"]
    assert ["Qatar", "< 5"] in lines and ["Belgium", "5 or more"] in lines
    assert ["France", "5 or more"] in lines and ["Total", "14"] in lines
    assert not any(cell in ("1", "6", "7") for line in lines for cell in line)


def test_counts_of_five_and_more_are_shown_as_they_are(client, experts_in):
    experts_in("FR", 5)
    experts_in("DE", 9)
    countries = rows_of(section(client.get("/statistics").get_data(as_text=True), "countries"))
    assert countries == {"Germany": "9", "France": "5", "Total": "14"}


def test_small_counts_hide_the_smallest_other_cell_that_keeps_them_undetermined():
    cells = dict(parts([("a", 12), ("b", 5), ("c", 2), ("d", 0)]))
    assert cells["c"] == Cell(None)
    # Hiding b would leave 7 for c and b: c would be 2 at most. Hiding a leaves 14: 1 to 4.
    assert cells["a"] == Cell(None, at_least_min=True)
    assert cells["b"] == Cell(5) and cells["d"] == Cell(0)
    assert dict(parts([("a", 12), ("b", 5)])) == {"a": Cell(12), "b": Cell(5)}


def test_every_chart_has_an_accessible_name_a_description_and_a_table(client, experts_in):
    experts_in("FR", 6)
    page = client.get("/statistics").get_data(as_text=True)
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert svgs
    for svg in svgs:
        chart_id = re.search(r'id="(chart-[^"]+)"', svg).group(1)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', svg)
        assert "style" not in svg and "<script" not in svg  # the strict CSP holds
        key = chart_id.removeprefix("chart-")
        assert "<table" in section(page, key)
        assert f"/statistics/{key}.csv" in section(page, key)


def test_charts_read_right_to_left_in_arabic(client, experts_in):
    experts_in("FR", 6)
    client.post("/language", data={"lang": "ar"})
    page = client.get("/statistics").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'direction="rtl"' in section(page, "countries")
    assert "فرنسا" in section(page, "countries")  # the country's name in Arabic


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, make_user):
    user = make_user(role=Role.EXPERT)
    for i in range(5):
        other = make_user(role=Role.EXPERT)
        db.session.add(ExpertProfile(user=other, ref=f"X-{i}", country="FR", city="=HYPERLINK(1)"))
    db.session.add(ExpertProfile(user=user, ref="X-9", country="FR", city=""))
    db.session.commit()
    body = client.get("/statistics/cities.csv").get_data(as_text=True)
    assert "'=Hyperlink(1)" in body
    assert "\n=" not in body and ",=" not in body


def test_an_unknown_table_is_not_found(client):
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_the_page_is_the_same_for_everyone_and_needs_no_login(client, experts_in):
    experts_in("FR", 6)
    response = client.get("/statistics")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.config(FIGURES_MAX_AGE_SECONDS=0)
def test_a_breakdown_of_fewer_than_five_says_why_it_is_not_shown(client, monkeypatch):
    few = [("accepted", 2), ("active", 1), ("completed", 0), ("cancelled", 0)]
    monkeypatch.setattr(open_statistics, "_collaborations_by_status", lambda: few)
    page = section(client.get("/statistics").get_data(as_text=True), "collaborations")
    assert "Fewer than 5 in all: not broken down" in page and "No figure yet" not in page
    assert rows_of(page) == {}
    body = client.get("/statistics/collaborations.csv").get_data(as_text=True)
    assert len(body.strip().splitlines()) == 1  # the header only


def test_the_funnel_and_the_wait_for_a_first_invitation_count_invited_experts(
    client, make_user, make_institution
):
    about = {"ref": "P-1", "title": "Retinal screening", "sector": "health", "mode": "remote"}
    project = Project(institution=make_institution(), status="published", **about)
    db.session.add(project)
    joined = utcnow() - timedelta(days=40)
    for i in range(6):
        profile = ExpertProfile(
            user=make_user(role=Role.EXPERT), ref=f"E-{i}", country="FR", created_at=joined
        )
        invited = joined + timedelta(days=3 if i < 5 else 20)
        db.session.add(Match(project=project, expert=profile, status="invited", invited_at=invited))
    db.session.add(Match(project=project, expert=None, status="suggested"))
    db.session.commit()
    page = client.get("/statistics").get_data(as_text=True)
    funnel = rows_of(section(page, "funnel"))
    assert list(funnel.values()) == ["7", "6", "0", "0"]
    waits = rows_of(section(page, "first-invitation"))
    assert waits["Within a week"] == "5 or more"  # else 6 - 5 would give the 1 back
    assert waits["8 to 30 days"] == "< 5"
    assert "Half of the invited experts waited 3 days or less." in page


# Shown figures -> the values a hidden small count could take, by brute force over every
# assignment of the hidden cells that agrees with what is shown.
def possible_small_values(cells: list[str], total: str) -> list[set[int]]:
    fixed = sum(int(c) for c in cells if c.isdigit())
    hidden = [c for c in cells if not c.isdigit()]
    if total.isdigit():
        totals = [int(total)]
    elif total == "5 or more":
        totals = range(5, fixed + 5 * len(cells) + 10)
    else:
        totals = range(1, 5)
    possible = []
    for i, cell in enumerate(hidden):
        if cell != "< 5":
            continue
        values = set()
        for whole in totals:
            rest = whole - fixed
            sums = {0}
            for j, other in enumerate(hidden):
                if j != i:
                    low, high = (1, 4) if other == "< 5" else (5, max(rest, 5))
                    sums = {a + b for a in sums for b in range(low, high + 1) if a + b <= rest}
            values |= {v for v in range(1, 5) if rest - v in sums}
        possible.append(values)
    return possible


COUNTRIES = {"FR": "France", "BE": "Belgium", "DE": "Germany", "ES": "Spain", "IT": "Italy"}


@pytest.mark.config(FIGURES_MAX_AGE_SECONDS=0)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(1, 14), min_size=1, max_size=len(COUNTRIES)))
def test_no_hidden_count_can_be_worked_out_from_the_totals(client, monkeypatch, counts):
    rows = list(zip(COUNTRIES, counts, strict=False))
    monkeypatch.setattr(insights, "experts_by_country", lambda: rows)
    page = rows_of(section(client.get("/statistics").get_data(as_text=True), "countries"))
    body = client.get("/statistics/countries.csv").get_data(as_text=True)
    lines = dict(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    for shown in (page, lines):
        if sum(counts) < 5:  # under five people in all: no country is listed
            assert shown["Total"] == "< 5" and not set(COUNTRIES.values()) & set(shown)
            continue
        cells = [shown[COUNTRIES[code]] for code, _n in rows]
        assert all(c == "< 5" for c, n in zip(cells, counts, strict=False) if n < 5)
        for values in possible_small_values(cells, shown["Total"]):
            assert values == {1, 2, 3, 4}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=1, max_size=8))
def test_tables_with_empty_cells_keep_every_small_count_undetermined(counts):
    def words(cell: Cell) -> str:
        if not cell.hidden:
            return str(cell.value)
        return "5 or more" if cell.at_least_min else "< 5"

    cells, total = table((str(i), n) for i, n in enumerate(counts))
    if 0 < sum(counts) < 5:
        assert cells == [] and words(total) == "< 5"
    else:
        for values in possible_small_values([words(c) for _, c in cells], words(total)):
            assert values == {1, 2, 3, 4}
