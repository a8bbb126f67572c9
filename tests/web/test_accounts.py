"""Account flows end to end through the test client, as a person would go through them."""

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Institution, User
from tests.conftest import PASSWORD, link_in

NEW_PASSWORD = "a brand new passphrase"


def signup_expert(client, email="salma@example.org", password=PASSWORD, **extra):
    data = {
        "full_name": "Salma Bennani",
        "email": email,
        "password": password,
        "confirm": password,
        "locale": "en",
        **extra,
    }
    return client.post("/auth/signup/expert", data=data)


def test_expert_signs_up_verifies_by_email_and_logs_in(client, auth, outbox):
    response = signup_expert(client)
    assert response.status_code == 302 and response.location.endswith("/auth/check-email")

    # Not verified yet: logging in is refused with a way to get a new link.
    page = auth.login("salma@example.org", follow=True)
    assert "Confirm your email address first" in page.get_data(as_text=True)

    [message] = outbox(kind="verify_email")
    assert message.to_address == "salma@example.org"
    assert message.locale == "en" and message.body_html and message.message_id.startswith("<")
    response = client.get(link_in(message.body_text, "/auth/verify/"))
    assert response.status_code == 302

    response = auth.login("salma@example.org")
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    assert "Salma Bennani" in client.get("/dashboard").get_data(as_text=True)
    actions = {e.action for e in AuditEntry.query.all()}
    assert {"user.signed_up", "user.email_verified"} <= actions


def test_signup_with_a_taken_address_says_the_same_and_tells_the_owner(client, make_user, outbox):
    make_user("taken@example.org")
    response = signup_expert(client, email="TAKEN@example.org")
    assert response.status_code == 302 and response.location.endswith("/auth/check-email")
    assert User.query.filter_by(email="taken@example.org").count() == 1
    assert [m.kind for m in outbox(to="taken@example.org")] == ["account_exists"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"full_name": ""}, "This field is required."),
    ],
)
def test_bad_signup_input_rerenders_the_form_with_a_message(client, data, message):
    response = signup_expert(client, **data)
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert User.query.count() == 0


def test_login_is_case_insensitive_on_the_address(client, auth, make_user):
    make_user("Karim@Example.org")
    assert auth.login("KARIM@example.ORG").status_code == 302


def test_wrong_password_and_unknown_address_get_the_same_answer(client, auth, make_user):
    make_user("karim@example.org")
    wrong = auth.login("karim@example.org", password="not the password").get_data(as_text=True)
    unknown = auth.login("nobody@example.org").get_data(as_text=True)
    assert "Wrong email address or password." in wrong
    assert "Wrong email address or password." in unknown


