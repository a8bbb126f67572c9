"""The staff email domain of a new institution follows the rule addresses follow, and is
measured as stored: a domain that grows when folded to lower case (a dotted capital I becomes
two characters) was a 500 on PostgreSQL."""

import pytest

from diaspora.models import Institution, User
from tests.conftest import PASSWORD


def signup(client, domain):
    data = {
        "full_name": "Nadia Berrada",
        "email": "nadia@agri.gov.ma",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
        "join": "new",
        "institution_name": "Ministère de l'Agriculture",
        "institution_kind": "ministry",
        "email_domain": domain,
    }
    return client.post("/auth/signup/institution", data=data)


@pytest.mark.parametrize(
    "domain",
    ["İ" * 120, "not a domain", "agri", "nadia@", "a..b.ma", "x" * 64 + ".ma", "-agri.gov.ma"],
)
def test_a_bad_domain_is_refused_with_a_message_and_nothing_is_created(client, domain):
    response = signup(client, domain)
    assert response.status_code == 200
    assert "Give a domain such as sante.gov.ma" in response.get_data(as_text=True)
    assert User.query.count() == 0 and Institution.query.count() == 0


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("agri.gov.ma", "agri.gov.ma"),
        ("@Agri.Gov.MA", "agri.gov.ma"),
    ],
)
def test_a_good_domain_is_stored_folded(client, typed, stored):
    assert signup(client, typed).status_code == 302
    assert Institution.query.one().email_domain == stored
