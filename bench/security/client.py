"""A small HTTP client that behaves like one browser tab: its own cookies, no redirects followed
(the checks look at them), forms read from the page with their CSRF token."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

from bench.security.server import DEMO_PASSWORD, ROLES

WRONG_PASSWORD = "not-the-password-0"  # what scanners type into password fields


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str, role: str = "anonymous", forwarded_for: str | None = None):
        self.base = base
        self.role = role
        self.forwarded_for = forwarded_for  # the client address the proxy would report
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path)

    def request(
        self,
        method: str,
        path: str,
        data: dict | list | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.url(path), data=body, method=method)
        if self.forwarded_for:
            request.add_header("X-Forwarded-For", self.forwarded_for)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return _response(answer, answer.status)
        except urllib.error.HTTPError as answer:
            return _response(answer, answer.code)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def csrf_token(self, path: str = "/auth/login") -> str:
        page = self.get(path).text
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def submit(self, page: str, data: dict, action: str | None = None) -> Response:
        """Post `data` with the CSRF token of the form on `page` (to `action`, default `page`)."""
        return self.post(action or page, {"csrf_token": self.csrf_token(page), **data})

    def login(self, email: str, password: str = DEMO_PASSWORD, remember: bool = False) -> Response:
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.submit("/auth/login", data)

    def login_as_role(self) -> None:
        email = ROLES[self.role]
        if email is None:
            return
        answer = self.login(email)
        if answer.status != 302 or "/auth/login" in answer.location:
            raise RuntimeError(f"could not log in as {self.role} ({email}): {answer.status}")

    def logged_in(self) -> bool:
        """Whether this tab's cookies open a page that needs a signed-in user."""
        return self.get("/auth/account").status == 200

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def forget_cookies(self) -> None:
        self.jar.clear()

    def set_cookie(self, name: str, value: str) -> None:
        host = urllib.parse.urlsplit(self.base).hostname
        cookie = http.cookiejar.Cookie(
            version=0,
            name=name,
            value=value,
            port=None,
            port_specified=False,
            domain=host,
            domain_specified=False,
            domain_initial_dot=False,
            path="/",
            path_specified=True,
            secure=False,
            expires=None,
            discard=False,
            comment=None,
            comment_url=None,
            rest={},
        )
        self.jar.set_cookie(cookie)


def _response(answer, status: int) -> Response:
    raw = answer.read()
    headers = {k.lower(): v for k, v in answer.headers.items()}
    charset = answer.headers.get_content_charset() or "utf-8"
    return Response(status, answer.geturl(), headers, raw.decode(charset, errors="replace"))


def logged_in_client(base: str, role: str) -> Client:
    client = Client(base, role)
    client.login_as_role()
    return client


# ---------------------------------------------------------------------------------------------
# What a page offers: its links and its forms, with a value for every field.

FIELD_TAGS = ("input", "select", "textarea", "button")


@dataclass
class Form:
    action: str  # absolute path, query included
    method: str  # GET or POST
    fields: dict[str, str]  # name -> a value the form accepts (the page's own where it has one)
    types: dict[str, str]  # name -> input type (text, hidden, password, select, textarea…)
    unchecked: dict[str, str]  # boxes the page leaves unticked -> the value ticking one sends

    def ticked(self) -> dict[str, str]:
        """The fields with every box ticked: so a scanner can inject into the boxes too."""
        return {**self.unchecked, **self.fields}

    def testable(self) -> list[str]:
        """The fields a scanner should inject into: all but the CSRF token and buttons."""
        return [n for n, t in self.types.items() if not n.endswith("csrf_token") and t != "submit"]


class PageParser(HTMLParser):
    """Links and forms, with the values a browser would send when the form is submitted by
    pressing Enter: checked boxes only, the selected option, and the first submit button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action", ""),
                    "method": attrs.get("method", "get").upper(),
                    "fields": {},
                    "types": {},
                    "unchecked": {},
                    "submitted": False,
                }
            )
        elif self.forms and tag in FIELD_TAGS:
            self._field(tag, attrs, self.forms[-1])
        elif self.forms and tag == "option" and self._select:
            # The selected option, else the first, as a browser sends it.
            fields = self.forms[-1]["fields"]
            if self._select not in fields or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")

    def _field(self, tag, attrs, form):
        name = attrs.get("name")
        kind = {"select": "select", "textarea": "textarea"}.get(tag) or attrs.get("type", "text")
        if tag == "button" and kind not in ("button", "reset"):
            kind = "submit"
        if kind in ("submit", "image"):
            # Only the form's default button (its first) is sent, as when Enter is pressed.
            if not form["submitted"] and name:
                form["fields"][name] = attrs.get("value", "")
                form["types"][name] = "submit"
            form["submitted"] = True
            return
        if not name or kind in ("button", "reset"):
            return
        form["types"].setdefault(name, kind)
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                form["fields"][name] = attrs.get("value", "on")
            elif kind == "checkbox":
                form["unchecked"].setdefault(name, attrs.get("value", "on"))
            else:
                form["fields"].setdefault(name, attrs.get("value", "on"))
            return
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
        else:
            form["fields"][name] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            # The newline right after <textarea> is not part of its value.
            fields[self._textarea] += data if fields[self._textarea] else data.lstrip("\r\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


PLAUSIBLE = {
    "email": "scan@example.org",
    "password": WRONG_PASSWORD,
    "number": "1",
    "date": "2027-01-15",
    "url": "https://www.linkedin.com/in/scan",
    "search": "python",
}


def plausible(name: str, kind: str, value: str) -> str:
    """A value that gets past the form's validation: the page's own, else one fitting the type."""
    if kind == "password":
        return WRONG_PASSWORD  # never a real password: a scanner must not change one
    if value or kind in ("select", "hidden", "checkbox", "radio", "submit"):
        return value  # what the page itself offers
    if re.search(r"-\d+-", name):
        return value  # a spare row of a list (skills-3-name): left blank, as people do
    if "email" in name:
        return PLAUSIBLE["email"]
    return PLAUSIBLE.get(kind, "scan")


def parse_page(page_url: str, html: str) -> tuple[list[str], list[Form]]:
    """The same-site links (absolute paths) and the forms of a page."""
    parser = PageParser()
    parser.feed(html)
    links = [p for p in (_same_site(page_url, href) for href in parser.links) if p]
    forms = []
    for raw in parser.forms:
        action = _same_site(page_url, raw["action"] or page_url)
        if not action:
            continue
        fields = {n: plausible(n, raw["types"].get(n, "text"), v) for n, v in raw["fields"].items()}
        forms.append(Form(action, raw["method"], fields, raw["types"], raw["unchecked"]))
    return links, forms


def _same_site(page_url: str, href: str) -> str | None:
    target = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, href))
    page = urllib.parse.urlsplit(page_url)
    if target.scheme not in ("http", "https") or target.netloc != page.netloc:
        return None
    return urllib.parse.urlunsplit(("", "", target.path or "/", target.query, ""))
