"""An expert fills their profile from their CV, in a real browser: upload it, review the skills
found, tick some and confirm, with the keyboard; the review page is accessible in French and in
Arabic (right to left), with and without the page's scripts."""

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, User
from tests.conftest import PASSWORD
from tests.cv.files import CVS

JOURNEYS = [
    # language, CV, on a phone or a desktop, with the page's scripts or without
    ("fr", "fr01_sig_agronomie_paris.pdf", False, True),
    ("ar", "ar01_ml_engineer_riyadh.pdf", True, True),
    ("fr", "en02_nlp_engineer_dubai.docx", False, False),
]


@pytest.mark.parametrize(
    ("lang", "cv", "phone", "javascript"), JOURNEYS, ids=["fr", "ar on a phone", "no script"]
)
def test_expert_uploads_a_cv_reviews_the_skills_and_confirms(
    open_page, make_user, lang, cv, phone, javascript
):
    make_user("salma@example.org", name="Salma Bennani", locale=lang)
    p = open_page(locale=lang, phone=phone, javascript=javascript)
    page = p.page

    def check():
        # axe runs in the page's JavaScript: without it, the language and direction only.
        if javascript:
            p.check(lang)
        else:
            assert page.locator("html").get_attribute("lang") == lang

    p.goto("/auth/login")
    page.locator("#email").fill("salma@example.org")
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")

    p.goto("/expert/profile")
    page.locator("a[href$='/expert/profile/cv']").click()
    page.wait_for_url("**/expert/profile/cv")
    check()
    page.locator("#upload").set_input_files(str(CVS / cv))
    page.locator("#upload").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "attach"
    page.keyboard.press("Tab")  # past "attach", left unticked, to the button
    page.keyboard.press("Enter")

    page.locator("form[action$='/cv/confirm']").wait_for()
    check()  # the proposals page: no serious or critical accessibility problem
    boxes = page.locator("input[type=checkbox][name$='-chosen']")
    assert boxes.count() >= 5
    assert page.locator("q[dir=auto]").count() == boxes.count()  # each with its line of the CV
    for n in (0, 1):
        boxes.nth(n).focus()
        page.keyboard.press("Space")
    chosen = [boxes.nth(n).get_attribute("id").replace("-chosen", "-level") for n in (0, 1)]
    kept = int(page.locator(f"#{chosen[0]}").input_value())  # the level proposed, left as is
    page.locator(f"#{chosen[1]}").select_option("5")
    page.locator("form[action$='/cv/confirm'] button[type=submit]").focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/expert/profile")
    check()
    assert page.locator(".alert-success").count() == 1
    assert page.locator("section[aria-labelledby=skills-title] li").count() == 2
    db.session.rollback()  # see what the server's threads committed
    profile = ExpertProfile.query.join(User).filter(User.email == "salma@example.org").one()
    assert sorted(s.level for s in profile.skills) == sorted([kept, 5])
    assert all(s.concept_id for s in profile.skills)
