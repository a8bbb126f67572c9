"""Nobody can flood an inbox through our forms: reset links, new confirmation links and "you
already have an account" emails reach one address at most ADDRESS_EMAIL_LIMIT times per window
and kind, however many client addresses ask; beyond it nothing is sent and the page answers
exactly as before (no hint of the limit, no hint of the account)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from diaspora.extensions import db
from diaspora.models import OutboxMessage
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.config(RATELIMIT_ENABLED=True, ADDRESS_EMAIL_LIMIT=3)

VICTIM = "salma@example.org"
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')


def ask_reset(client, email, ip):
    return client.post(
        "/auth/reset",
        data={"email": email},
        follow_redirects=True,
        environ_base={"REMOTE_ADDR": ip},
    )


def ask_confirmation(client, email, ip):
    return client.post(
        "/auth/verify/resend",
        data={"email": email},
        follow_redirects=True,
        environ_base={"REMOTE_ADDR": ip},
    )


def sign_up(client, email, ip):
    return client.post(
        "/auth/signup/expert",
        follow_redirects=True,
        environ_base={"REMOTE_ADDR": ip},
        data={
            "full_name": "Someone",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "locale": "en",
        },
    )


REQUESTS = {  # the form that sends it, and the kind of email it sends to an existing account
    "reset": (ask_reset, "reset_password"),
    "confirmation": (ask_confirmation, "verify_email"),
    "sign-up with a taken address": (sign_up, "account_exists"),
}


def seen(response) -> tuple:
    page = TOKEN.sub(r"\1\2", response.get_data(as_text=True))
    return response.request.path, response.status_code, page


@pytest.fixture
def victim(make_user):
    return make_user(VICTIM, verified=False)


@pytest.mark.parametrize("request_kind", REQUESTS)
def test_one_address_gets_a_few_emails_however_many_clients_ask(
    client, victim, outbox, request_kind
):
    ask, kind = REQUESTS[request_kind]
    answers = [seen(ask(client, VICTIM, f"10.0.0.{n}")) for n in range(11)]
    assert len(outbox(kind=kind, to=VICTIM)) == 3
    assert len(set(answers)) == 1  # the refused requests look like the others


@pytest.mark.parametrize("request_kind", REQUESTS)
def test_the_limit_of_one_address_leaves_the_others_alone(
    client, make_user, victim, outbox, request_kind
):
    ask, kind = REQUESTS[request_kind]
    make_user("karim@example.org", verified=False)
    for n in range(5):
        ask(client, VICTIM, f"10.0.1.{n}")
    ask(client, "karim@example.org", "10.0.1.9")
    assert len(outbox(kind=kind, to="karim@example.org")) == 1


def test_an_address_gets_emails_again_once_the_window_has_passed(app, client, victim, outbox):
    for n in range(4):
        ask_reset(client, VICTIM, f"10.0.2.{n}")
    assert len(outbox(kind="reset_password", to=VICTIM)) == 3
    window = timedelta(minutes=app.config["ADDRESS_EMAIL_WINDOW_MINUTES"], seconds=1)
    db.session.execute(update(OutboxMessage).values(created_at=utcnow() - window))
    db.session.commit()
    ask_reset(client, VICTIM, "10.0.2.9")
    assert len(outbox(kind="reset_password", to=VICTIM)) == 4


def test_asking_to_move_an_account_to_someone_elses_address_cannot_flood_it(
    client, auth, make_user, outbox
):
    make_user("karim@example.org")
    auth.login("karim@example.org")
    for _ in range(5):
        response = client.post(
            "/auth/account", data={"action": "email", "em-email": VICTIM, "em-password": PASSWORD}
        )
        assert response.status_code == 302
    assert len(outbox(kind="verify_email", to=VICTIM)) == 3
