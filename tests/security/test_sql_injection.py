"""SQL typed into any search box or filter is just text: pages answer normally, a filter never
widens to everything, and the database is untouched."""

import pytest

from tests.conftest import PASSWORD
from tests.security.conftest import log_in, snapshot

INJECTIONS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '" OR ""="',
    "1; DROP TABLE users; --",
    "' UNION SELECT email, password_hash FROM users --",
    "%' OR 1=1 OR '%'='",
    "\\'; DELETE FROM matches; --",
    "1) OR (1=1",
    "%",
    "_",
]


def searches(site) -> dict[str, list[str]]:
    """Every page that reads a search or filter from its address, with the names it reads."""
    return {
        "/matches/review": ["sector", "institution", "min_score", "min_age"],
        f"/matches/review/projects/{site.project.id}/add": ["q"],
        "/admin/audit": ["action", "actor", "subject", "since", "until", "page"],
        "/admin/mail": ["status", "page"],
        "/api/skills": ["q", "lang", "limit"],
        "/auth/login": ["email", "next"],
    }


@pytest.mark.parametrize("injection", INJECTIONS)
def test_sql_in_any_search_or_filter_is_plain_text_and_changes_nothing(client, site, injection):
    before = snapshot()
    for path, names in searches(site).items():
        for name in names:
            log_in(client, site.admin if path != "/auth/login" else None)
            response = client.get(path, query_string={name: injection})
            assert response.status_code == 200, (path, name)
    assert snapshot() == before


def test_sql_in_the_expert_search_finds_nobody(client, site):
    log_in(client, site.admin)
    add = f"/matches/review/projects/{site.project.id}/add"
    assert site.expert.user.email in client.get(add, query_string={"q": "salma"}).text
    for injection in INJECTIONS:
        page = client.get(add, query_string={"q": injection}).text
        assert site.expert.user.email not in page and site.invited.user.email not in page


def test_sql_in_the_audit_filters_shows_nothing_recorded(client, site):
    log_in(client, site.admin)
    assert "Nothing recorded." not in client.get("/admin/audit").text
    for injection in INJECTIONS:
        for name in ("action", "actor"):
            page = client.get("/admin/audit", query_string={name: injection}).text
            assert "Nothing recorded." in page, (name, injection)


def test_sql_in_the_outbox_filter_lists_no_message(client, site):
    log_in(client, site.admin)
    assert site.invited.user.email in client.get("/admin/mail").text
    for injection in INJECTIONS:
        page = client.get("/admin/mail", query_string={"status": injection}).text
        assert site.invited.user.email not in page


def test_sql_in_the_skill_autocomplete_answers_a_plain_list(client):
    for injection in INJECTIONS:
        response = client.get("/api/skills", query_string={"q": injection, "limit": injection})
        assert response.status_code == 200 and isinstance(response.json, list)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_sql_in_the_login_form_logs_nobody_in(client, site, injection):
    for data in (
        {"email": injection, "password": injection},
        {"email": site.member.email, "password": injection},
        {"email": f"{site.member.email}' --", "password": PASSWORD},
    ):
        response = client.post("/auth/login", data=data)
        assert response.status_code == 200
        assert client.get("/dashboard").status_code == 302  # still a guest
