"""Emails whose links act for their recipient (confirm an address, set a password, answer an
invitation): no admin may read those links outside development, and no row keeps them once
the email is delivered."""

import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from diaspora.extensions import db
from diaspora.models import (
    Collaboration,
    Match,
    MatchSource,
    MemberRole,
    Membership,
    OutboxMessage,
    Role,
    SavedSearch,
)
from diaspora.models.base import utcnow
from diaspora.notifications.delivery import send_pending
from diaspora.notifications.secrets import SECRET_KINDS, carries_secret
from diaspora.services import (
    accounts,
    collaborations,
    consent_notices,
    contact,
    contests,
    daily_summary,
    digest,
    institution_members,
    institution_reviews,
    invitations,
    match_index,
    project_alerts,
    reconfirmation,
    reviews,
    saved_search_alerts,
)
from diaspora.services.imports import import_records
from tests.interchange.test_interchange_files import good_expert
from tests.matches.conftest import (  # noqa: F401  (fixtures)
    clock,
    make_expert,
    make_match,
    make_project,
    world,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def signed_links(app, text: str) -> list[str]:
    """The links of `text` that lead to a page taking a signed token."""
    adapter = app.url_map.bind("localhost")
    found = []
    for url in LINK.findall(text):
        path = re.sub(r"^https?://[^/]+", "", url)
        try:
            _endpoint, values = adapter.match(path)
        except Exception:  # a link to no page of ours: not a token
            continue
        if "token" in values:
            found.append(url)
    return found


@pytest.fixture
def every_kind(
    client,
    world,  # noqa: F811
    make_expert,  # noqa: F811
    make_project,  # noqa: F811
    make_match,  # noqa: F811
    clock,  # noqa: F811
    make_user,
    make_institution,
):
    """The outbox after each flow that writes an email: one or more rows of every kind."""
    # Sign-up (verification), a second sign-up with the same address, a password reset.
    signup = {
        "full_name": "Youssef Amrani",
        "email": "youssef@example.org",
        "password": "a long passphrase",
        "confirm": "a long passphrase",
        "locale": "en",
    }
    client.post("/auth/signup/expert", data=signup)
    client.post("/auth/signup/expert", data=signup)
    client.post("/auth/reset", data={"email": world.member.email})
    # An invitation, its reminder, an acceptance; a decline; one closed when the seats fill.
    invited = make_match(world.project, world.expert)
    reviews.approve(world.admin, invited.id)
    clock.advance(days=3, hours=1)
    invitations.tick()
    invitations.answer(world.expert.user, invited.id, True)
    # The collaboration that follows: the institution confirms the start, the expert logs hours.
    collab = Collaboration.query.filter_by(match_id=invited.id).one()
    collaborations.start(world.member, collab.id, collaborations.today())
    month = collaborations.first_of_month(collaborations.today())
    collaborations.log_hours(world.expert.user, collab.id, month, 5)
    third = make_expert("leila@example.org", name="Leila Idrissi")
    declining = make_match(world.project, third)
    reviews.approve(world.admin, declining.id)
    # She asks for a human review of the invitation, and an admin answers.
    contested = contests.open_contest(third.user, declining.id, "Pourquoi moi ?")
    contests.answer(world.admin, contested.id, "Votre profil correspond au projet.", False)
    invitations.answer(third.user, declining.id, False, "Not this year.")
    small = make_project(world.institution, title="Archives", seats=1)
    for expert in (world.expert, world.other_expert):
        reviews.approve(world.admin, make_match(small, expert).id)
    first = Match.query.filter_by(project_id=small.id, expert_id=world.expert.id).one()
    invitations.answer(world.expert.user, first.id, True)
    # A newly published project announced to an expert it fits (their alert); that expert's
    # own interest in another project, rejected with the reason shared.
    fan = world.other_expert
    fan.confirmed_at, fan.modes, fan.sectors = utcnow(), ["remote"], ["health"]
    db.session.commit()
    match_index.forget_index()
    project_alerts.alert_experts(make_project(world.institution, title="Imagerie").id)
    asked = make_match(world.project, fan, source=MatchSource.EXPERT, proposal_note="Je connais.")
    reviews.reject(world.admin, asked.id, "Profil trop éloigné.", share_reason=True)
    # A member's saved searches: one alerts at once, one waits for the weekly digest.
    for frequency in ("instant", "weekly"):
        db.session.add(
            SavedSearch(
                user_id=world.member.id,
                name=frequency,
                query_string="country=AE",
                frequency=frequency,
            )
        )
    db.session.commit()
    saved_search_alerts.alert_instant()
    digest.send_digests()
    # A registry's file gives the expert, who has a password, another address.
    moved = good_expert(ref=world.expert.ref, email="salma.new@example.org")
    import_records(io.StringIO(json.dumps(moved) + "\n"), "experts", fmt="jsonl")
    # Institutions: a manager invites a colleague; admins refuse one, verify and withdraw.
    Membership.query.filter_by(user_id=world.member.id).one().role = MemberRole.MANAGER
    db.session.commit()
    institution_members.invite(world.member, world.institution.id, "sara@sante.gov.ma")
    newcomer = make_institution(name="Agence Nouvelle", domain="nouvelle.ma", verified=False)
    make_user("nadia@nouvelle.ma", role=Role.INSTITUTION, institution=newcomer, manager=True)
    institution_reviews.refuse(world.admin, newcomer.id, "Lettre illisible.")
    institution_reviews.verify(world.admin, newcomer.id)
    institution_reviews.revoke(world.admin, newcomer.id, "Contrôle.")
    institution_members.remove(world.member, world.institution.id, world.colleague.id)
    # Someone writes to the administrators from the contact page.
    contact.send_to_admins(
        contact.ContactMessage("Leila", "leila@example.org", "help", "Comment m'inscrire ?")
    )
    # Notifications: an expert's reminder to reconfirm, another's notice of a new consent
    # text, an invitation left to expire, and the admins' summary of waiting work.
    fan.confirmed_at = utcnow() - timedelta(days=345)
    third.consent_version = "2025-01"
    db.session.commit()
    reconfirmation.send_reminders()
    consent_notices.send_notices()
    late = make_match(world.project, make_expert("driss@example.org", name="Driss Fassi"))
    reviews.approve(world.admin, late.id)
    clock.advance(days=15)
    invitations.tick()
    make_institution(name="Agence Tardive", domain="tardive.ma", verified=False)
    daily_summary.send_summaries()
    return OutboxMessage.query.order_by(OutboxMessage.id).all()


def test_exactly_the_kinds_with_signed_links_are_secret(app, every_kind):
    templates = {p.name.split(".")[0] for p in TEMPLATES.glob("*.subject.txt")}
    kinds = {m.kind for m in every_kind}
    assert kinds == templates, "a flow above must write every kind of email"
    with_links = {m.kind for m in every_kind if signed_links(app, m.body_text)}
    assert with_links == SECRET_KINDS
    assert all(carries_secret(m.kind) == bool(signed_links(app, m.body_html)) for m in every_kind)


def test_delivery_keeps_no_signed_link_and_every_other_email_whole(app, every_kind):
    before = {m.id: (m.kind, m.body_text, m.body_html) for m in every_kind}
    send_pending(batch=500)
    db.session.expire_all()
    for message in OutboxMessage.query.filter_by(status="sent"):
        kind, text, html = before[message.id]
        if carries_secret(kind):
            assert message.body_text == message.body_html == ""
            assert not signed_links(app, message.body_text + message.body_html)
        else:
            assert (message.body_text, message.body_html) == (text, html)
    # The recipient got the whole email all the same (here, the development .eml file).
    reset = OutboxMessage.query.filter_by(kind="reset_password").one()
    eml = (Path(app.config["MAIL_DIR"]) / f"{reset.id:08d}.eml").read_text()
    assert "/auth/reset/" in eml


def test_a_reset_email_sent_leaves_no_token_in_its_row(client, make_user, outbox):
    make_user("amina@diaspora.ma", role=Role.ADMIN)
    client.post("/auth/reset", data={"email": "amina@diaspora.ma"})
    [message] = outbox(kind="reset_password")
    token = re.search(r"/auth/reset/(\S+)", message.body_text).group(1)
    assert send_pending() == (1, 0)
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == "sent"
    assert token not in " ".join(str(v) for v in vars(row).values())


def test_an_email_that_failed_keeps_its_text_for_the_next_attempt(app, make_user, outbox):
    make_user("amina@diaspora.ma", role=Role.ADMIN)
    accounts.request_password_reset("amina@diaspora.ma")
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=1)
    assert send_pending() == (0, 1)
    db.session.expire_all()
    [message] = outbox(kind="reset_password")
    assert message.status == "pending" and "/auth/reset/" in message.body_text


