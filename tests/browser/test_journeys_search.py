"""Discovery by institutions, in the browser: a member searches the experts, proposes one for a
project, an administrator approves, the expert accepts; the search page has no serious
accessibility problem in French or in Arabic (right to left)."""

import pytest

from diaspora.extensions import db
from diaspora.models import (
    Match,
    MatchSource,
    MatchStatus,
    OutboxMessage,
)
from tests.conftest import PASSWORD, link_in

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NAMES = ["Salma Bennani", "Karim Alaoui"]
NOTE = "Elle a dépisté la rétinopathie sur 40 000 images à Paris."


@pytest.fixture
def institution_and_pool(institution_with_project, make_fitting_experts):
    """An admin, a member of a verified institution with a published project, and experts a
    search for computer vision finds (best first, as in NAMES)."""
    admin, member, project = institution_with_project(("deep learning",), seats=2)
    experts = make_fitting_experts(NAMES)
    return admin, member, project, experts


def _log_in(p, email: str) -> None:
    p.goto("/auth/login")
    p.page.locator("#email").fill(email)
    p.page.locator("#password").fill(PASSWORD)
    with p.page.expect_navigation():
        p.page.locator("#password").press("Enter")


def _match(expert) -> Match:
    db.session.rollback()
    return Match.query.filter_by(expert_id=expert.id).one()


def test_a_member_proposes_an_expert_found_by_search_and_the_admin_approves(
    open_page, institution_and_pool
):
    admin, member, project, experts = institution_and_pool
    salma = experts[0]

    p = open_page(locale="fr")
    page = p.page
    _log_in(p, member.email)
    page.get_by_role("link", name="Trouver des experts").click()
    page.wait_for_url("**/search/experts")
    p.check("fr")
    page.locator("#skill-1").fill("vision par ordinateur")
    page.locator("#country").select_option("FR")
    page.locator("#hours").select_option("10")
    with page.expect_navigation():
        page.locator("#skill-1").press("Enter")
    p.check("fr")
    assert "skill=vision+par+ordinateur" in page.url and "country=FR" in page.url
    results = page.locator("ol[aria-labelledby=results-title] > li")
    assert results.count() == 2
    assert results.first.locator("h3").inner_text() == NAMES[0]
    assert "vision par ordinateur" in results.first.inner_text()

    with page.expect_navigation():
        results.first.get_by_role("link", name="Proposer pour un projet").click()
    p.check("fr")
    page.locator("#project_id").select_option(str(project.id))
    page.locator("#note").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la proposition pour examen").click()
    p.check("fr")
    assert "/search/experts?" in page.url and "country=FR" in page.url  # back to the search
    assert page.locator(".alert-success").count() == 1
    proposal = _match(salma)
    assert (proposal.source, proposal.status) == (MatchSource.INSTITUTION, MatchStatus.SUGGESTED)
    assert OutboxMessage.query.count() == 0  # nobody is written to before an admin approves

    p = open_page(locale="fr")
    page = p.page
    _log_in(p, admin.email)
    p.goto("/matches/review")
    p.check("fr")
    row = page.locator("tbody tr", has_text=NAMES[0])
    assert "Proposé par l'institution" in row.inner_text() and NOTE in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("button", name=f"Approuver {NAMES[0]}").click()
    p.check("fr")
    assert _match(salma).status == MatchStatus.INVITED
    invitation = OutboxMessage.query.filter_by(kind="invitation").one()
    assert invitation.to_address == salma.user.email

    p = open_page(locale="fr", phone=True)
    page = p.page
    p.goto(link_in(invitation.body_text, "/accept"))
    p.check("fr")
    assert project.title in page.locator("h1").inner_text()
    page.locator("form button.btn-brand").click()
    p.check("fr")
    assert _match(salma).status == MatchStatus.ACCEPTED


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_search_pages_read_well_in_french_and_arabic(open_page, institution_and_pool, lang):
    _admin, member, _project, experts = institution_and_pool
    member.locale = lang
    db.session.commit()
    p = open_page(locale=lang, phone=lang == "ar")
    _log_in(p, member.email)
    p.goto("/search/experts")
    p.check(lang)
    # Results, counts, a notice about an odd value, and the pager's absence.
    p.goto("/search/experts?skill=CV&skill=الرؤية+الحاسوبية&language=ar&level=C1&hours=²")
    p.check(lang)
    assert p.page.locator("ol[aria-labelledby=results-title] > li").count() == 2
    assert p.page.locator(".alert-warning li").count() == 1
    p.goto(f"/search/experts/{experts[1].ref}/propose?skill=CV")
    p.check(lang)


def test_the_search_works_without_javascript(open_page, institution_and_pool):
    _admin, member, _project, _experts = institution_and_pool
    p = open_page(locale="fr", javascript=False)
    page = p.page
    _log_in(p, member.email)
    p.goto("/search/experts")
    page.locator("#skill-1").fill("CV, apprentissage automatique")
    page.locator("#mode-short_mission").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher").click()
    assert "mode=short_mission" in page.url
    assert page.locator("ol[aria-labelledby=results-title] > li").count() == 2
    assert page.locator("#mode-short_mission").is_checked()  # the form shows the search
    assert p.errors == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_member_saves_a_search_and_finds_it_in_their_saved_searches(
    open_page, institution_and_pool, lang
):
    _admin, member, _project, _experts = institution_and_pool
    member.locale = lang
    db.session.commit()
    p = open_page(locale=lang, phone=lang == "ar")
    page = p.page
    _log_in(p, member.email)
    p.goto("/search/experts?skill=vision+par+ordinateur&country=FR")
    p.check(lang)
    page.locator("#name").fill("Vision, France")
    page.locator("#frequency").select_option("weekly")
    with page.expect_navigation():
        page.locator("form[action$='/search/saved'] button").click()
    p.check(lang)
    assert page.url.endswith("/search/saved")
    assert page.locator(".alert-success").count() == 1
    saved = page.locator("li.card", has_text="Vision, France")
    assert saved.count() == 1
    with page.expect_navigation():
        saved.locator("a.btn-brand").click()
    assert "skill=vision+par+ordinateur" in page.url and "country=FR" in page.url
    assert page.locator("ol[aria-labelledby=results-title] > li").count() == 2
