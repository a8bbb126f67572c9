"""Every route answers the methods a browser, a proxy or a scanner may send: one the address
does not take is a 405, never a 500, and OPTIONS never fails, for guests included (an OPTIONS
request, which Flask-Login lets through without a user for CORS preflights, was a 500 on every
administration page). HEAD is a GET without the body: the guest's HEAD requests stand for it.
The method is refused before any object is read, so the ids in the addresses need not exist."""

from urllib.parse import urlsplit

import pytest

from diaspora.models import Role
from tests.security.conftest import log_in
from tests.test_no_server_errors import _urls


@pytest.mark.parametrize("role", [None, Role.ADMIN], ids=["guest", "admin"])
def test_a_method_an_address_does_not_take_is_405_and_none_fails(app, client, make_user, role):
    log_in(client, make_user(role=role) if role else None)
    methods = ("OPTIONS", "PUT", "DELETE") + ("HEAD",) * (role is None)
    adapter = app.url_map.bind("localhost")
    failures = []
    for rule in app.url_map.iter_rules():
        if not rule.methods & {"GET", "POST"}:
            continue  # reached through the same address as a GET or POST rule
        url = _urls(app, rule, {})[0]
        allowed = adapter.allowed_methods(urlsplit(url).path)
        for method in methods:
            status = client.open(url, method=method).status_code
            if (method not in allowed and status != 405) or status >= 500:
                failures.append(f"{method} {url}: {status}")
    assert failures == []
