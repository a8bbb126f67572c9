"""Guessing a password is slowed down where the guesses come from, and only there: after a few
wrong passwords for one account from one client address, each further try from that address
waits a growing delay. The owner, elsewhere, still logs in; so does everyone behind the same
TLS proxy, whose address ProxyFix replaces by the client's. The 429 page says how long to wait
and links back; JSON clients get the same facts."""

import re
import types

import limits.storage.memory
import pytest

import diaspora.auth.login_delays
from tests.conftest import PASSWORD

# The per-IP limit stays at its default (10 per minute): these tests stay under it.
SETTINGS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_FREE_FAILURES": 3,
    "LOGIN_DELAY_SECONDS": 2,
    "LOGIN_DELAY_MAX_SECONDS": 60,
}
pytestmark = pytest.mark.config(**SETTINGS)

OWNER = "salma@example.org"


class Clock:
    """The rate-limit storage's time, moved by hand: delays pass without sleeping."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_900_000_000.0)  # any fixed moment: only the differences matter
    for module in (limits.storage.memory, diaspora.auth.login_delays):
        monkeypatch.setattr(module, "time", types.SimpleNamespace(time=fake.time))
    return fake


@pytest.fixture
def owner(make_user):
    return make_user(OWNER)


def try_login(client, password="wrong guess", ip="203.0.113.7", email=OWNER, **kwargs):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
        **kwargs,
    )


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(client, owner, clock):
    for n in range(40):  # from many addresses, far past the old account-wide limit of 10
        try_login(client, ip=f"198.51.100.{n % 8}")
    assert try_login(client, PASSWORD, ip="192.0.2.1").status_code == 302


@pytest.mark.config(**SETTINGS, LOGIN_LIMIT="1000 per minute")
def test_after_a_few_failures_each_try_from_that_address_waits_longer(client, owner, clock):
    assert [try_login(client).status_code for _ in range(3)] == [200, 200, 200]
    waits = []
    for _ in range(6):
        refused = try_login(client, PASSWORD)  # even the right password waits its turn
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += waits[-1]
        assert try_login(client).status_code == 200  # the next wrong guess, once allowed
    assert waits == [2, 4, 8, 16, 32, 60]  # doubling, up to LOGIN_DELAY_MAX_SECONDS


def test_the_delay_is_for_that_account_from_that_address_only(client, owner, make_user, clock):
    make_user("karim@example.org")
    for _ in range(4):
        try_login(client, ip="203.0.113.7")
    assert try_login(client, PASSWORD, ip="203.0.113.7").status_code == 429
    assert try_login(client, PASSWORD, ip="192.0.2.1").status_code == 302
    other = try_login(client, PASSWORD, ip="203.0.113.7", email="karim@example.org")
    assert other.status_code == 302


def test_unknown_addresses_are_delayed_like_known_ones(client, owner, clock):
    for email in (OWNER, "nobody@example.org"):
        codes = [try_login(client, email=email).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]


def test_logging_in_starts_the_count_afresh(client, owner, clock):
    for _ in range(2):
        try_login(client)
    assert try_login(client, PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert [try_login(client).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_429_page_says_how_long_to_wait_and_links_back(client, owner, clock):
    for _ in range(3):
        try_login(client)
    page = try_login(client).get_data(as_text=True)
    assert "Please wait 2 seconds" in page
    assert re.search(r'href="/auth/login"', page)
    french = try_login(client, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Veuillez patienter 2\xa0secondes" in french


@pytest.mark.parametrize(
    ("delay", "words"),
    [(61, "61 seconds"), (100, "2 minutes"), (900, "15 minutes"), (3601, "2 hours")],
)
def test_the_wait_is_never_understated(app, client, owner, clock, delay, words):
    app.config.update(LOGIN_DELAY_SECONDS=delay, LOGIN_DELAY_MAX_SECONDS=delay)
    for _ in range(3):
        try_login(client)
    response = try_login(client)
    assert response.headers["Retry-After"] == str(delay)
    assert f"Please wait {words}," in response.get_data(as_text=True)


def test_json_clients_get_the_same_facts(client, owner, clock):
    for _ in range(3):
        try_login(client)
    response = try_login(client, headers={"Accept": "application/json"})
    assert response.status_code == 429
    assert response.json["retry_after"] == int(response.headers["Retry-After"]) == 2
    assert "Please wait 2 seconds" in response.json["error"]


@pytest.mark.config(**SETTINGS, RESET_LIMIT="2 per minute")
def test_a_per_address_limit_says_when_it_resets(client):
    for _ in range(2):
        client.post("/auth/reset", data={"email": "x@example.org"})
    response = client.post("/auth/reset", data={"email": "x@example.org"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61  # the window's end, rounded up
    page = response.get_data(as_text=True)
    assert "Please wait" in page and 'href="/auth/reset"' in page


@pytest.mark.config(**SETTINGS, TRUSTED_PROXY_HOPS=1)
def test_behind_a_proxy_each_visitor_counts_for_themselves(client, owner, clock):
    proxy = "10.0.0.1"  # every request reaches the app from the proxy
    for _ in range(12):
        try_login(client, ip=proxy, headers={"X-Forwarded-For": "198.51.100.9"})
    owner_login = try_login(client, PASSWORD, ip=proxy, headers={"X-Forwarded-For": "192.0.2.1"})
    assert owner_login.status_code == 302


@pytest.mark.config(**SETTINGS, TRUSTED_PROXY_HOPS=0)
def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, owner, clock):
    codes = [
        try_login(client, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