def admin_reads(client, make_user, auth, message_id: int) -> str:
    make_user("karim@diaspora.ma", role=Role.ADMIN)
    auth.login("karim@diaspora.ma")
    return client.get(f"/admin/mail/{message_id}").get_data(as_text=True)


def test_outside_development_the_admin_outbox_shows_no_personal_link(app, client, auth, every_kind):
    assert not app.config["OUTBOX_SHOWS_LINKS"]  # testing, like production
    auth.login("admin@diaspora.ma")  # the world's admin
    for message in every_kind:
        page = client.get(f"/admin/mail/{message.id}").get_data(as_text=True)
        assert not signed_links(app, page), message.kind
        if carries_secret(message.kind):
            assert "which is hidden here" in page
        else:
            assert message.body_text.split("\n")[0] in page


def test_the_admin_outbox_hides_the_links_of_an_admins_reset_email(client, auth, make_user, outbox):
    make_user("amina@diaspora.ma", role=Role.ADMIN)
    client.post("/auth/reset", data={"email": "amina@diaspora.ma"})
    [message] = outbox(kind="reset_password")
    token = re.search(r"/auth/reset/(\S+)", message.body_text).group(1)
    page = admin_reads(client, make_user, auth, message.id)
    assert token not in page and "/auth/reset/" not in page
    assert "Hello Test User" in page  # the rest of the email is readable
    assert "Personal links" in client.get("/admin/mail").get_data(as_text=True)

    send_pending()
    page = client.get(f"/admin/mail/{message.id}").get_data(as_text=True)
    assert "its text was deleted once it was sent" in page and token not in page


@pytest.mark.config(OUTBOX_SHOWS_LINKS=True)
def test_in_development_the_admin_outbox_opens_the_links(client, auth, make_user, outbox):
    make_user("salma@example.org")
    accounts.request_password_reset("salma@example.org")
    [message] = outbox(kind="reset_password")
    token = re.search(r"/auth/reset/(\S+)", message.body_text).group(1)
    page = admin_reads(client, make_user, auth, message.id)
    assert f'/auth/reset/{token}"' in page  # a link to click, in place of a mail server


def test_development_shows_links_and_production_hides_them():
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert DevelopmentConfig.OUTBOX_SHOWS_LINKS
    assert not ProductionConfig.OUTBOX_SHOWS_LINKS and not TestingConfig.OUTBOX_SHOWS_LINKS
