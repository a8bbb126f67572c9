"""`flask create-admin` takes exactly the addresses the log-in form takes: one rule for both, so
no admin is created who could never sign in."""

import pytest

from diaspora.models import User
from tests.conftest import PASSWORD

REFUSED = [
    "admin@localhost",
    "not an email",
    "admin@",
    "@example.org",
    "admin@example..org",
    "admin@exam ple.org",
    "a" * 250 + "@example.org",
]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_the_log_in_form_refuses_makes_no_admin(client, runner, address):
    page = client.post("/auth/login", data={"email": address, "password": PASSWORD})
    assert "Enter a valid email address." in page.get_data(as_text=True)
    result = runner.invoke(args=["create-admin", address, "--password", PASSWORD])
    assert result.exit_code != 0
    assert "Saisissez une adresse e-mail valide." in result.output  # the default language
    assert User.query.count() == 0


def test_the_admin_created_signs_in_through_the_form(client, runner, auth):
    result = runner.invoke(args=["create-admin", "Boss@Example.org", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert auth.login("boss@example.org").status_code == 302
    assert client.get("/admin/").status_code == 200
