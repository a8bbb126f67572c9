"""The notification centre in a real browser, in French and in Arabic (right to left): the bell
shows the unread count on every page and is reached with the keyboard alone; the list's links
work without JavaScript and mark what they open as read; the preferences on the account page
are saved. The email about a new consent text leads, through the log-in page, to where it is
accepted. No serious accessibility problem on any of these pages."""

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Notification, NotificationPreference, OutboxMessage
from diaspora.services import consent, consent_notices
from tests.browser.test_journeys_onboarding import _log_in
from tests.conftest import PASSWORD, link_in


@pytest.fixture
def noticed(institution_with_project):
    """make(lang) -> a member with two unread notifications about their published project."""

    def make(lang):
        _admin, member, project = institution_with_project(("computer vision",), seats=1)
        member.locale = lang
        params = {"project": project.title, "expert": "Salma Bennani"}
        for kind in ("project_invited", "invitation_accepted"):
            link = f"/projects/{project.id}"
            db.session.add(Notification(user_id=member.id, kind=kind, params=params, link=link))
        db.session.commit()
        return member, project

    return make


def _bell(p):
    return p.page.locator("header a[href='/notifications']")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_bell_the_list_and_the_preferences_work_by_keyboard_and_without_javascript(
    open_page, noticed, lang
):
    member, project = noticed(lang)
    email, member_id = member.email, member.id

    # The bell counts the unread, and Tab alone reaches it: Enter opens the list.
    p = open_page(locale=lang)
    _log_in(p, email)
    p.check(lang)
    assert _bell(p).locator(".badge").inner_text() == "2"
    for _ in range(40):
        p.page.keyboard.press("Tab")
        if p.page.evaluate("document.activeElement.getAttribute('href')") == "/notifications":
            break
    else:
        raise AssertionError("Tab never reached the bell")
    with p.page.expect_navigation():
        p.page.keyboard.press("Enter")
    assert p.page.url.endswith("/notifications")
    p.check(lang)
    assert p.page.locator("main ul.list-group a").count() == 2

    # Without JavaScript, a notification's link opens its page and counts it as read.
    n = open_page(locale=lang, javascript=False)
    _log_in(n, email)
    n.goto("/notifications")
    with n.page.expect_navigation():
        n.page.locator("main ul.list-group a").first.click()
    assert n.page.url.endswith(f"/projects/{project.id}")
    assert _bell(n).locator(".badge").inner_text() == "1"

    # The account page's preferences: this member hears no more of invited experts.
    p.goto("/auth/account")
    p.check(lang)
    p.page.locator("#kind-project_invited-off").check()
    with p.page.expect_navigation():
        p.page.locator("form[action$='/notifications/preferences'] button").click()
    p.check(lang)
    assert p.page.locator(".alert-success").count() == 1
    assert p.page.locator("#kind-project_invited-off").is_checked()
    db.session.rollback()
    chosen = db.session.get(NotificationPreference, (member_id, "project_invited"))
    assert chosen.frequency == "off"

    # Mark all as read: the bell has nothing left to count.
    p.goto("/notifications")
    with p.page.expect_navigation():
        p.page.locator("form[action$='/notifications/read'] button").click()
    p.check(lang)
    assert _bell(p).locator(".badge").count() == 0


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_consent_emails_link_leads_through_log_in_to_the_acceptance(
    open_page, make_fitting_experts, lang
):
    (expert,) = make_fitting_experts(["Salma Bennani"], locale=lang)
    expert.consent_version = "2025-01"  # agreed to an older text: paused
    db.session.commit()
    consent_notices.send_notices()
    (notice,) = OutboxMessage.query.filter_by(kind="consent_changed").all()

    p = open_page(locale=lang)
    p.goto(link_in(notice.body_text, "/expert/consent"))
    assert "/auth/login?next=" in p.page.url
    p.page.locator("#email").fill(expert.user.email)
    p.page.locator("#password").fill(PASSWORD)
    with p.page.expect_navigation():
        p.page.locator("#password").press("Enter")
    assert p.page.url.endswith("/expert/consent")
    p.check(lang)
    with p.page.expect_navigation():
        p.page.locator("form[action$='/expert/consent/accept'] button").click()
    p.check(lang)
    assert p.page.locator(".alert-success").count() == 1
    db.session.rollback()
    assert not consent.is_paused(db.session.get(ExpertProfile, expert.id))
