"""Issue 12's story end to end, through the pages people use and a real SMTP server on
127.0.0.1: an institution is registered with evidence and verified, its manager invites a
colleague who joins and publishes a project, the engine suggests an expert, an admin approves,
the expert accepts from the email, the collaboration starts, hours are logged and confirmed, it
completes, and the certificate's code verifies on the public page (a forged one does not).

Only the admin's cron commands are run as commands. Every email of the story arrives once, to
the right person, in that person's language, with a text and an HTML part; the optional ones,
and only they, carry the List-Unsubscribe headers."""

import re
from collections import defaultdict
from datetime import date, timedelta

import pytest

from diaspora.models import Role
from diaspora.services import collaborations
from tests.conftest import PASSWORD, link_in
from tests.institutions.conftest import signup_data

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NADIA, SARA = "nadia@agri.gov.ma", "sara@agri.gov.ma"  # the institution's members: French
ADMIN = "admin@diaspora.ma"  # English
SALMA = "expert1@example.org"  # the expert: Arabic
LANGUAGE = {NADIA: "fr", SARA: "fr", ADMIN: "en", SALMA: "ar"}
OUTCOME = "Un modèle de dépistage validé sur 2 000 images, et sa documentation."


class Mailbox:
    """What the SMTP server received, read person by person as the story goes."""

    def __init__(self, smtp_server, runner):
        self.server = smtp_server
        self.runner = runner
        self.read = 0

    def deliver(self):
        """The outbox worker's cron line: send what is pending."""
        result = self.runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0 and "failed 0" in result.output, result.output

    def new(self) -> dict[str, list]:
        """Deliver, then the messages that arrived since the last call, by recipient."""
        self.deliver()
        arrived = self.server.messages[self.read :]
        self.read = len(self.server.messages)
        by_person = defaultdict(list)
        for recipients, message in arrived:
            assert len(recipients) == 1, recipients  # one email per person
            by_person[recipients[0]].append(message)
        return dict(by_person)


def kind(message) -> str:
    """The outbox names each email's kind in its stable Message-ID, "<kind.uuid@host>"."""
    return message["Message-ID"].strip().strip("<>").split(".")[0]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def kinds(messages) -> list[str]:
    return [kind(m) for m in messages]


