"""An institution comes onto the platform in a real browser: its first member registers it with
an address at its official domain, an administrator verifies it, and the member, now its
manager, invites a colleague who joins through the emailed link. Every page on the way has no
serious accessibility problem, in French and in Arabic (right to left)."""

from dataclasses import dataclass

import pytest

from diaspora.extensions import db
from diaspora.models import Institution, MemberRole, Membership, OutboxMessage, Role, User
from tests.conftest import PASSWORD, link_in


@dataclass(frozen=True)
class Story:
    lang: str
    manager: str
    institution: str
    colleague: str
    verify_button: str
    members_link: str


FR = Story(
    lang="fr",
    manager="Nadia Berrada",
    institution="Ministère de l'Agriculture",
    colleague="Sara Alami",
    verify_button="Vérifier",
    members_link="Membres",
)
AR = Story(
    lang="ar",
    manager="نادية برادة",
    institution="وزارة الفلاحة",
    colleague="سارة العلمي",
    verify_button="توثيق",
    members_link="الأعضاء",
)


def _log_in(p, email: str) -> None:
    p.goto("/auth/login")
    p.page.locator("#email").fill(email)
    p.page.locator("#password").fill(PASSWORD)
    with p.page.expect_navigation():
        p.page.locator("#password").press("Enter")


def _mail(kind: str, to: str) -> OutboxMessage:
    db.session.rollback()
    (mail,) = OutboxMessage.query.filter_by(kind=kind, to_address=to).all()
    return mail


@pytest.mark.parametrize("story", [FR, AR], ids=["fr", "ar"])
def test_an_institution_is_registered_verified_and_a_colleague_joins(open_page, make_user, story):
    lang = story.lang
    make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin", locale=lang)

    # The first member registers the institution with an address at its domain.
    p = open_page(locale=lang)
    page = p.page
    p.goto("/auth/signup/institution")
    p.check(lang)
    page.locator("#full_name").fill(story.manager)
    page.locator("#email").fill("nadia@agri.gov.ma")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#locale").select_option(lang)
    page.locator("input[name=join][value=new]").check()
    page.locator("#institution_name").fill(story.institution)
    page.locator("#institution_kind").select_option("ministry")
    page.locator("#email_domain").fill("agri.gov.ma")
    page.locator("input[name=evidence][value=domain]").check()
    with page.expect_navigation():
        page.locator("form button.btn-brand").click()
    assert page.url.endswith("/auth/check-email")
    p.check(lang)
    mail = _mail("verify_email", "nadia@agri.gov.ma")
    assert mail.locale == lang
    p.goto(link_in(mail.body_text, "/auth/verify/"))
    _log_in(p, "nadia@agri.gov.ma")
    p.check(lang)
    db.session.rollback()
    institution = Institution.query.filter_by(name=story.institution).one()
    assert institution.email_domain == "agri.gov.ma" and not institution.is_verified

    # An administrator reviews it and verifies it; the member is told in their language.
    a = open_page(locale=lang)
    _log_in(a, "admin@diaspora.ma")
    a.goto("/admin/institutions")
    a.check(lang)
    verify = a.page.locator(f"form[action$='/institutions/{institution.id}/verify']")
    with a.page.expect_navigation():
        verify.get_by_role("button", name=story.verify_button).click()
    a.check(lang)
    db.session.rollback()
    assert db.session.get(Institution, institution.id).is_verified
    assert _mail("institution_verified", "nadia@agri.gov.ma").locale == lang

    # A member may register a further institution, with the same evidence: the form reads well.
    p.goto("/institutions/new")
    p.check(lang)

    # The manager invites a colleague from the members page.
    p.goto("/dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name=story.members_link, exact=True).click()
    p.check(lang)
    page.locator("#email").fill("sara@agri.gov.ma")
    with page.expect_navigation():
        page.locator("#email").press("Enter")
    p.check(lang)
    assert page.locator(".alert-success").count() == 1
    assert "sara@agri.gov.ma" in page.locator("ul.list-group").inner_text()
    invitation = _mail("member_invitation", "sara@agri.gov.ma")
    assert invitation.locale == lang  # no account yet: the manager's language

    # The colleague follows the link, creates their account and is in.
    c = open_page(locale=lang)
    c.goto(link_in(invitation.body_text, "/institutions/join/"))
    c.check(lang)
    assert "sara@agri.gov.ma" in c.page.locator("main").inner_text()
    c.page.locator("#full_name").fill(story.colleague)
    c.page.locator("#password").fill(PASSWORD)
    c.page.locator("#confirm").fill(PASSWORD)
    c.page.locator("#locale").select_option(lang)
    with c.page.expect_navigation():
        c.page.locator("form button.btn-brand").click()
    assert c.page.url.endswith("/dashboard")
    c.check(lang)
    db.session.rollback()
    sara = User.query.filter_by(email="sara@agri.gov.ma").one()
    membership = Membership.query.filter_by(user_id=sara.id).one()
    assert (membership.institution_id, membership.role) == (institution.id, MemberRole.MEMBER)

    # The manager sees them among the members, and the invitation is no longer waiting.
    p.goto(f"/institutions/{institution.id}/members")
    assert story.colleague in page.locator("table").inner_text()
    assert page.locator("ul.list-group").count() == 0
