"""/metrics: requests by route and status with their latency, and the backlog counted at each
scrape; for the allowed addresses or the bearer token only."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from diaspora.extensions import db
from diaspora.models import OutboxMessage
from tests.matches.conftest import make_expert, make_project  # noqa: F401
from tests.web.test_database_down import outage  # noqa: F401

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def samples(response) -> dict:
    """{(name, frozenset(labels)): value} of a scrape."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for s in family.samples
    }


def value(scraped, name, **labels):
    return scraped.get((name, frozenset(labels.items())))


def test_metrics_are_refused_to_other_addresses(client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 403


@pytest.mark.config(TRUSTED_PROXY_HOPS=1)
def test_a_visitor_behind_the_proxy_is_refused_though_the_proxy_is_local(client):
    # ProxyFix gives the visitor's address: the proxy on 127.0.0.1 must not open the door.
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 403


@pytest.mark.config(METRICS_TOKEN="s3cret-scraper-token")
@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        ("Bearer s3cret-scraper-token", 200),
        ("bearer s3cret-scraper-token", 200),
        ("Bearer wrong", 403),
        ("Bearer s3cret-scraper-tokén", 403),
        ("Basic s3cret-scraper-token", 403),
        ("", 403),
    ],
)
def test_the_bearer_token_opens_metrics_from_anywhere(client, authorization, status):
    response = client.get(
        "/metrics", environ_base=OUTSIDE, headers={"Authorization": authorization}
    )
    assert response.status_code == status


@pytest.mark.config(METRICS_ALLOW_FROM="10.0.0.0/8, 192.0.2.7")
def test_the_allow_list_takes_networks_and_addresses(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer listed


def test_requests_are_counted_by_route_and_status_with_their_latency(client):
    client.get("/")
    client.get("/")
    client.get("/projects/12345")  # a route with an id: sends guests to log in
    client.get("/no-such-page")

    scraped = samples(client.get("/metrics"))

    count = "diaspora_http_request_duration_seconds_count"
    assert value(scraped, count, method="GET", route="/", status="200") == 2
    assert value(scraped, count, method="GET", route="/projects/<int:project_id>", status="302")
    assert value(scraped, count, method="GET", route="unmatched", status="404") == 1
    bucket = "diaspora_http_request_duration_seconds_bucket"
    assert value(scraped, bucket, method="GET", route="/", status="200", le="+Inf") == 2
    # The scrape itself is not counted.
    assert not any(dict(labels).get("route") == "/metrics" for _, labels in scraped)


def test_the_backlog_is_counted_when_scraped(client, make_institution, make_project, make_expert):  # noqa: F811
    from diaspora.models import Match

    project = make_project(make_institution())
    draft = make_project(project.institution, status="draft", ref="P-DRAFT")
    for n, target in enumerate([project, project, draft]):
        expert = make_expert(f"expert{n}@example.org")
        db.session.add(Match(project=target, expert_id=expert.id, status="suggested"))
    for n, status in enumerate(["pending", "pending", "failed", "sent"]):
        db.session.add(
            OutboxMessage(
                message_id=f"<{n}@test>",
                kind="test",
                to_address="a@example.org",
                subject="s",
                body_text="",
                body_html="",
                status=status,
            )
        )
    db.session.commit()

    scraped = samples(client.get("/metrics"))

    assert value(scraped, "diaspora_database_up") == 1
    assert value(scraped, "diaspora_outbox_messages", status="pending") == 2
    assert value(scraped, "diaspora_outbox_messages", status="failed") == 1
    assert value(scraped, "diaspora_outbox_lag_seconds") is not None
    # The review queue's own count: suggestions of published projects.
    assert value(scraped, "diaspora_suggestions_waiting_review") == 2


def test_metrics_still_answer_when_the_database_is_down(client, outage):  # noqa: F811
    client.get("/")
    outage.start()
    response = client.get("/metrics")
    assert response.status_code == 200
    scraped = samples(response)
    assert value(scraped, "diaspora_database_up") == 0
    assert (
        value(
            scraped,
            "diaspora_http_request_duration_seconds_count",
            method="GET",
            route="/",
            status="200",
        )
        == 1
    )
