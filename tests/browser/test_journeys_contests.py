"""Contesting a decision in a real browser: an expert on a phone, in Arabic, contests the
rejection of their interest; an admin answers and changes it; the expert reads the answer. The
new pages (how matching works, the request, the admins' queue and case, the fairness monitor)
have no serious accessibility problem in French or Arabic."""

import pytest

from diaspora.extensions import db
from diaspora.models import Contest, Match, MatchSource, MatchStatus, OutboxMessage, Role
from diaspora.services import match_states
from tests.browser.test_journeys_opportunities import _log_in, scene  # noqa: F401  (fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

MESSAGE = "عملت على مشروع مماثل في مستشفى بمونتريال، أرجو إعادة النظر."
ANSWER = "بعد المراجعة، يعود طلبكم إلى قائمة المراجعة."


def _rejected_interest(scene_, admin):
    fitting, _onsite, expert = scene_
    match = Match(
        project=fitting,
        expert=expert,
        source=MatchSource.EXPERT,
        proposed_by_id=expert.user_id,
        proposal_note="J'aimerais aider.",
        explanation={},
    )
    db.session.add(match)
    db.session.commit()
    match_states.transition(match, MatchStatus.REJECTED, admin, "Profil trop éloigné.")
    db.session.commit()
    return match


def _admin(open_page, admin, lang):
    """An admin's browser, logged in (admins land on /admin/, not /dashboard)."""
    a = open_page(locale=lang)
    a.goto("/auth/login")
    a.page.locator("#email").fill(admin.email)
    a.page.locator("#password").fill(PASSWORD)
    a.page.keyboard.press("Enter")
    a.page.wait_for_url("**/admin/**")
    return a


def test_an_expert_contests_a_rejection_on_a_phone_in_arabic(open_page, scene, make_user):  # noqa: F811
    fitting, _onsite, expert = scene
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, locale="ar")
    match = _rejected_interest(scene, admin)

    p = open_page(locale="ar", phone=True)
    page = p.page
    _log_in(p, expert.user.email, "ar")
    p.goto(f"/opportunities/{fitting.id}/interest")
    p.check("ar")
    page.locator(f"a[href='/contests/match/{match.id}']").click()
    page.wait_for_url(f"**/contests/match/{match.id}")
    p.check("ar")
    page.locator("#message").fill(MESSAGE)
    page.locator("form[method=post] button.btn-brand").click()
    page.wait_for_url("**/contests/*")
    p.check("ar")
    assert MESSAGE in page.locator("main").inner_text()

    a = _admin(open_page, admin, "ar")
    a.goto("/admin/contests")
    a.check("ar")
    a.page.locator("main table a").first.click()
    a.page.wait_for_url("**/admin/contests/*")
    a.check("ar")
    a.page.locator("#answer").fill(ANSWER)
    a.page.locator("input[value=changed]").check()
    a.page.locator("form[method=post] button.btn-brand").click()
    a.page.wait_for_url("**/admin/contests")
    a.check("ar")

    db.session.rollback()  # see what the server's threads committed
    assert db.session.get(Match, match.id).status == MatchStatus.SUGGESTED
    assert Contest.query.one().outcome == "changed"
    email = OutboxMessage.query.filter_by(kind="contest_answered").one()
    assert email.locale == "ar" and ANSWER in email.body_text

    p.goto("/contests/")
    p.check("ar")
    page.locator("main ul a").first.click()
    page.wait_for_url("**/contests/*")
    p.check("ar")
    assert ANSWER in page.locator("main").inner_text()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_transparency_pages_have_no_serious_accessibility_problem(
    open_page,
    scene,  # noqa: F811
    make_user,
    lang,
):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, locale=lang)
    match = _rejected_interest(scene, admin)
    db.session.add(
        Contest(
            match=match,
            opened_by_id=scene[2].user_id,
            contested_status=MatchStatus.REJECTED,
            message="Merci de revoir.",
            opened_at=match_states.now(),
            deadline=match_states.now(),
        )
    )
    db.session.commit()
    visitor = open_page(locale=lang, phone=True)
    visitor.goto("/how-matching-works")
    visitor.check(lang)

    a = _admin(open_page, admin, lang)
    contest = Contest.query.one()
    for path in ("/admin/contests", f"/admin/contests/{contest.id}", "/admin/exposure"):
        a.goto(path)
        a.check(lang)
