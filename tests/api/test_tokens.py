"""Personal access tokens: made and revoked on the account page, shown once, stored hashed,
scoped, expiring, limited per token; and a browser's session never opens the API."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import ApiToken, Role
from diaspora.models.base import utcnow
from diaspora.services import accounts, api_tokens
from diaspora.services.errors import ValidationFailed


def _log_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = accounts.start_session(user)
        session["_fresh"] = True
    db.session.rollback()


def _create_on_the_page(client, name="Registry sync", scope="read", days="30"):
    return client.post(
        "/auth/account",
        data={
            "action": "token_create",
            "tok-name": name,
            "tok-scope": scope,
            "tok-lifetime_days": days,
        },
    )


def _shown_secret(page: str) -> str:
    return re.search(r'id="new-token"[^>]*value="(dsp_[^"]+)"', page).group(1)


def test_a_token_made_on_the_account_page_is_shown_once_and_opens_the_api(client, api, world):
    _log_in(client, world.users["member"])
    made = _create_on_the_page(client)
    assert made.status_code == 200
    secret = _shown_secret(made.get_data(as_text=True))
    assert made.headers["Cache-Control"] == "no-store"
    later = client.get("/auth/account").get_data(as_text=True)
    assert secret not in later and secret[: api_tokens.PREFIX_LENGTH] in later
    assert api.get("/api/v1/projects", secret).status_code == 200


def test_the_new_token_is_shown_on_a_page_of_its_own_not_beside_earlier_tokens(client, world):
    _log_in(client, world.users["member"])
    _create_on_the_page(client, name="Registry sync")
    made = _create_on_the_page(client, name="HR export")
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "HR export" in page and _shown_secret(page)
    assert "Registry sync" not in page  # the answer does not grow with every token made
    assert "Registry sync" in client.get("/auth/account").get_data(as_text=True)


def test_a_token_is_never_stored_in_clear(client, world):
    _log_in(client, world.users["member"])
    secret = _shown_secret(_create_on_the_page(client).get_data(as_text=True))
    row = db.session.execute(
        select(ApiToken.__table__).where(ApiToken.name == "Registry sync")
    ).one()
    assert secret not in [str(value) for value in row]
    assert not any(secret[api_tokens.PREFIX_LENGTH :] in str(value) for value in row)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[: api_tokens.PREFIX_LENGTH]


def test_a_revoked_token_is_refused(client, api, world):
    _log_in(client, world.users["member"])
    secret = _shown_secret(_create_on_the_page(client).get_data(as_text=True))
    token = ApiToken.query.filter_by(name="Registry sync").one()
    revoked = client.post("/auth/account/tokens/revoke", data={"rev-token_id": str(token.id)})
    assert revoked.status_code == 302
    answer = api.get("/api/v1/projects", secret)
    assert answer.status_code == 401
    assert answer.content_type == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Registry sync" not in client.get("/auth/account").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token(client, api, world):
    token = ApiToken.query.filter_by(user_id=world.users["member"].id).one()
    _log_in(client, world.users["other member"])
    answer = client.post("/auth/account/tokens/revoke", data={"rev-token_id": str(token.id)})
    assert answer.status_code == 404
    assert api.get("/api/v1/projects", world.tokens["member"]).status_code == 200


def test_an_expired_token_is_refused(api, world, token_for):
    secret = token_for(world.users["member"], days=30)
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == api_tokens.digest(secret)))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    answer = api.get("/api/v1/projects", secret)
    assert answer.status_code == 401
    assert answer.get_json()["title"] == "Unauthorized"


def test_the_token_of_a_closed_account_is_refused(api, world):
    world.users["member"].active = False
    db.session.commit()
    assert api.get("/api/v1/projects", world.tokens["member"]).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer dsp_guessed", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_unknown_token_is_refused(api, world, header):
    answer = api.get("/api/v1/projects", headers={"Authorization": header} if header else {})
    assert answer.status_code == 401
    assert answer.get_json()["status"] == 401


def test_a_read_token_reads_and_does_not_write(api, world, token_for):
    secret = token_for(world.users["member"], scope="read")
    assert api.get(f"/api/v1/projects/{world.draft.id}", secret).status_code == 200
    refused = api.post(f"/api/v1/projects/{world.draft.id}/publish", secret)
    assert refused.status_code == 403
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert db.session.get(type(world.draft), world.draft.id).status == "draft"


def test_last_use_is_noted(api, world):
    token = ApiToken.query.filter_by(user_id=world.users["admin"].id).one()
    assert token.last_used_at is None
    api.get("/api/v1/review/suggestions", world.tokens["admin"])
    db.session.expire_all()
    assert token.last_used_at is not None


def test_a_signed_in_browser_does_not_open_the_api(client, world):
    """No CSRF through the API: cookies authenticate nothing under /api/v1."""
    _log_in(client, world.users["member"])
    assert client.get("/projects/").status_code == 200  # the session works on the pages
    write = client.post(f"/api/v1/projects/{world.draft.id}/publish")
    read = client.get("/api/v1/projects")
    assert (write.status_code, read.status_code) == (401, 401)
    assert db.session.get(type(world.draft), world.draft.id).status == "draft"


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_a_token_needs_no_csrf_token(api, world):
    answer = api.post(f"/api/v1/projects/{world.draft.id}/publish", world.tokens["member"])
    assert answer.status_code == 200


@pytest.mark.config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
def test_requests_are_limited_per_token(api, world, token_for):
    other = token_for(world.users["member"])
    token = world.tokens["member"]
    answers = [api.get("/api/v1/projects", token) for _ in range(3)]
    answers.append(api.get("/api/v1/taxonomy/skills?q=python", token))  # counted with the rest
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.content_type == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["retry_after"] > 0
    assert api.get("/api/v1/projects", other).status_code == 200  # another token, another count


@pytest.mark.parametrize(
    ("name", "scope", "days", "field"),
    [("", "read", 30, "name"), ("x" * 101, "read", 30, "name"), ("CI", "admin", 30, "scope")]
    + [("CI", "read", 7, "lifetime_days")],
)
def test_a_token_needs_a_name_a_scope_and_a_lifetime_from_the_list(world, name, scope, days, field):
    before = ApiToken.query.count()
    with pytest.raises(ValidationFailed) as refused:
        api_tokens.create(world.users["expert"], name, scope, days)
    assert field in refused.value.reasons
    assert ApiToken.query.count() == before


def test_a_bad_token_form_is_shown_again_with_its_error(client, world):
    _log_in(client, world.users["expert"])
    answer = _create_on_the_page(client, name="")
    assert answer.status_code == 400
    assert 'id="new-token"' not in answer.get_data(as_text=True)


def test_every_role_makes_tokens(client, make_user):
    for role in Role.ALL:
        user = make_user(f"{role}@example.org", role=role)
        _log_in(client, user)
        assert 'id="new-token"' in _create_on_the_page(client).get_data(as_text=True)
