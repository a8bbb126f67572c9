"""The no-500 crawler against the real server: every page reachable by links as each role, then
each kind of page again with odd values in its query string. Any 5xx is a finding.

It also maps the site for the scanners: the forms and the query-string addresses each role sees.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import deque
from dataclasses import dataclass, field

from bench.security.client import Form, logged_in_client, parse_page
from bench.security.findings import Finding
from tests.odd_values import ODD_VALUES, QUERY_NAMES, odd_query_string

# Pages no link leads to (the autocomplete is called by script) but a client can ask for.
EXTRA_STARTS = ["/api/skills?q=python&lang=fr&limit=5", "/auth/signup", "/auth/reset"]
# Never fetched by the crawler: its own session must survive, and files are not pages.
SKIP = re.compile(r"^/(static/|auth/logout)")
PAGES_PER_KIND = 3  # /projects/1, /projects/2, /projects/3 are enough of "a project page"
MAX_PAGES = 400  # per role: a bound, not a goal (the demo site has far fewer kinds of page)


@dataclass
class SiteMap:
    """What one role can reach: the page addresses and the forms, each kind once."""

    role: str
    pages: list[str] = field(default_factory=list)
    forms: dict[tuple, Form] = field(default_factory=dict)

    def query_pages(self) -> list[str]:
        """One address per kind of page that takes query-string parameters."""
        seen = {}
        for page in self.pages:
            parts = urllib.parse.urlsplit(page)
            if parts.query:
                names = tuple(sorted(urllib.parse.parse_qs(parts.query, keep_blank_values=True)))
                seen.setdefault((kind_of(parts.path), names), page)
        return list(seen.values())


def kind_of(path: str) -> str:
    """The page's kind: its path with ids and tokens replaced, so /projects/7 is /projects/N."""
    path = urllib.parse.urlsplit(path).path
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    return re.sub(r"/[A-Za-z0-9_.\-]{24,}(?=/|$)", "/TOKEN", path)


class Crawl:
    def __init__(self, base: str, role: str):
        self.client = logged_in_client(base, role)
        self.role = role
        self.site = SiteMap(role)
        self.findings: list[Finding] = []
        self.requests = 0

    def fetch(self, path: str, note: str = "", target: str | None = None):
        answer = self.client.get(path)
        self.requests += 1
        if answer.status >= 500:
            self.findings.append(
                Finding(
                    "crawler",
                    target or f"GET {path[:200]}",
                    self.role,
                    f"answered {answer.status}{note}",
                    "high",
                )
            )
        return answer

    def walk(self) -> None:
        queue = deque(["/", "/dashboard", *EXTRA_STARTS])
        seen, per_kind = set(queue), {}
        while queue and len(self.site.pages) < MAX_PAGES:
            path = queue.popleft()
            answer = self.fetch(path)
            self.site.pages.append(path)
            if not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            links, forms = parse_page(self.client.url(path), answer.text)
            for form in forms:
                if not SKIP.match(form.action):
                    key = (kind_of(form.action), form.method, tuple(sorted(form.fields)))
                    self.site.forms.setdefault(key, form)
            for link in links:
                kind = (
                    kind_of(link)
                    + "?"
                    + ",".join(sorted(urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)))
                )
                if link in seen or SKIP.match(link) or per_kind.get(kind, 0) >= PAGES_PER_KIND:
                    continue
                seen.add(link)
                per_kind[kind] = per_kind.get(kind, 0) + 1
                queue.append(link)

    def odd_queries(self) -> None:
        """Every kind of page once per odd value, in every query name it or others read."""
        names_by_kind: dict[str, set[str]] = {}
        first_of_kind: dict[str, str] = {}
        for page in self.site.pages:
            parts = urllib.parse.urlsplit(page)
            first_of_kind.setdefault(kind_of(parts.path), parts.path)
            names_by_kind.setdefault(kind_of(parts.path), set()).update(
                urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            )
        for kind, path in first_of_kind.items():
            names = sorted(names_by_kind[kind] | set(QUERY_NAMES))
            for label, value in ODD_VALUES.items():
                query = urllib.parse.urlencode({name: value for name in names})
                self.fetch(
                    f"{path}?{query}",
                    f" with {label} ({value!r}) in every query name",
                    target=f"GET {path}?…",
                )
            self.fetch(
                f"{path}?{odd_query_string(names)}",
                " with repeated names, brackets and non-UTF-8 bytes in every query name",
                target=f"GET {path}?…",
            )


def crawl(base: str, role: str) -> Crawl:
    """Crawl as `role`: its site map, its 5xx findings, and its still signed-in client (the
    CSRF tokens of the forms found belong to that client's session)."""
    walker = Crawl(base, role)
    walker.walk()
    walker.odd_queries()
    return walker
