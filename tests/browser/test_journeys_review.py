"""After the engine: an administrator reviews the suggestions with the keyboard only, then an
invited expert accepts from the email and both sides see each other's contact details."""

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchStatus, OutboxMessage
from diaspora.services import reviews, suggestions
from tests.conftest import PASSWORD, link_in

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NAMES = ["Salma Bennani", "Karim Alaoui", "Leila Idrissi", "Youssef Tazi"]


@pytest.fixture
def suggested(institution_with_project, make_fitting_experts):
    """A published project of a verified institution, its member and an admin, and four
    experts suggested by the engine (best first, as in NAMES)."""
    admin, member, project = institution_with_project(
        ("vision par ordinateur", "apprentissage automatique"), seats=4
    )
    experts = make_fitting_experts(NAMES)
    assert suggestions.refresh_project(project.id) == len(NAMES)
    return admin, member, project, experts


def _log_in_with_the_keyboard(p, email: str, lands_on: str) -> None:
    page = p.page
    p.goto("/auth/login")
    page.locator("#email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lands_on)


def _tab_to(page, locator, limit: int = 200) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    target = locator.element_handle()
    for _n in range(limit):
        if page.evaluate("e => document.activeElement === e", target):
            return
        page.keyboard.press("Tab")
    raise AssertionError("not reachable with Tab")


def _match(expert) -> Match:
    db.session.rollback()
    return Match.query.filter_by(expert_id=expert.id).one()


def test_admin_reviews_the_queue_with_the_keyboard(open_page, suggested):
    admin, _member, project, experts = suggested
    first, second, third, fourth = experts
    p = open_page(locale="fr")
    page = p.page
    _log_in_with_the_keyboard(p, admin.email, "**/admin/")

    p.goto("/matches/review")
    p.check("fr")
    group = page.locator(f"#project-{project.id}")
    assert group.locator("tbody tr").count() == 4
    assert group.locator("tbody tr").first.locator("label").inner_text() == NAMES[0]

    # Read why the first expert was suggested, then approve and invite.
    _tab_to(page, group.locator(f"a[href$='/matches/{_match(first).id}']"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    p.check("fr")
    why = page.locator("section[aria-labelledby=why-title]").inner_text()
    assert "vision" in why.lower() and "apprentissage" in why.lower(), why
    _tab_to(page, page.locator("form[action$=approve] button"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    p.check("fr")
    assert page.locator(".alert-success").count() == 1
    assert _match(first).status == MatchStatus.INVITED
    invitation = OutboxMessage.query.filter_by(kind="invitation", to_address=first.user.email).one()
    assert project.title in invitation.body_text

    # Reject the second: a reason is needed, and kept.
    p.goto(f"/matches/{_match(second).id}")
    reject = page.locator("form[action$=reject] button")
    _tab_to(page, reject)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The refused form comes back with status 400, which Chromium logs; nothing else may.
    assert [e for e in p.errors if "status of 400" not in e] == []
    p.errors.clear()
    p.check("fr")
    assert page.locator("#reason-error").is_visible()
    assert _match(second).status == MatchStatus.SUGGESTED
    page.locator("#reason").focus()
    page.keyboard.type("Déjà engagée sur un projet voisin.")
    _tab_to(page, reject)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/matches/review")
    p.check("fr")
    rejected = _match(second)
    assert rejected.status == MatchStatus.REJECTED
    assert rejected.reject_reason == "Déjà engagée sur un projet voisin."
    assert not OutboxMessage.query.filter_by(to_address=second.user.email).count()

    # The other two, approved together: tick them with the space bar, then one button.
    rows = group.locator("tbody tr")
    assert rows.count() == 2
    for n in range(2):
        _tab_to(page, rows.nth(n).locator("input[type=checkbox]"))
        page.keyboard.press("Space")
    _tab_to(page, group.locator(".card-body button"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    p.check("fr")
    assert page.locator(".alert-success").count() == 1
    assert {_match(e).status for e in (third, fourth)} == {MatchStatus.INVITED}
    assert OutboxMessage.query.filter_by(kind="invitation").count() == 3
    assert group.count() == 0  # the project left the queue: nothing of it waits any more


def test_invited_expert_accepts_from_the_email_and_both_sides_see_contacts(open_page, suggested):
    admin, member, project, experts = suggested
    expert = experts[0]
    expert.user.locale = "ar"  # the email and the page in the expert's language
    db.session.commit()
    reviews.approve(admin, _match(expert).id)
    invitation = OutboxMessage.query.filter_by(kind="invitation").one()

    p = open_page(locale="ar", phone=True)
    page = p.page
    p.goto(link_in(invitation.body_text, "/accept"))
    p.check("ar")
    assert project.title in page.locator("h1").inner_text()
    page.locator("form button.btn-brand").click()
    p.check("ar")
    assert _match(expert).status == MatchStatus.ACCEPTED
    contacts = page.locator("section[aria-labelledby=contacts-title]")
    assert member.email in contacts.inner_text()

    # The member is told, and sees the expert's contact details from the pipeline.
    assert (
        OutboxMessage.query.filter_by(kind="invitation_accepted", to_address=member.email).count()
        == 1
    )
    p = open_page(locale="fr")
    page = p.page
    _log_in_with_the_keyboard(p, member.email, "**/dashboard")
    p.goto(f"/matches/projects/{project.id}/pipeline")
    p.check("fr")
    accepted = page.locator("section[aria-labelledby=step-accepted]")
    with page.expect_navigation():
        accepted.get_by_role("link", name=NAMES[0]).click()
    p.check("fr")
    contacts = page.locator("section[aria-labelledby=contacts-title]").inner_text()
    assert expert.user.email in contacts and expert.linkedin in contacts
