"""Signing up with an address that has an account does the same work as with a new one (the
password is hashed either way, so the time taken does not tell which addresses exist), and two
sign-ups with one address at the same moment end as "address taken" for the second, not as
a server error."""

import pytest
from sqlalchemy import create_engine, insert

from diaspora.models import Role, User
from diaspora.models.base import utcnow
from diaspora.services import accounts
from tests.conftest import FAST_HASH, PASSWORD

TAKEN = "salma@example.org"


def sign_up(client, form: str, email: str, institution_id: int):
    data = {
        "full_name": "Someone",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
    }
    if form == "institution":
        data |= {
            "join": "existing",
            "institution_id": str(institution_id),
            "institution_kind": "ministry",
        }
    return client.post(f"/auth/signup/{form}", data=data)


@pytest.fixture
def institution(make_institution):
    return make_institution(domain="example.org")


@pytest.mark.parametrize("form", ["expert", "institution"])
def test_the_password_is_hashed_whether_or_not_the_address_is_taken(
    client, make_user, form, institution, monkeypatch
):
    make_user(TAKEN)
    hashed = []
    real = accounts.generate_password_hash

    def counting_hash(password, *args, **kwargs):
        hashed.append(password)
        return real(password, "pbkdf2:sha256:1000")

    monkeypatch.setattr(accounts, "generate_password_hash", counting_hash)
    for email in ("new.person@example.org", TAKEN):
        hashed.clear()
        assert sign_up(client, form, email, institution.id).status_code == 302
        assert hashed == [PASSWORD], email


@pytest.mark.parametrize("form", ["expert", "institution"])
def test_a_sign_up_beaten_by_another_with_the_same_address_is_told_it_is_taken(
    app, client, form, institution, outbox, monkeypatch
):
    real_lookup = accounts.find_user_by_email
    raced = []

    def lookup_then_lose_the_race(email):
        found = real_lookup(email)
        if not raced:
            # The other sign-up commits between our check and our insert.
            raced.append(email)
            engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
            with engine.begin() as other:
                other.execute(
                    insert(User).values(
                        email=TAKEN,
                        full_name="First",
                        password_hash=FAST_HASH,
                        role=Role.EXPERT,
                        locale="en",
                        active=True,
                        created_at=utcnow(),
                    )
                )
            engine.dispose()
        return found

    monkeypatch.setattr(accounts, "find_user_by_email", lookup_then_lose_the_race)
    response = sign_up(client, form, TAKEN, institution.id)
    assert raced == [TAKEN]
    assert response.status_code == 302 and response.location == "/auth/check-email"
    assert [u.full_name for u in User.query.filter_by(email=TAKEN)] == ["First"]
    assert [m.kind for m in outbox(to=TAKEN)] == ["account_exists"]
