"""A member of a verified institution posts a project in a real browser: a complete draft, then
published, and the engine's suggestions appear in the project's pipeline."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchStatus, Project, Role
from diaspora.taxonomy import get_taxonomy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


@dataclass(frozen=True)
class Member:
    lang: str
    email: str
    title: str
    description: str
    typed: str  # the start of a skill, to see suggestions appear
    required: tuple[tuple[str, str], ...]
    nice: tuple[tuple[str, str], ...]
    location: str


NADIA = Member(
    lang="fr",
    email="nadia@sante.gov.ma",
    title="Dépistage de la rétinopathie diabétique",
    description="Analyser les images de fond d'œil des centres de santé régionaux.",
    typed="vision",
    required=(("vision par ordinateur", "3"), ("apprentissage automatique", "3")),
    nice=(("Python", "2"),),
    location="Rabat",
)
OMAR = Member(
    lang="ar",
    email="omar@sante.gov.ma",
    title="الكشف المبكر عن اعتلال الشبكية السكري",
    description="تحليل صور قاع العين في المراكز الصحية الجهوية.",
    typed="رؤية",
    required=(("رؤية حاسوبية", "3"), ("تعلم الآلة", "3")),
    nice=(("بايثون", "2"),),
    location="الرباط",
)


def _skill_row(page, row: int, name: str, level: str, need: str) -> None:
    page.locator(f"#skills-{row}-name").fill(name)
    page.locator(f"#skills-{row}-level").select_option(level)
    page.locator(f"#skills-{row}-need").select_option(need)


@pytest.mark.parametrize("who", [NADIA, OMAR], ids=["fr", "ar"])
def test_member_drafts_publishes_and_sees_suggested_experts(
    open_page, make_user, make_institution, make_fitting_experts, who
):
    institution = make_institution()
    make_user(who.email, role=Role.INSTITUTION, institution=institution, locale=who.lang)
    make_fitting_experts(["Salma Bennani", "Karim Alaoui", "Leila Idrissi"])

    p = open_page(locale=who.lang)
    page = p.page
    p.goto("/auth/login")
    page.locator("#email").fill(who.email)
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    p.check(who.lang)

    p.goto("/projects/new")
    p.check(who.lang)
    page.locator("#title").fill(who.title)
    page.locator("#description").fill(who.description)
    page.locator("#sector").select_option("health")

    # Skill suggestions as one types, in the page's language.
    page.locator("#skills-0-name").click()
    page.keyboard.type(who.typed, delay=30)
    page.locator("#skill-suggestions option").first.wait_for(state="attached")
    rows = [(*skill, "required") for skill in who.required] + [(*s, "nice") for s in who.nice]
    for row, (name, level, need) in enumerate(rows):
        _skill_row(page, row, name, level, need)

    page.locator("input[name=languages][value=fr]").check()
    page.locator("input[name=languages][value=ar]").check()
    page.locator("input[name=mode][value=hybrid]").check()
    page.locator("#location").fill(who.location)
    page.locator("#hours_per_month").fill("8")
    page.locator("#seats").fill("2")
    starts = (date.today() + timedelta(days=60)).isoformat()
    page.locator("#starts_on").fill(starts)
    page.locator("#duration_months").fill("6")
    # Enter in a text box saves the draft, as the Save button does.
    page.locator("#duration_months").press("Enter")
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    p.check(who.lang)

    db.session.rollback()
    project = Project.query.one()
    assert project.status == "draft" and project.title == who.title
    assert [(s.name, s.level, s.required) for s in project.skills] == [
        (name, int(level), need == "required") for name, level, need in rows
    ]
    assert all(s.concept_id for s in project.skills)  # every skill placed in the taxonomy
    assert (sorted(project.languages), project.mode, project.location) == (
        ["ar", "fr"],
        "hybrid",
        who.location,
    )
    assert (project.hours_per_month, project.seats, project.duration_months) == (8, 2, 6)
    assert project.starts_on.isoformat() == starts
    assert Match.query.count() == 0  # a draft is not matched

    page.locator("form input[name=to][value=published] + button").click()
    page.wait_for_url(f"**/projects/{project.id}")
    p.check(who.lang)
    assert page.locator(".alert-success").count() == 1

    p.goto(f"/matches/projects/{project.id}/pipeline")
    p.check(who.lang)
    suggested = page.locator("section[aria-labelledby=step-suggested] h2")
    assert "(3)" in suggested.inner_text()
    db.session.rollback()
    assert Match.query.filter_by(status=MatchStatus.SUGGESTED).count() == 3


def _sign_in_and_start_a_project(p, lang: str) -> None:
    # Saving places the skills in the taxonomy: ready it now (seconds, once per run), not
    # inside a page's time limit.
    get_taxonomy().normalise_many(["vision par ordinateur"])
    page = p.page
    p.goto("/auth/login")
    page.locator("#email").fill(NADIA.email)
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    p.goto("/projects/new")
    page.locator("#title").fill(NADIA.title)
    page.locator("#sector").select_option("health")
    page.locator("input[name=mode][value=remote]").check()
    page.locator("#hours_per_month").fill("8")


def _saved_skills() -> list[tuple[str, int, bool]]:
    db.session.rollback()
    return [(s.name, s.level, s.required) for s in Project.query.one().skills]


def test_skill_rows_of_a_project_work_without_javascript(open_page, make_user, make_institution):
    make_user(NADIA.email, role=Role.INSTITUTION, institution=make_institution())
    p = open_page(locale="fr", javascript=False)
    page = p.page
    _sign_in_and_start_a_project(p, "fr")
    names = ["vision par ordinateur", "Python", "SIG", "R", "statistiques"]
    for row, name in enumerate(names):
        _skill_row(page, row, name, "3", "required")
    # More rows come from the server, with everything typed so far kept and nothing saved.
    with page.expect_navigation():
        page.locator("[data-add-row=skills]").click()
    assert page.locator("[data-rows=skills] [data-row]").count() == 8
    assert page.locator("#title").input_value() == NADIA.title
    assert page.locator("#skills-4-name").input_value() == "statistiques"
    db.session.rollback()
    assert Project.query.count() == 0
    _skill_row(page, 5, "apprentissage automatique", "4", "nice")
    page.locator("#skills-1-remove").check()  # Python is left out when saving
    page.locator("form#project-form .d-flex button.btn-brand").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    assert [name for name, _level, _required in _saved_skills()] == [
        "vision par ordinateur", "SIG", "R", "statistiques", "apprentissage automatique"
    ]  # fmt: skip


def test_a_skill_row_is_added_and_removed_with_the_keyboard_in_arabic(
    open_page, make_user, make_institution
):
    make_user(NADIA.email, role=Role.INSTITUTION, institution=make_institution(), locale="ar")
    p = open_page(locale="ar")
    page = p.page
    _sign_in_and_start_a_project(p, "ar")
    for row, (name, level) in enumerate(OMAR.required):
        _skill_row(page, row, name, level, "required")
    # The add button, reached from the keyboard, adds one row at once, focused and numbered.
    page.locator("[data-add-row=skills]").focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-rows=skills] [data-row]").count() == 6
    assert page.evaluate("document.activeElement.id") == "skills-5-name"
    assert page.locator("label[for=skills-5-name]").inner_text().strip() == "المهارة 6"
    page.keyboard.type(OMAR.nice[0][0])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skills-5-level"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skills-5-remove"
    page.keyboard.press("Space")
    assert page.locator("#skills-5-remove").is_checked()
    p.check("ar")
    # The first row goes too; Enter in a text box saves.
    page.locator("#skills-0-remove").focus()
    page.keyboard.press("Space")
    page.locator("#title").press("Enter")
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    assert _saved_skills() == [(OMAR.required[1][0], 3, True)]
