"""Nobody learns whether an address has an account: signing up, logging in, asking for a reset
or a new confirmation link answer the same status and the same page, whatever the address,
apart from the address itself echoed back in the form."""

import re

import pytest

from diaspora.extensions import db
from diaspora.models import Role
from tests.conftest import PASSWORD

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')


def seen(response, typed: str) -> tuple:
    """What the visitor sees: where they end up, the status, the page without their address."""
    page = TOKEN.sub(r"\1\2", response.get_data(as_text=True))
    return response.request.path, response.status_code, page.replace(typed, "ADDRESS")


@pytest.fixture
def accounts(make_user, make_institution):
    """One address per kind of account, and addresses nobody uses."""
    institution = make_institution()
    make_user("salma@example.org")
    make_user("pending@example.org", verified=False)
    make_user("closed@example.org", active=False)
    imported = make_user("imported@example.org")
    imported.password_hash = None  # imported, never claimed
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution)
    db.session.commit()
    return institution


KNOWN = ["salma@example.org", "pending@example.org", "closed@example.org", "imported@example.org"]


def test_signing_up_with_a_taken_address_looks_like_signing_up_with_a_new_one(
    client, accounts, outbox
):
    answers = set()
    for email in ["nobody@example.org", *KNOWN]:
        response = client.post(
            "/auth/signup/expert",
            follow_redirects=True,
            data={
                "full_name": "Someone",
                "email": email,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "locale": "en",
            },
        )
        answers.add(seen(response, email))
    assert len(answers) == 1
    assert next(iter(answers))[:2] == ("/auth/check-email", 200)
    # The owner of a taken address is told by email; the typist learns nothing on screen.
    assert [m.kind for m in outbox(to="salma@example.org")] == ["account_exists"]
    assert [m.kind for m in outbox(to="nobody@example.org")] == ["verify_email"]


def test_joining_an_institution_with_a_taken_address_looks_the_same(client, accounts):
    answers = set()
    for email in ("new.member@sante.gov.ma", "nadia@sante.gov.ma"):
        response = client.post(
            "/auth/signup/institution",
            follow_redirects=True,
            data={
                "full_name": "Someone",
                "email": email,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "locale": "en",
                "join": "existing",
                "institution_id": str(accounts.id),
                "institution_kind": "ministry",
            },
        )
        answers.add(seen(response, email))
    assert len(answers) == 1
    assert next(iter(answers))[:2] == ("/auth/check-email", 200)


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, accounts):
    answers = set()
    for email in ["nobody@example.org", *KNOWN]:
        response = client.post("/auth/login", data={"email": email, "password": "not the password"})
        answers.add(seen(response, email))
    assert len(answers) == 1
    path, status, page = answers.pop()
    assert status == 200 and "Wrong email address or password." in page


def test_asking_for_a_reset_link_says_the_same_for_any_address(client, accounts, outbox):
    answers = set()
    for email in ["nobody@example.org", *KNOWN]:
        response = client.post("/auth/reset", data={"email": email}, follow_redirects=True)
        answers.add(seen(response, email))
    assert len(answers) == 1
    assert "If an account uses this address" in answers.pop()[2]
    assert outbox(kind="reset_password", to="nobody@example.org") == []


def test_asking_for_a_new_confirmation_link_says_the_same_for_any_address(client, accounts):
    answers = set()
    for email in ["nobody@example.org", *KNOWN]:
        response = client.post("/auth/verify/resend", data={"email": email}, follow_redirects=True)
        answers.add(seen(response, email))
    assert len(answers) == 1
