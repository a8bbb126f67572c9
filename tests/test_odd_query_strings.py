"""Query strings no form writes (bytes that are not UTF-8, direction marks alone, names without
"=", PHP-style brackets, repeated names, a language nobody offers; tests/odd_values.py) never
get a 500 from any page, for any role. tests/test_no_server_errors.py sends odd values one name
at a time; here every page reads all of them at once, with one log-in per role."""

import pytest

from diaspora.extensions import db
from diaspora.models import User
from tests.odd_values import QUERY_NAMES, odd_query_string
from tests.security.conftest import log_in
from tests.test_no_server_errors import _urls, world  # noqa: F401 (the fixture)


@pytest.mark.parametrize("role", ["guest", "expert", "member", "admin"])
def test_query_strings_no_form_writes_get_no_500(app, client, world, role):  # noqa: F811
    ids, user_ids = world
    log_in(client, db.session.get(User, user_ids[role]) if role != "guest" else None)
    query = odd_query_string(QUERY_NAMES)
    answers = {
        rule.endpoint: client.get(f"{_urls(app, rule, ids)[0]}?{query}").status_code
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    }
    assert {endpoint: status for endpoint, status in answers.items() if status >= 500} == {}
