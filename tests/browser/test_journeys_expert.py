"""An expert's first visit, in a real browser on a phone: sign up, confirm the address from the
email, log in, and build a complete profile, with the page's scripts and without them."""

from dataclasses import dataclass

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, OutboxMessage, User
from tests.conftest import PASSWORD, link_in


@dataclass(frozen=True)
class Expert:
    """What one expert types, in their language."""

    lang: str
    name: str
    email: str
    city: str
    typed: str  # the start of a skill, to see suggestions appear
    picked: str  # the suggestion chosen
    skills: tuple[tuple[str, str], ...]  # further skills typed whole, with their levels
    headline: str
    bio: str


SALMA = Expert(
    lang="fr",
    name="Salma Bennani",
    email="salma@example.org",
    city="Montréal",
    typed="apprentissage",
    picked="apprentissage automatique",
    skills=(("vision par ordinateur", "4"), ("Python", "3"), ("gestion de projet", "2")),
    headline="Data scientist en santé publique, Montréal",
    bio="J'analyse des images médicales depuis douze ans et j'aimerais aider les hôpitaux "
    "marocains à dépister plus tôt la rétinopathie diabétique.",
)
YOUSSEF = Expert(
    lang="ar",
    name="يوسف العلوي",
    email="youssef@example.org",
    city="Montréal",
    typed="تعلم",
    picked="تعلم الآلة",
    skills=(("رؤية حاسوبية", "4"), ("بايثون", "3"), ("إدارة المشاريع", "2")),
    headline="باحث في الذكاء الاصطناعي في مونتريال",
    bio="أعمل منذ اثني عشر عاما في تحليل الصور الطبية وأرغب في مساعدة المستشفيات المغربية "
    "على الكشف المبكر عن اعتلال الشبكية السكري.",
)


def _fresh_outbox(kind: str, to: str) -> OutboxMessage:
    db.session.rollback()  # see what the server's threads committed
    return OutboxMessage.query.filter_by(kind=kind, to_address=to).one()


