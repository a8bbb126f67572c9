"""The open statistics and the service pages in a browser, in French, Arabic and Tamazight:
no serious accessibility problem, charts named and backed by a table, Tifinagh drawn with the
font the site serves."""

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Role
from tests.browser.test_journeys_contests import _admin

PAGES = [
    "/",
    "/how-matching-works",
    "/statistics",
    "/privacy",
    "/terms",
    "/accessibility",
    "/auth/signup",
    "/auth/signup/expert",
    "/auth/login",
    "/contact",
]
# Tamazight covers the public pages; the contact page is read in French.
LANG_OF = {("zgh", "/contact"): "fr"}


@pytest.fixture
def experts(make_user):
    for i, country in enumerate(["FR"] * 6 + ["BE"] * 5 + ["QA"]):
        user = make_user(role=Role.EXPERT)
        db.session.add(ExpertProfile(user=user, ref=f"E-{i}", country=country, city="Paris"))
    db.session.commit()


@pytest.mark.parametrize("lang", ["fr", "ar", "zgh"])
@pytest.mark.parametrize("path", PAGES)
def test_service_pages_are_accessible_in_each_language(open_page, experts, lang, path):
    page = open_page(locale=lang, phone=True)
    page.goto(path)
    page.check(LANG_OF.get((lang, path), lang))


def test_charts_have_an_accessible_name_and_a_table_in_arabic(open_page, experts):
    page = open_page(locale="ar")
    page.goto("/statistics")
    chart = page.page.get_by_role("img", name="الخبراء حسب بلد الإقامة")
    assert chart.count() == 1
    section = page.page.locator("section#countries")
    assert section.get_by_role("table").count() == 1
    assert "فرنسا" in section.get_by_role("table").inner_text()


def test_tifinagh_is_drawn_with_the_served_font(open_page):
    page = open_page(locale="zgh")
    page.goto("/")
    page.page.evaluate("document.fonts.ready")
    assert page.page.evaluate(
        "document.fonts.check('16px \"Noto Sans Tifinagh\"', 'ⴰⵏⵙⵓⴼ')"
        " && [...document.fonts].some(f => f.family.includes('Tifinagh') && f.status === 'loaded')"
    )


@pytest.mark.parametrize("path", ["/admin/insights", "/admin/exposure"])
def test_admin_charts_have_an_accessible_name_and_a_table(open_page, experts, make_user, path):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, locale="ar")
    a = _admin(open_page, admin, "ar")
    a.goto(path)
    a.check("ar")
    charts = a.page.locator("main svg[role=img]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        title = charts.nth(i).locator("title").first.text_content().strip()
        assert title
        # The browser computes the name from the <title> (and <desc>) the chart points to.
        assert a.page.get_by_role("img", name=title).count() >= 1, title
    assert a.page.locator("main table").count() >= 1