def person(app, lang):
    """A browser of one person: its own cookies, asking for their language."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def log_in(client, email):
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and "/auth/login" not in response.location


def posted(client, path, data=None, expect=302):
    response = client.post(path, data=data or {})
    assert response.status_code == expect, (path, response.get_data(as_text=True)[:2000])
    return response


def page(client, path) -> str:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def first(pattern, text) -> str:
    found = re.search(pattern, text)
    assert found, pattern
    return found.group(1)


def test_the_whole_story_tells_everyone_once_in_their_language(
    app, runner, smtp_app, smtp_server, make_user, make_fitting_experts
):
    make_user(ADMIN, role=Role.ADMIN, name="Amina Admin", locale="en")
    make_fitting_experts(["Salma Bennani"], locale="ar")
    mail = Mailbox(smtp_server, runner)
    story = []  # every message, in the order they arrived

    def arrived(expected: dict[str, list[str]]) -> dict[str, list]:
        got = mail.new()
        assert {to: kinds(ms) for to, ms in got.items()} == expected
        story.extend(m for ms in got.values() for m in ms)
        return got

    # Nadia registers her ministry, with an address at its official domain.
    nadia, sara, admin, salma = (person(app, LANGUAGE[e]) for e in (NADIA, SARA, ADMIN, SALMA))
    posted(nadia, "/auth/signup/institution", signup_data(email=NADIA, locale="fr"))
    (verify,) = arrived({NADIA: ["verify_email"]})[NADIA]
    assert nadia.get(link_in(text_of(verify), "/auth/verify/")).status_code == 302
    log_in(nadia, NADIA)

    # The admin's morning summary counts her institution; a second run says nothing again.
    for _ in range(2):
        assert runner.invoke(args=["notifications", "daily"]).exit_code == 0
    (summary,) = arrived({ADMIN: ["admin_daily"]})[ADMIN]
    assert "Institutions to verify: 1" in text_of(summary)

    # The admin reads the evidence and verifies the institution: Nadia is told.
    log_in(admin, ADMIN)
    institutions = page(admin, "/admin/institutions")
    assert "agri.gov.ma" in institutions
    institution_id = first(r"/admin/institutions/(\d+)/verify", institutions)
    posted(admin, f"/admin/institutions/{institution_id}/verify")
    (verified,) = arrived({NADIA: ["institution_verified"]})[NADIA]
    assert "Ministère de l'Agriculture" in verified["Subject"]

    # Nadia, its manager, invites Sara, who follows the link and creates her account.
    assert "sara" not in page(nadia, f"/institutions/{institution_id}/members")
    posted(nadia, f"/institutions/{institution_id}/invitations", {"email": SARA})
    (invitation,) = arrived({SARA: ["member_invitation"]})[SARA]
    join = link_in(text_of(invitation), "/institutions/join/")
    assert SARA in page(sara, join)
    joined = posted(
        sara,
        join,
        {"full_name": "Sara Alami", "password": PASSWORD, "confirm": PASSWORD, "locale": "fr"},
    )
    assert joined.location.endswith("/dashboard")
    assert "Sara Alami" in page(nadia, f"/institutions/{institution_id}/members")

    # Sara writes and publishes a project; the engine finds Salma, who hears of it.
    created = posted(
        sara,
        "/projects/new",
        {
            "title": "Rétinopathie diabétique",
            "description": "Dépister la rétinopathie sur les images de fond d'œil.",
            "sector": "health",
            "skills-0-name": "computer vision",
            "skills-0-level": "2",
            "skills-0-need": "required",
            "languages": ["fr"],
            "mode": "remote",
            "hours_per_month": "8",
            "seats": "1",
            "starts_on": (date.today() + timedelta(days=30)).isoformat(),
            "duration_months": "6",
            "action": "save",
        },
    )
    project = created.location.removeprefix("http://localhost")
    posted(sara, f"{project}/status", {"to": "published"})
    (alert,) = arrived({SALMA: ["project_alert"]})[SALMA]  # a project for her profile
    assert "Rétinopathie diabétique" in text_of(alert)

    # The admin approves the suggestion: Salma is invited, the members are told.
    queue = page(admin, "/matches/review")
    assert "Salma Bennani" in queue and "Rétinopathie diabétique" in queue
    match_id = first(r"/matches/(\d+)/approve", queue)
    posted(admin, f"/matches/{match_id}/approve")
    got = arrived({SALMA: ["invitation"], NADIA: ["project_invited"], SARA: ["project_invited"]})

    # Salma accepts from the email, without logging in.
    accept = link_in(text_of(got[SALMA][0]), "/accept")
    assert "Rétinopathie diabétique" in page(salma, accept)
    assert salma.post(accept).status_code == 200
    got = arrived({NADIA: ["invitation_accepted"], SARA: ["invitation_accepted"]})
    accepted = page(nadia, link_in(text_of(got[NADIA][0]), "/matches/"))
    assert "Salma Bennani" in accepted and "expert1@example.org" in accepted
    collaboration = first(r'href="(/collaborations/\d+)"', accepted)

    # Nadia confirms the start: Salma is told, Sara hears that its status changed.
    today = collaborations.today()
    posted(nadia, f"{collaboration}/start", {"started_on": today.isoformat()})
    arrived({SALMA: ["collaboration_update"], SARA: ["collaboration_changed"]})

    # Salma logs this month's hours; the members are asked to confirm them.
    log_in(salma, SALMA)
    month = collaborations.first_of_month(today).isoformat()
    posted(salma, f"{collaboration}/hours", {"month": month, "hours": "12"})
    arrived({NADIA: ["collaboration_hours_logged"], SARA: ["collaboration_hours_logged"]})

    # Sara confirms them, then completes the collaboration with what was delivered.
    entry = first(rf"{collaboration}/hours/(\d+)", page(sara, collaboration))
    posted(sara, f"{collaboration}/hours/{entry}", {"decision": "confirm"})
    arrived({SALMA: ["collaboration_update"]})
    posted(sara, f"{collaboration}/complete", {"outcome": OUTCOME})
    arrived({SALMA: ["collaboration_update"], NADIA: ["collaboration_changed"]})

    # Salma downloads her certificate; anyone checks its code, and a forged one is refused.
    code = first(r"<code[^>]*>([A-Z0-9-]+)</code>", page(salma, collaboration))
    pdf = salma.get(f"{collaboration}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    anyone = person(app, "fr")
    checked = page(anyone, f"/certificates/verify?code={code.lower()}")
    assert "Salma Bennani" in checked and "Rétinopathie diabétique" in checked
    assert "12" in checked and OUTCOME in checked
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused = anyone.get(f"/certificates/verify?code={forged}", follow_redirects=True)
    assert refused.status_code == 404 and "Salma Bennani" not in refused.get_data(as_text=True)

    # Nothing was left to send, and nothing was sent twice.
    assert mail.new() == {}
    ids = [m["Message-ID"] for m in story]
    assert len(ids) == len(set(ids))
    optional = set()
    for message in story:
        (to,) = [a.addr_spec for a in message["To"].addresses]
        assert message["Content-Language"] == LANGUAGE[to], (kind(message), to)
        assert {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}
        assert bool(message["List-Unsubscribe"]) == bool(message["List-Unsubscribe-Post"])
        if message["List-Unsubscribe"]:
            optional.add(kind(message))
    assert optional == {
        "admin_daily",
        "project_invited",
        "invitation_accepted",
        "collaboration_changed",
        "collaboration_hours_logged",
        "collaboration_update",
        "project_alert",
    }
