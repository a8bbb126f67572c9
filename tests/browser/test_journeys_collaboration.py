"""After the expert's yes, in a real browser: the institution confirms the start, the expert logs
their hours, the institution confirms them and completes the collaboration with what was
delivered, the expert downloads their certificate (PDF) and anyone checks its code on the public
page; admins read the report. No serious accessibility problem on any of these pages, in French
and in Arabic (right to left)."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Collaboration, Match, MatchStatus, OutboxMessage
from diaspora.models.base import utcnow
from diaspora.services import collaborations, invitations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

OUTCOME = {
    "fr": "Un modèle de dépistage validé sur 2 000 images et sa documentation.",
    "ar": "نموذج للكشف تم التحقق منه على 2000 صورة مع توثيقه.",
}
START_BUTTON = {"fr": "Le travail a commencé", "ar": "بدأ العمل"}


def _log_in(p, email: str) -> None:
    p.goto("/auth/login")
    p.page.locator("#email").fill(email)
    p.page.locator("#password").fill(PASSWORD)
    with p.page.expect_navigation():
        p.page.locator("#password").press("Enter")


def _click(p, locator) -> None:
    with p.page.expect_navigation():
        locator.click()


def _collaboration(collaboration_id: int) -> Collaboration:
    db.session.rollback()
    return db.session.get(Collaboration, collaboration_id)


@pytest.fixture
def accepted(institution_with_project, make_fitting_experts):
    """admin, member, expert and the collaboration that began when the expert accepted."""

    def make(lang: str):
        admin, member, project = institution_with_project(("computer vision",), seats=1)
        (expert,) = make_fitting_experts(["Salma Bennani"], locale=lang)
        for user in (admin, member):
            user.locale = lang
        match = Match(
            project=project,
            expert=expert,
            score=0.8,
            status=MatchStatus.INVITED,
            invited_at=utcnow(),
            expires_at=utcnow() + timedelta(days=7),
        )
        db.session.add(match)
        db.session.commit()
        invitations.answer(expert.user, match.id, True)
        collaboration = Collaboration.query.filter_by(match_id=match.id).one()
        return admin, member, expert.user, project, collaboration.id

    return make


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_collaboration_starts_logs_hours_completes_and_its_certificate_verifies(
    open_page, accepted, lang
):
    admin, member, expert, project, collaboration_id = accepted(lang)
    today = collaborations.today()
    expert_email, member_email, admin_email = expert.email, member.email, admin.email

    # The institution confirms the start, from the project's page.
    m = open_page(locale=lang)
    _log_in(m, member_email)
    m.goto(f"/projects/{project.id}")
    _click(m, m.page.get_by_role("link", name=project.title, exact=True))
    assert m.page.url.endswith(f"/collaborations/{collaboration_id}")
    m.check(lang)
    m.page.locator("#started_on").fill(today.isoformat())
    _click(m, m.page.get_by_role("button", name=START_BUTTON[lang]))
    m.check(lang)
    assert m.page.locator(".alert-success").count() == 1
    assert _collaboration(collaboration_id).status == "active"

    # The expert logs this month's hours, from their dashboard.
    e = open_page(locale=lang)
    _log_in(e, expert_email)
    _click(e, e.page.locator(f"a[href='/collaborations/{collaboration_id}']"))
    e.check(lang)
    e.page.locator("#month").select_option(collaborations.first_of_month(today).isoformat())
    e.page.locator("#hours").fill("12")
    _click(e, e.page.locator("form[action$='/hours'] button"))
    e.check(lang)
    assert [(h.hours, h.status) for h in _collaboration(collaboration_id).hours] == [
        (12, "pending")
    ]

    # The institution confirms them, then completes with what was delivered.
    m.page.reload()
    _click(m, m.page.locator("form[action*='/hours/'] button[value=confirm]"))
    m.check(lang)
    m.page.locator("#outcome").fill(OUTCOME[lang])
    _click(m, m.page.locator("form[action$='/complete'] button"))
    m.check(lang)
    done = _collaboration(collaboration_id)
    assert (done.status, done.confirmed_hours, done.outcome) == ("completed", 12, OUTCOME[lang])
    code = done.certificate_code

    # The expert downloads the certificate and reads its code on the page.
    e.page.reload()
    e.check(lang)
    assert e.page.locator("code").inner_text() == code
    with e.page.expect_download() as download:
        e.page.locator("a[href$='/certificate.pdf']").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == f"certificate-{code}.pdf"

    # Anyone checks the code on the public page, typed as read off the paper.
    g = open_page(locale=lang)
    g.goto("/certificates/verify")
    g.check(lang)
    g.page.locator("#code").fill(code.lower())
    with g.page.expect_navigation():
        g.page.locator("#code").press("Enter")
    g.check(lang)
    facts = g.page.locator("main").inner_text()
    assert "Salma Bennani" in facts and project.title in facts and OUTCOME[lang] in facts
    assert g.page.locator("[role=status]").count() == 1

    # Admins read the report.
    a = open_page(locale=lang)
    _log_in(a, admin_email)
    a.goto("/admin/collaborations")
    a.check(lang)
    assert project.institution.name in a.page.locator("main").inner_text()

    # Each step reached the other side once, in their language: the expert heard of the start,
    # the confirmed hours and the completion; the member, of the hours to confirm.
    db.session.rollback()
    to_expert = OutboxMessage.query.filter_by(kind="collaboration_update", to_address=expert_email)
    assert [m.locale for m in to_expert] == [lang] * 3
    (to_member,) = OutboxMessage.query.filter_by(kind="collaboration_hours_logged").all()
    assert (to_member.to_address, to_member.locale) == (member_email, lang)
