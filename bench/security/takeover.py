"""Account takeover and abuse, over HTTP against the running server with production's own
rate limits: what an attacker would try, each check with fresh rate-limit counters.

The server sits behind one trusted proxy hop (see server.TRUSTED_PROXY_HOPS), so a check speaks
"from" a client address by sending X-Forwarded-For; the addresses are from the documentation
ranges (RFC 5737) and only ever appear in that header.
"""

from __future__ import annotations

import re
import secrets
import urllib.parse

from bench.security.client import Client, logged_in_client, parse_page
from bench.security.findings import Finding
from bench.security.server import ADDRESS_EMAIL_LIMIT, ROLES, Stack

BURST = 20  # requests an attacker sends at one victim's address
MOST_EMAILS = int(ADDRESS_EMAIL_LIMIT["ADDRESS_EMAIL_LIMIT"])
WRONG_PASSWORDS = 10
# Links that carry a secret: whoever holds one acts as the addressee.
TOKEN_LINK = re.compile(
    r"/auth/(?:verify|reset)/(?!resend\b)[A-Za-z0-9_.\-]{20,}"
    r"|/matches/invitation/[A-Za-z0-9_.\-]{20,}/(?:accept|decline)"
)
HOSTILE_LINKEDIN = [
    "https://evil.com\\@www.linkedin.com/in/x",  # browsers read the backslash as a slash
    "https://www.linkedin.com@evil.com/in/x",  # userinfo: the host is evil.com
    "https://www.linkedin.com.evil.com/in/x",
]


def client_from(base: str, n: int) -> Client:
    return Client(base, forwarded_for=f"203.0.113.{n}")


def trusts_proxy(base: str) -> tuple[bool, list[Finding]]:
    """Whether the server reads the client address from the trusted proxy's X-Forwarded-For:
    exhaust one address's password-reset budget, then ask from another."""
    first = client_from(base, 10)
    for n in range(30):
        answer = first.submit("/auth/reset", {"email": f"nobody-{n}@example.org"})
        if answer.status == 429:
            break
    else:
        return False, [
            Finding(
                "takeover",
                "POST /auth/reset",
                "anonymous",
                "30 reset requests from one address were never throttled",
                "medium",
            )
        ]
    second = client_from(base, 20)
    if second.submit("/auth/reset", {"email": "nobody-else@example.org"}).status != 429:
        return True, []
    return False, [
        Finding(
            "takeover",
            "X-Forwarded-For",
            "anonymous",
            "the client address from the trusted proxy hop is ignored: behind a TLS proxy every "
            "visitor shares one rate-limit bucket, so one attacker throttles everyone",
            "high",
        )
    ]


def email_bombing(base: str, stack: Stack, trusted: bool) -> list[Finding]:
    """Reset and "an account already uses this address" emails to one address, asked for by many
    clients: limited per target address, not only per client."""
    victim = ROLES["expert"]
    password = secrets.token_urlsafe(16)
    forms = {
        "password reset": ("/auth/reset", {"email": victim}),
        "account exists": (
            "/auth/signup/expert",
            {
                "full_name": "Mallory",
                "email": victim,
                "password": password,
                "confirm": password,
                "locale": "fr",
            },
        ),
    }
    findings = []
    for label, (page, data) in forms.items():
        stack.flush_limits()
        before = stack.emails_to(victim)
        for n in range(BURST):
            # From as many client addresses as requests, or from one if the proxy is ignored.
            client = client_from(base, 100 + n) if trusted else Client(base)
            client.submit(page, data)
        sent = stack.emails_to(victim) - before
        if sent > MOST_EMAILS:
            sources = f"{BURST} client addresses" if trusted else "one client address"
            findings.append(
                Finding(
                    "takeover",
                    f"POST {page}",
                    "anonymous",
                    f"{sent} {label} emails reached one address from {BURST} requests from "
                    f"{sources} (at most {MOST_EMAILS} expected)",
                    "medium",
                )
            )
    return findings


def lockout(base: str) -> list[Finding]:
    """Wrong passwords from one address must not lock the owner out from another."""
    owner = ROLES["member"]
    attacker = client_from(base, 66)
    for n in range(WRONG_PASSWORDS):
        attacker.login(owner, f"wrong-password-{n}")
    answer = client_from(base, 77).login(owner)
    if answer.status == 302 and "/auth/login" not in answer.location:
        return []
    return [
        Finding(
            "takeover",
            "POST /auth/login",
            "member",
            f"after {WRONG_PASSWORDS} wrong passwords from another address the owner "
            f"cannot log in (answer {answer.status})",
            "high",
        )
    ]


