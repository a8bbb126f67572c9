"""An expert on a phone, in Arabic, says when they will be in Morocco: the cities are offered and
shown in Arabic script, on the stays page and on their profile."""

from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import OnSiteWindow
from tests.browser.test_journeys_opportunities import _log_in

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def test_an_expert_adds_and_changes_a_stay_in_arabic(open_page, make_fitting_experts):
    [expert] = make_fitting_experts(["يوسف العلوي"], locale="ar")
    p = open_page(locale="ar", phone=True)
    _log_in(p, expert.user.email, "ar")
    page = p.page
    p.goto("/expert/profile/stays")
    p.check("ar")
    new = page.locator("form[action$='/profile/stays']")
    city = new.get_by_label("المدينة")
    options = city.locator("option").all_inner_texts()
    assert "الدار البيضاء" in options and "مراكش" in options and "Casablanca" not in options

    start = date.today() + timedelta(days=40)
    new.get_by_label("اليوم الأول").fill(start.isoformat())
    new.get_by_label("اليوم الأخير").fill((start + timedelta(days=20)).isoformat())
    city.select_option(label="الدار البيضاء")
    new.locator("button[type=submit]").click()
    page.wait_for_url("**/expert/profile/stays")
    p.check("ar")
    stay = page.locator("section[aria-labelledby^='stay-']").first
    assert stay.locator("h2").inner_text().startswith("الدار البيضاء")

    stay.get_by_label("المدينة").select_option(label="مراكش")
    stay.locator("button.btn-brand").click()
    page.wait_for_url("**/expert/profile/stays")
    p.check("ar")
    assert (
        page.locator("section[aria-labelledby^='stay-'] h2").first.inner_text().startswith("مراكش")
    )
    db.session.rollback()  # see what the server's threads committed
    assert OnSiteWindow.query.one().city == "Marrakech"  # stored by its French name

    p.goto("/expert/profile")
    p.check("ar")
    assert "مراكش" in page.locator("main").inner_text()
