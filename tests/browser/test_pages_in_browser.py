"""Pages as a person on a phone sees them: no JavaScript error, keyboard-usable, accessible,
right-to-left in Arabic."""

import pytest

from tests.conftest import PASSWORD

PUBLIC_PAGES = [
    "/",
    "/about",
    "/auth/login",
    "/auth/signup",
    "/auth/signup/expert",
    "/auth/signup/institution",
    "/auth/reset",
    "/certificates/verify",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_js_errors_or_serious_accessibility_problems(page, path):
    page.goto(path)
    assert page.errors == []
    violations = page.axe_violations()
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]


def test_arabic_is_right_to_left_and_the_menu_works_from_the_keyboard(page):
    page.goto("/")
    # On a phone the menu is collapsed: open it with the keyboard, then pick Arabic.
    page.page.locator(".navbar-toggler").focus()
    page.page.keyboard.press("Enter")
    page.page.locator("#nav.show").wait_for()
    page.page.get_by_role("button", name="العربية").focus()
    with page.page.expect_navigation():
        page.page.keyboard.press("Enter")
    html = page.page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert "rtl.min.css" in page.page.content()
    assert page.errors == []


def test_log_in_with_the_keyboard_only(page, make_user):
    make_user("karim@example.org", name="Karim Alaoui")
    page.goto("/auth/login")
    page.page.locator("#email").focus()
    page.page.keyboard.type("karim@example.org")
    page.page.keyboard.press("Tab")
    page.page.keyboard.type(PASSWORD)
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**/dashboard")
    assert "Karim Alaoui" in page.page.content()
    assert page.errors == []