def test_password_reset_round_trip_and_link_is_single_use(client, auth, make_user, outbox):
    make_user("karim@example.org")
    response = client.post("/auth/reset", data={"email": "karim@example.org"})
    assert response.status_code == 302
    [message] = outbox(kind="reset_password")
    link = link_in(message.body_text, "/auth/reset/")

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert auth.login("karim@example.org", password=NEW_PASSWORD).status_code == 302

    auth.logout()
    again = client.post(
        link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_reset_does_not_reveal_whether_an_address_is_registered(client, make_user, outbox):
    make_user("karim@example.org")
    known = client.post("/auth/reset", data={"email": "karim@example.org"}, follow_redirects=True)
    unknown = client.post("/auth/reset", data={"email": "ghost@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: html.replace("karim@example.org", "").replace("ghost@example.org", "")  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert len(outbox(kind="reset_password")) == 1


def test_tampered_and_expired_links_are_refused(app, client, make_user):
    make_user("karim@example.org")
    assert client.get("/auth/verify/not-a-token").status_code == 400
    assert client.get("/auth/reset/garbage.token.here").status_code == 400
    from diaspora.services import tokens

    token = tokens.make("verify", {"uid": 1, "email": "karim@example.org"})
    app.config["VERIFY_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/auth/verify/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


@pytest.mark.config(RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per minute")
def test_login_is_throttled(client, auth, make_user):
    make_user("karim@example.org")
    codes = [auth.login("karim@example.org", password="wrong guess").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    # Throttled even with the right password: the attacker learns nothing more.
    assert auth.login("karim@example.org").status_code == 429


@pytest.mark.config(RATELIMIT_ENABLED=True, RESET_LIMIT="2 per minute")
def test_password_reset_is_throttled(client, outbox):
    codes = [
        client.post("/auth/reset", data={"email": "x@example.org"}).status_code for _ in range(3)
    ]
    assert codes == [302, 302, 429]


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_form_without_csrf_token_is_rejected_and_changes_nothing(client):
    response = signup_expert(client)
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert User.query.count() == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        " //evil.example",
    ],
)
def test_open_redirect_after_login_is_refused(client, auth, make_user, target):
    make_user("karim@example.org")
    response = auth.login("karim@example.org", next_url=target)
    assert response.status_code == 302
    assert response.location == "/dashboard"


def test_next_on_our_site_is_followed(client, auth, make_user):
    make_user("karim@example.org")
    response = auth.login("karim@example.org", next_url="/auth/account")
    assert response.location == "/auth/account"


def test_change_password_logs_out_other_sessions(app, client, auth, make_user):
    make_user("karim@example.org")
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    auth.login("karim@example.org")
    AuthOther = type(auth)(other)
    AuthOther.login("karim@example.org")
    response = client.post(
        "/auth/account",
        data={
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-password": NEW_PASSWORD,
            "pw-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200  # this session continues
    assert other.get("/dashboard").status_code == 302  # the other one is logged out


def test_change_password_with_wrong_current_password_changes_nothing(client, auth, make_user):
    user = make_user("karim@example.org")
    old_hash = user.password_hash
    auth.login("karim@example.org")
    response = client.post(
        "/auth/account",
        data={
            "action": "password",
            "pw-current_password": "not my password",
            "pw-password": NEW_PASSWORD,
            "pw-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "not your current password" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_email_change_takes_effect_only_after_the_new_address_confirms(
    client, auth, make_user, outbox
):
    user = make_user("karim@example.org")
    auth.login("karim@example.org")
    client.post(
        "/auth/account",
        data={"action": "email", "em-email": "karim@new.example", "em-password": PASSWORD},
    )
    db.session.refresh(user)
    assert user.email == "karim@example.org"
    [message] = outbox(kind="verify_email", to="karim@new.example")
    client.get(link_in(message.body_text, "/auth/verify/"))
    db.session.refresh(user)
    assert user.email == "karim@new.example"


def test_institution_member_of_new_institution_waits_for_verification(client, auth, outbox):
    data = {
        "full_name": "Nadia Berrada",
        "email": "nadia@agri.gov.ma",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
        "join": "new",
        "institution_name": "Ministère de l'Agriculture",
        "institution_kind": "ministry",
        "email_domain": "agri.gov.ma",
    }
    assert client.post("/auth/signup/institution", data=data).status_code == 302
    institution = Institution.query.one()
    assert not institution.is_verified
    [message] = outbox(kind="verify_email")
    assert message.locale == "en"
    client.get(link_in(message.body_text, "/auth/verify/"))
    auth.login("nadia@agri.gov.ma")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "waiting for verification" in page


def test_joining_an_existing_institution_requires_its_email_domain(client, make_institution):
    institution = make_institution(domain="sante.gov.ma")
    data = {
        "full_name": "Nadia",
        "email": "nadia@gmail.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "fr",
        "join": "existing",
        "institution_id": str(institution.id),
        "institution_kind": "ministry",
    }
    response = client.post("/auth/signup/institution", data=data)
    assert response.status_code == 200
    assert "@sante.gov.ma" in response.get_data(as_text=True)
    assert User.query.count() == 0


def test_admin_verifies_an_institution(client, auth, make_user, make_institution):
    admin = make_user("admin@example.org", role="admin")
    institution = make_institution(verified=False)
    auth.login(admin.email)
    response = client.post(f"/admin/institutions/{institution.id}/verify")
    assert response.status_code == 302
    db.session.refresh(institution)
    assert institution.is_verified and institution.verified_by_id == admin.id
    assert AuditEntry.query.filter_by(action="institution.verified").count() == 1


def test_non_admins_cannot_reach_admin_pages(client, auth, make_user):
    assert client.get("/admin/").status_code == 302  # guests are sent to log in
    make_user("karim@example.org")
    auth.login("karim@example.org")
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/institutions/1/verify").status_code == 403


def test_create_admin_command(runner):
    result = runner.invoke(args=["create-admin", "boss@example.org", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert User.query.filter_by(email="boss@example.org").one().role == "admin"
    weak = runner.invoke(args=["create-admin", "weak@example.org", "--password", "123"])
    assert weak.exit_code != 0 and User.query.filter_by(email="weak@example.org").count() == 0
