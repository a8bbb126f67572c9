"""`/projects/new?institution=…` reads its number as every query-string number is read: a
value too large for the database, or not a number, is no institution (a 500 on PostgreSQL)."""

import pytest

from diaspora.models import Role
from tests.conftest import PASSWORD


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "²", "1.5", "x", ""])
def test_an_odd_institution_number_is_no_server_error(
    client, auth, make_user, make_institution, value
):
    member = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    auth.login(member.email, PASSWORD)
    response = client.get(f"/projects/new?institution={value}")
    assert response.status_code in (200, 403, 404)


def test_the_only_institution_is_taken_when_none_is_named(
    client, auth, make_user, make_institution
):
    member = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    auth.login(member.email, PASSWORD)
    assert client.get("/projects/new").status_code == 200
