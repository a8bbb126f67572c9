"""The experts' side of discovery in a real browser: an expert on a phone, in Arabic, finds a
project that fits them and expresses interest; the new pages (the public list, the ranking, the
interest page, the review queue and match page that show an interest) have no serious
accessibility problem in French or Arabic."""

from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchSource, OutboxMessage, Project, ProjectSkill, Role
from diaspora.models.base import utcnow
from diaspora.taxonomy import get_taxonomy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NOTE = "عملت خمس سنوات على تحليل صور شبكية العين في مستشفى بمونتريال."


def _project(institution, title, mode="remote", ref="P-1"):
    taxonomy = get_taxonomy()
    project = Project(
        ref=ref,
        institution=institution,
        title=title,
        description="Dépister la rétinopathie diabétique dans les hôpitaux régionaux.",
        sector="health",
        mode=mode,
        location="Rabat",
        languages=["fr"],
        hours_per_month=8,
        seats=2,
        status="published",
        starts_on=date.today() + timedelta(days=30),
        published_at=utcnow(),
    )
    project.skills = [
        ProjectSkill(
            name=name, level=3, required=True, concept_id=taxonomy.normalise(name).concept_id
        )
        for name in ("computer vision", "machine learning")
    ]
    db.session.add(project)
    db.session.commit()
    return project


@pytest.fixture
def scene(make_institution, make_user, make_fitting_experts):
    institution = make_institution()
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    fitting = _project(institution, "Dépistage de la rétinopathie diabétique")
    onsite = _project(institution, "Laboratoire d'imagerie à Rabat", mode="long_term", ref="P-2")
    [expert] = make_fitting_experts(["يوسف العلوي"], locale="ar")
    return fitting, onsite, expert


def _log_in(p, email, lang):
    p.goto("/auth/login")
    p.page.locator("#email").fill(email)
    p.page.locator("#password").fill(PASSWORD)
    p.page.keyboard.press("Enter")
    p.page.wait_for_url("**/dashboard")
    p.check(lang)


def test_an_expert_on_a_phone_in_arabic_finds_a_project_and_expresses_interest(open_page, scene):
    fitting, onsite, expert = scene
    p = open_page(locale="ar", phone=True)
    page = p.page
    _log_in(p, expert.user.email, "ar")

    page.locator("main a[href='/opportunities/']").click()
    page.wait_for_url("**/opportunities/")
    p.check("ar")
    titles = page.locator("article h3").all_inner_texts()
    assert titles == [fitting.title]  # the on-site project cannot fit: hidden

    # Ask, from the keyboard, to see what does not fit, and why.
    page.locator("#unfit").focus()
    page.keyboard.press("Space")
    page.locator("form[method=get] button").press("Enter")
    page.wait_for_url("**unfit=1**")
    p.check("ar")
    assert page.locator("article h3").all_inner_texts() == [fitting.title, onsite.title]
    assert "لا يعرضها" in page.locator("article").nth(1).inner_text()  # the reason, in Arabic
    page.locator("article").first.locator("summary").click()  # how the profile meets it
    p.check("ar")

    page.locator(f"a[href='/opportunities/{fitting.id}/interest']").click()
    page.wait_for_url(f"**/opportunities/{fitting.id}/interest")
    p.check("ar")
    page.locator("#note").fill(NOTE)
    page.locator("form[method=post] button.btn-brand").click()
    page.wait_for_url("**/opportunities/")
    p.check("ar")
    assert page.locator(".alert-success").count() == 1
    assert page.locator("article .badge").first.inner_text().strip()  # "interest sent"

    db.session.rollback()  # see what the server's threads committed
    match = Match.query.filter_by(project_id=fitting.id, expert_id=expert.id).one()
    assert match.source == MatchSource.EXPERT and match.proposal_note == NOTE
    assert OutboxMessage.query.count() == 0  # nobody is written to before an admin decides


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_new_pages_have_no_serious_accessibility_problem(open_page, scene, make_user, lang):
    fitting, onsite, expert = scene
    expert.user.locale = lang
    db.session.add(
        Match(
            project=onsite,
            expert=expert,
            source=MatchSource.EXPERT,
            proposal_note="J'aimerais aider.",
            explanation={},
        )
    )
    db.session.commit()

    visitor = open_page(locale=lang, phone=True)
    visitor.goto("/opportunities/open")
    visitor.check(lang)

    p = open_page(locale=lang)
    _log_in(p, expert.user.email, lang)
    for path in ("/opportunities/?unfit=1", f"/projects/{fitting.id}"):
        p.goto(path)
        p.check(lang)
    p.goto(f"/opportunities/{onsite.id}/interest")  # already asked: says so, no form
    p.check(lang)
    assert p.page.locator("#note").count() == 0
    p.goto(f"/opportunities/{fitting.id}/interest")
    p.check(lang)
    p.page.locator("form[method=post] button.btn-brand").click()  # no note: the error shown
    p.page.wait_for_selector("#note-error")
    p.errors.clear()  # the browser logs the form's 400, which is the point here
    p.check(lang)

    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, locale=lang)
    a = open_page(locale=lang)
    a.goto("/auth/login")
    a.page.locator("#email").fill(admin.email)
    a.page.locator("#password").fill(PASSWORD)
    a.page.keyboard.press("Enter")
    a.page.wait_for_url("**/admin/**")
    db.session.rollback()
    interest = Match.query.filter_by(project_id=onsite.id).one()
    for path in ("/matches/review", f"/matches/{interest.id}"):
        a.goto(path)
        a.check(lang)
