"""The open statistics: public, anonymous (no count of fewer than 5 people can be read, in the
page or the CSV, directly or by subtraction), each chart named, described and backed by a
table."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, Project, Role
from diaspora.models.base import utcnow
from diaspora.services.small_counts import Cell, parts


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
    # Belgium is hidden too, else 14 - 7 - 6 would give Qatar's 1 back.
    assert countries["Belgium"] == "5 or more"
    assert countries["France"] == "7"
    assert countries["Total"] == "14"
    assert "Doha" not in page  # a city of fewer than 5 experts is not listed
    assert "Paris" in section(page, "cities")

    body = client.get("/statistics/countries.csv").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert lines[0] == ["Country", "Experts"]
    assert ["Qatar", "< 5"] in lines and ["Belgium", "5 or more"] in lines
    assert ["France", "7"] in lines and ["Total", "14"] in lines
    assert not any(cell == "1" or cell == "6" for line in lines for cell in line)


def test_counts_of_five_and_more_are_shown_as_they_are(client, experts_in):
    experts_in("FR", 5)
    experts_in("DE", 9)
    countries = rows_of(section(client.get("/statistics").get_data(as_text=True), "countries"))
    assert countries == {"Germany": "9", "France": "5", "Total": "14"}


def test_small_counts_hide_one_more_cell_whenever_one_is_hidden():
    cells = dict(parts([("a", 12), ("b", 5), ("c", 2), ("d", 0)]))
    assert cells["c"] == Cell(None)
    assert cells["b"] == Cell(None, at_least_min=True)
    assert cells["a"] == Cell(12) and cells["d"] == Cell(0)
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
