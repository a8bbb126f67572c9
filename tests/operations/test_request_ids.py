"""Every response names its request (X-Request-ID); the request's log line, and the outbox rows
and audit entries it wrote, carry the same id."""

import logging
import re

import pytest

from diaspora.models import AuditEntry, OutboxMessage
from tests.conftest import link_in

GENERATED = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "diaspora.requests"]


def test_each_response_has_a_new_request_id(client):
    first = client.get("/").headers["X-Request-ID"]
    second = client.get("/").headers["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


def test_a_clients_request_id_is_not_taken_without_a_trusted_proxy(client):
    response = client.get("/", headers={"X-Request-ID": "chosen-by-the-client"})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.config(TRUST_REQUEST_ID=True)
def test_the_trusted_proxys_request_id_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "5f0c2a9e-proxy.id_1"})
    assert response.headers["X-Request-ID"] == "5f0c2a9e-proxy.id_1"


@pytest.mark.config(TRUST_REQUEST_ID=True)
@pytest.mark.parametrize(
    "offered", ['a" injected="1', "line\\nbreak", "x" * 65, "", "é-accent", "a b"]
)
def test_a_malformed_request_id_is_replaced(client, offered):
    response = client.get("/", headers={"X-Request-ID": offered})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


def test_one_log_line_per_request_with_who_what_and_how_long(client, auth, make_user, caplog):
    caplog.set_level(logging.INFO, logger="diaspora.requests")
    user = make_user("salma@example.org")
    auth.login("salma@example.org")
    caplog.clear()

    response = client.get("/dashboard")

    (line,) = request_lines(caplog)
    assert line.request_id == response.headers["X-Request-ID"]
    assert (line.method, line.path, line.endpoint, line.status) == (
        "GET",
        "/dashboard",
        "main.dashboard",
        200,
    )
    assert line.user_id == user.id and line.duration_ms >= 0


def test_the_log_line_is_json(app, client, caplog):
    from diaspora.request_log import json_formatter

    caplog.set_level(logging.INFO, logger="diaspora.requests")
    client.get("/about")
    import json

    (line,) = request_lines(caplog)
    logged = json.loads(json_formatter().format(line))
    assert logged["path"] == "/about" and logged["status"] == 200 and logged["user_id"] is None
    assert logged["level"] == "INFO" and logged["request_id"] and logged["time"]


def test_a_password_reset_request_stores_its_request_id_on_the_email_and_the_audit_entry(
    client, make_user, outbox, caplog
):
    caplog.set_level(logging.INFO, logger="diaspora.requests")
    make_user("salma@example.org")

    response = client.post("/auth/reset", data={"email": "salma@example.org"})

    request_id = response.headers["X-Request-ID"]
    (email,) = outbox(kind="reset_password")
    (entry,) = AuditEntry.query.filter_by(action="user.reset_requested").all()
    assert email.request_id == request_id == entry.request_id
    assert [r.request_id for r in request_lines(caplog)] == [request_id]

    # The link's token is a password while it lives: the log names its route instead.
    caplog.clear()
    client.get(link_in(email.body_text, "/auth/reset/"))
    (line,) = request_lines(caplog)
    assert line.path == "/auth/reset/<token>"


def test_rows_written_outside_a_request_have_no_request_id(app, make_user, runner):
    make_user("salma@example.org")
    from diaspora.services import accounts

    accounts.request_password_reset("salma@example.org")
    assert OutboxMessage.query.one().request_id is None
    assert AuditEntry.query.one().request_id is None