def sessions_after_logout(base: str) -> list[Finding]:
    """Cookies copied before logout are refused after it: the session and remember-me."""
    browser = client_from(base, 30)
    browser.login(ROLES["expert"], remember=True)
    copied = {name: browser.cookie(name) for name in ("session", "remember_token")}
    browser.submit("/dashboard", {}, action="/auth/logout")
    if browser.logged_in():
        return [
            Finding(
                "takeover",
                "POST /auth/logout",
                "expert",
                "logging out leaves the browser logged in",
                "high",
            )
        ]
    findings = []
    for name, value in copied.items():
        if value is None:
            findings.append(
                Finding(
                    "takeover",
                    "POST /auth/login",
                    "expert",
                    f"no {name} cookie after logging in with remember-me: "
                    "its reuse after logout was not tried",
                    "low",
                )
            )
            continue
        thief = client_from(base, 31)
        thief.set_cookie(name, value)
        if thief.logged_in():
            findings.append(
                Finding(
                    "takeover",
                    "POST /auth/logout",
                    "expert",
                    f"a {name} cookie copied before logout still signs in after logout",
                    "high",
                )
            )
    return findings


def browser_host(url: str) -> str:
    """The host a browser takes from a web address: for http(s) it reads a backslash as a
    slash (WHATWG URL standard), which Python's urlsplit does not."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https"):
        parts = urllib.parse.urlsplit(url.strip().replace("\\", "/"))
    return (parts.hostname or "").lower()


def linkedin_links(base: str) -> list[Finding]:
    """The profile refuses LinkedIn links that a browser would open on another host."""
    expert = logged_in_client(base, "expert")
    findings = []
    for url in HOSTILE_LINKEDIN:
        _, forms = parse_page(
            expert.url("/expert/profile/edit"), expert.get("/expert/profile/edit").text
        )
        form = next(f for f in forms if "linkedin" in f.fields)
        saved = expert.post(form.action, {**form.fields, "linkedin": url}).status == 302
        _, forms = parse_page(
            expert.url("/expert/profile/edit"), expert.get("/expert/profile/edit").text
        )
        kept = next(f for f in forms if "linkedin" in f.fields).fields["linkedin"]
        if saved and browser_host(kept) not in ("linkedin.com", "www.linkedin.com"):
            findings.append(
                Finding(
                    "takeover",
                    "POST /expert/profile/edit",
                    "expert",
                    f"LinkedIn link {url!r} accepted: browsers open {browser_host(kept)}",
                    "medium",
                )
            )
    return findings


def _outbox_token_links(admin: Client) -> set[str]:
    listing = admin.get("/admin/mail")
    pages = [listing.text]
    for link in parse_page(admin.url("/admin/mail"), listing.text)[0]:
        if re.fullmatch(r"/admin/mail/\d+", link):
            pages.append(admin.get(link).text)
    return {match for page in pages for match in TOKEN_LINK.findall(page)}


def _live(base: str, links: set[str]) -> list[str]:
    """The links that still work for whoever opens them (a fresh, anonymous browser)."""
    return [link for link in sorted(links) if Client(base).get(link).status < 400]


def outbox_links(base: str, stack: Stack, server_env: dict) -> list[Finding]:
    """The admin outbox shows no live signed link (verification, reset, invitation), neither
    while a message waits nor after it is sent."""
    admin = logged_in_client(base, "admin")
    # One message of each kind: a reset, a verification (sign-up) and an invitation (approval).
    client_from(base, 40).submit("/auth/reset", {"email": ROLES["expert"]})
    password = secrets.token_urlsafe(16)
    client_from(base, 41).submit(
        "/auth/signup/expert",
        {
            "full_name": "Outbox Check",
            "email": f"outbox-{secrets.token_hex(4)}@example.org",
            "password": password,
            "confirm": password,
            "locale": "en",
        },
    )
    # Each suggestion of the review queue has its own approve button (a formaction).
    queue = admin.get("/matches/review").text
    approve = re.search(r'formaction="(/matches/\d+/approve)"', queue)
    if approve:
        admin.submit("/matches/review", {"back": "queue"}, action=approve.group(1))
    findings = []
    for moment in ("waiting", "sent"):
        if moment == "sent":
            stack.flask("outbox", "send", env={**server_env, "DIASPORA_WARM": "0"})
        live = _live(base, _outbox_token_links(admin))
        kinds = sorted({link.split("/")[2] for link in live})
        if live:
            findings.append(
                Finding(
                    "takeover",
                    "GET /admin/mail",
                    "admin",
                    f"the outbox shows {len(live)} live signed links ({', '.join(kinds)}) of "
                    f"messages {moment}: any admin can act as their addressees",
                    "high",
                )
            )
    return findings


def run(base: str, stack: Stack, server_env: dict, log) -> list[Finding]:
    """Every takeover check, each from fresh rate-limit counters."""
    stack.flush_limits()
    trusted, findings = trusts_proxy(base)
    log(f"  proxy hop trusted: {trusted}")
    findings += email_bombing(base, stack, trusted)
    for check in (lockout, sessions_after_logout, linkedin_links):
        stack.flush_limits()
        findings += check(base)
        log(f"  {check.__name__}: done")
    stack.flush_limits()
    findings += outbox_links(base, stack, server_env)
    return findings
