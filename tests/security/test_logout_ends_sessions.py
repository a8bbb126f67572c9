"""Signed-in sessions live on the server: logging out ends them, so a session or remember-me
cookie copied before (from a shared computer, a proxy log, malware) no longer signs anyone in.
A password change ends the other devices' sessions, a reset ends all, and sessions expire."""

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import update

from diaspora.extensions import db
from diaspora.models import LoginSession
from diaspora.models.base import utcnow
from tests.conftest import PASSWORD, link_in

DASHBOARD = "/dashboard"


def logged_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def log_in(client, remember=False):
    data = {"email": "salma@example.org", "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302


def browser(app, **cookies):
    """Another browser holding only the given cookies."""
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


@pytest.fixture
def salma(make_user):
    return make_user("salma@example.org")


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, salma, cookie):
    log_in(client, remember=True)
    copied = client.get_cookie(cookie).value
    assert logged_in(browser(app, **{cookie: copied}))  # the copy alone signs in, until...
    client.post("/auth/logout")
    assert not logged_in(client)
    assert not logged_in(browser(app, **{cookie: copied}))


def test_logging_out_on_one_device_leaves_the_others_signed_in(app, client, salma):
    log_in(client)
    other = browser(app)
    log_in(other)
    client.post("/auth/logout")
    assert logged_in(other)


def test_changing_the_password_ends_the_other_devices_sessions_only(app, client, salma):
    log_in(client)
    laptop = browser(app)
    log_in(laptop, remember=True)
    thief = browser(app, remember_token=laptop.get_cookie("remember_token").value)
    response = client.post(
        "/auth/account",
        data={
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-password": "a brand new passphrase",
            "pw-confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert logged_in(client)
    assert not logged_in(laptop)
    assert not logged_in(thief)


def test_resetting_the_password_ends_every_session(app, client, salma, outbox):
    log_in(client, remember=True)
    stranger = browser(app)
    stranger.post("/auth/reset", data={"email": "salma@example.org"})
    reset_path = link_in(outbox(kind="reset_password")[-1].body_text, "/auth/reset/")
    stranger.post(
        reset_path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert not logged_in(client)
    assert not logged_in(browser(app, remember_token=client.get_cookie("remember_token").value))


def test_a_session_left_unused_too_long_ends(app, client, salma):
    log_in(client)
    idle = timedelta(hours=app.config["LOGIN_IDLE_HOURS"], minutes=1)
    db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()
    assert not logged_in(client)


def test_keep_me_logged_in_lasts_a_month_not_a_year(app, client, salma):
    data = {"email": "salma@example.org", "password": PASSWORD, "remember": "y"}
    response = client.post("/auth/login", data=data)
    header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    )
    expires = next(
        part.split("=", 1)[1] for part in header.split("; ") if part.lower().startswith("expires=")
    )
    lifetime = parsedate_to_datetime(expires).replace(tzinfo=None) - utcnow()
    assert timedelta(days=29) < lifetime <= timedelta(days=31)
    # The server keeps to the same span, whatever the cookie's copy claims.
    month = app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1)
    db.session.execute(update(LoginSession).values(created_at=utcnow() - month))
    db.session.commit()
    assert not logged_in(browser(app, remember_token=client.get_cookie("remember_token").value))


def test_the_database_holds_no_key_that_would_sign_anyone_in(client, salma):
    log_in(client, remember=True)
    key = client.get_cookie("remember_token").value.split("|")[0]
    stored = db.session.scalars(db.select(LoginSession.key_digest)).all()
    assert len(stored) == 1 and key not in stored[0] and stored[0] not in key