def _sign_up_and_confirm(p, who: Expert) -> None:
    page = p.page
    p.goto("/auth/signup/expert")
    p.check(who.lang)
    page.locator("#full_name").focus()
    page.keyboard.type(who.name)
    page.keyboard.press("Tab")
    page.keyboard.type(who.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    # The language of our emails is already the page's.
    assert page.locator("#locale").input_value() == who.lang
    page.locator("form button.btn-brand").click()
    page.wait_for_url("**/auth/check-email")
    p.check(who.lang)

    message = _fresh_outbox("verify_email", who.email)
    assert who.name in message.body_text
    p.goto(link_in(message.body_text, "/auth/verify/"))
    page.wait_for_url("**/auth/login**")
    p.check(who.lang)
    assert page.locator("#email").input_value() == who.email  # filled in from the link
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    p.check(who.lang)


def _choose_language(page, row: int, code: str, level: str) -> None:
    page.locator(f"#languages-{row}-code").select_option(code)
    page.locator(f"#languages-{row}-level").select_option(level)


def _type_skill(page, row: int, name: str, level: str) -> None:
    page.locator(f"#skills-{row}-name").fill(name)
    page.locator(f"#skills-{row}-level").select_option(level)


def _fill_the_rest(page, who: Expert) -> None:
    page.locator("#sectors input[value=health]").check()
    page.locator("#sectors input[value=research]").check()
    page.locator("#modes input[value=remote]").check()
    page.locator("#modes input[value=short_mission]").check()
    page.locator("#hours_per_month").fill("12")
    page.locator("#headline").fill(who.headline)
    page.locator("#bio").fill(who.bio)
    page.locator("#linkedin").fill("linkedin.com/in/" + who.email.split("@")[0])
    page.locator("#years_experience").fill("12")
    page.locator("#available_from").fill("2027-01-15")
    page.locator("#consent_matching").check()
    page.locator("#visibility-0").check()


def _completeness(page) -> int:
    """The percentage the completeness bar shows (a <progress> or an ARIA progressbar)."""
    bar = page.get_by_role("progressbar")
    return int(bar.evaluate("e => e.value ?? e.getAttribute('aria-valuenow')"))


def _profile_is_complete(p, who: Expert, skill_count: int) -> None:
    page = p.page
    page.wait_for_url("**/expert/profile")
    p.check(who.lang)
    assert page.locator(".alert-success").count() == 1
    assert _completeness(page) == 100
    skills = page.locator("section[aria-labelledby=skills-title] li")
    assert skills.count() == skill_count
    # Every skill was placed in the taxonomy: none is "kept as typed".
    text = skills.all_inner_texts()
    assert all("«" in line for line in text), text
    assert who.headline in page.content()
    db.session.rollback()
    profile = ExpertProfile.query.join(User).filter(User.email == who.email).one()
    assert profile.consent_matching and profile.timezone == "America/Toronto"
    assert all(s.concept_id for s in profile.skills)


@pytest.mark.parametrize("who", [SALMA, YOUSSEF], ids=["fr", "ar"])
def test_expert_signs_up_confirms_and_builds_a_complete_profile_on_a_phone(open_page, who):
    p = open_page(locale=who.lang, phone=True)
    page = p.page
    _sign_up_and_confirm(p, who)

    p.goto("/expert/profile/edit")
    p.check(who.lang)
    page.locator("#country").select_option("CA")
    page.locator("#city").fill(who.city)

    # Two empty language rows; the script adds a third at once, focused, without reloading.
    _choose_language(page, 0, "ar", "native" if who.lang == "ar" else "C2")
    _choose_language(page, 1, "fr", "C2" if who.lang == "fr" else "C1")
    page.locator("[data-add-row=languages]").click()
    assert page.locator("[data-rows=languages] [data-row]").count() == 3
    assert page.evaluate("document.activeElement.id") == "languages-2-code"
    _choose_language(page, 2, "en", "B2")

    # Typing the start of a skill offers known skills in the page's language.
    first = page.locator("#skills-0-name")
    first.click()
    page.keyboard.type(who.typed, delay=30)
    options = page.locator("#skill-suggestions option")
    options.first.wait_for(state="attached")
    offered = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert all(
        who.typed in o or who.typed in (options.nth(i).get_attribute("label") or "")
        for i, o in enumerate(offered)
    ), offered
    if who.picked in offered:
        first.fill(who.picked)
    else:  # the suggestion is the known label; finishing the word works as well
        page.keyboard.type(who.picked[len(who.typed) :])
    page.locator("#skills-0-level").select_option("4")

    for row, (name, level) in enumerate(who.skills[:2], start=1):
        _type_skill(page, row, name, level)
    page.locator("[data-add-row=skills]").click()
    assert page.locator("[data-rows=skills] [data-row]").count() == 4
    assert page.evaluate("document.activeElement.id") == "skills-3-name"
    page.keyboard.type(who.skills[2][0])
    page.locator("#skills-3-level").select_option(who.skills[2][1])

    _fill_the_rest(page, who)
    p.check(who.lang)  # the form with added rows is still accessible
    page.locator("form#profile-form .d-flex button.btn-brand").click()
    _profile_is_complete(p, who, skill_count=4)


def test_profile_form_works_without_javascript(open_page, make_user):
    make_user(SALMA.email, name=SALMA.name, locale="fr")
    p = open_page(locale="fr", javascript=False)
    page = p.page
    p.goto("/auth/login")
    page.locator("#email").fill(SALMA.email)
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")

    p.goto("/expert/profile/edit")
    page.locator("#country").select_option("CA")
    page.locator("#city").fill(SALMA.city)
    _choose_language(page, 0, "ar", "native")
    _choose_language(page, 1, "fr", "C2")
    _type_skill(page, 0, SALMA.picked, "4")
    # Without scripts, "add another" asks the server for the form again with one more row,
    # keeping everything typed so far and saving nothing yet.
    with page.expect_navigation():
        page.locator("[data-add-row=languages]").click()
    assert page.locator("[data-rows=languages] [data-row]").count() == 3
    assert page.locator("#city").input_value() == SALMA.city
    assert page.locator("#skills-0-name").input_value() == SALMA.picked
    _choose_language(page, 2, "en", "B2")
    for row, (name, level) in enumerate(SALMA.skills[:2], start=1):
        _type_skill(page, row, name, level)
    with page.expect_navigation():
        page.locator("[data-add-row=skills]").click()
    assert page.locator("[data-rows=skills] [data-row]").count() == 4
    assert page.locator("#languages-2-code").input_value() == "en"
    db.session.rollback()
    assert ExpertProfile.query.count() == 0  # nothing saved by adding rows
    _type_skill(page, 3, *SALMA.skills[2])
    _fill_the_rest(page, SALMA)
    page.locator("form#profile-form .d-flex button.btn-brand").click()
    page.wait_for_url("**/expert/profile")
    assert _completeness(page) == 100
    assert page.locator("section[aria-labelledby=skills-title] li").count() == 4
    assert p.errors == []
