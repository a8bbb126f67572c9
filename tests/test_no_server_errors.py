"""No request, however odd, gets a 500: every route of every blueprint (discovered from the URL
map at run time, so new blueprints are covered as they arrive), for every role, with existing,
missing and junk ids, every query-string parameter (those the pages' links and search forms use,
and common ones) given numbers written every odd way, and every form sent with empty, huge,
unicode, null-byte and wrong-typed values."""

import itertools
import logging
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.routing.converters import NumberConverter, PathConverter

from diaspora.extensions import db
from diaspora.models import (
    Role,
    User,
)
from diaspora.services import accounts
from tests.conftest import PASSWORD
from tests.odd_values import ODD_VALUES, QUERY_NAMES

SERIAL = itertools.count()
MISSING_ID = 987654321
HUGE_ID = 10**20  # past 64 bits: the database cannot even compare with it
JUNK_STRINGS = ["junk", "0", "ا" * 300, "a.b.c", "..%2f..%2fetc", " "]

FREE_TEXT = {
    "huge": "x" * 100_000,
    "unicode and null byte": "a\x00b تجربة ✓ 😀 \u202e -1e309",
}
WRONG_TYPE = "9" * 40  # in every field, choices and ids included: past any integer column
ODD_QUERIES = {
    "text": {
        **{name: FREE_TEXT["unicode and null byte"] for name in QUERY_NAMES},
        "next": "//evil.example",
    },
}


@pytest.fixture
def world(every_role):
    """Ids by the URL parameter names that name them, one or two of each kind of object (the
    expert's invitation is reached through the pages that list it); user ids by role."""
    w = every_role
    ids = {
        "institution": [w.institution.id, w.unverified_institution.id],
        "project": [w.published.id, w.unverified_draft.id],
        "expert": [w.profile.id],
        "profile": [w.profile.id],
        "match": [w.suggestion.id],
        "collaboration": [w.collaboration.id],
        "invitation": [w.invitation.id],
        "suggestion": [w.suggestion.id],
        "message": [w.message.id],
        "entry": [w.entry.id],
        "window": [w.window.id],
        "contest": [w.contest.id],
        "user": [u.id for u in w.users.values()],
    }
    return ids, {role: user.id for role, user in w.users.items()}


def _values_for(name, converter, ids):
    if isinstance(converter, NumberConverter):
        known = next((v for key, v in ids.items() if key in name), [1])
        return [*known, MISSING_ID, HUGE_ID]
    if isinstance(converter, PathConverter):
        return ["vendor/bootstrap/bootstrap.min.css", "missing.css", "../config.py"]
    return JUNK_STRINGS


def _urls(app, rule, ids):
    """The rule filled with each value for each parameter, the others kept at their first."""
    choices = {name: _values_for(name, conv, ids) for name, conv in rule._converters.items()}
    adapter = app.url_map.bind("localhost")
    base = {name: values[0] for name, values in choices.items()}
    variants = [base] + [
        {**base, name: value} for name, values in choices.items() for value in values[1:]
    ]
    urls = [adapter.build(rule.endpoint, v, method=_method(rule)) for v in variants]
    return list(dict.fromkeys(urls))


def _method(rule):
    return "GET" if "GET" in rule.methods else "POST"


CHOICE_INPUTS = {"hidden", "radio", "checkbox", "submit"}
# A value a number or date box accepts, so that the odd text of the other fields gets past the
# form's validation, into services and the database.
PLAUSIBLE = {"number": "1", "date": "2031-01-15"}


class FormFinder(HTMLParser):
    """The forms of a page (their target, method and fields with the values the page offers),
    and the query-string names its links use, by path."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.query_names = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            link = urlsplit(attrs["href"])
            if not link.netloc:
                names = parse_qs(link.query, keep_blank_values=True)
                self.query_names.setdefault(link.path, set()).update(names)
        elif tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": {},
                }
            )
        elif self.forms and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            offered = self.forms[-1]["fields"].setdefault(attrs["name"], [])
            # A text box's value is what is already typed, not a choice the page offers.
            chosen = tag == "button" or attrs.get("type") in CHOICE_INPUTS
            if chosen and attrs.get("value") is not None:
                offered.append(attrs["value"])
            elif attrs.get("type") in PLAUSIBLE:
                offered.append(attrs.get("min") or PLAUSIBLE[attrs["type"]])
        elif self.forms and tag == "option" and attrs.get("value") is not None:
            fields = self.forms[-1]["fields"]
            if fields:
                list(fields.values())[-1].append(attrs["value"])


def _plausible(name, offered, odd):
    """A value the form accepts for choices, addresses and passwords (so the odd text in the
    other fields gets past validation, into services and the database); else `odd`."""
    if offered and name != "csrf_token":
        # The first real choice: a list's first option is often an empty "choose…".
        return next((value for value in offered if value), offered[0])
    if "email" in name:
        return f"fuzz{next(SERIAL)}@sante.gov.ma"
    if "password" in name or "confirm" in name:
        return PASSWORD
    return odd


def _payloads(fields):
    """Odd text in free fields (the others plausible, so the form's own branches run), a huge
    number everywhere, repeated values, nothing at all."""
    yield "empty", {}
    for label, value in FREE_TEXT.items():
        yield label, {name: _plausible(name, offered, value) for name, offered in fields.items()}
    yield "wrong type", {name: WRONG_TYPE for name in fields}
    yield "repeated", {name: ["1", "x"] for name in fields}


class ErrorCatcher(logging.Handler):
    """Keeps the exception behind each 500, so a failure names its cause."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = None

    def emit(self, record):
        if record.exc_info:
            self.last = record.exc_info[1]


class Visitor:
    def __init__(self, client, user_id):
        self.client = client
        self.user_id = user_id
        self.failures = []
        self.errors = ErrorCatcher()
        client.application.logger.addHandler(self.errors)

    def request(self, method, url, label="", **kwargs):
        # Log in again before each request: an odd POST may have logged this role out.
        with self.client.session_transaction() as session:
            session.clear()
            # Read afresh: a password changed by an odd post ends the sessions of before, and
            # an odd post may also have erased the account.
            user = db.session.get(User, self.user_id) if self.user_id is not None else None
            if user is not None:
                session["_user_id"] = accounts.start_session(user)
                session["_fresh"] = True
            db.session.rollback()  # no transaction left open (and no stale user next time)
        self.errors.last = None
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as error:  # TESTING propagates what would be a 500 in production
            self.failures.append(f"{type(error).__name__}: {error} on {method} {url} {label}"[:300])
            return None
        if response.status_code >= 500:
            cause = f"{type(self.errors.last).__name__}: {self.errors.last}"[:200]
            self.failures.append(f"{response.status_code} {method} {url[:80]} {label}: {cause}")
        return response


@pytest.mark.parametrize("role", ["guest", "expert", "member", "unverified member", "admin"])
def test_no_route_answers_500_to_any_role_or_input(app, client, world, role):
    ids, user_ids = world
    visitor = Visitor(client, user_ids.get(role))
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static" or role == "guest"]

    forms = {}
    query_names = {}  # path -> the names its links and search forms put in the query string
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        urls = _urls(app, rule, ids)
        query_names.setdefault(urlsplit(urls[0]).path, set()).update(QUERY_NAMES)
        for label, query in ODD_QUERIES.items():
            visitor.request("GET", urls[0], f"query {label}", query_string=query)
        for url in urls:
            response = visitor.request("GET", url)
            if response is not None and response.mimetype == "text/html":
                finder = FormFinder()
                finder.feed(response.get_data(as_text=True))
                for path, names in finder.query_names.items():
                    query_names.setdefault(path, set()).update(names)
                for form in finder.forms:
                    target = form["action"] or urlsplit(url).path
                    key = (form["method"], target, tuple(sorted(form["fields"])))
                    forms.setdefault(key, form["fields"])
                    if form["method"] == "get":  # a search or filter: its fields are parameters
                        query_names.setdefault(target, set()).update(form["fields"])

    for path, names in query_names.items():
        for label, value in ODD_VALUES.items():
            visitor.request(
                "GET",
                path,
                f"query {label} {value[:12]!r}",
                query_string={name: value for name in names},
            )

    for (method, target, _), fields in forms.items():
        if method == "get":
            for label, data in _payloads(fields):
                visitor.request("GET", target, label, query_string=data)
            continue
        for label, data in _payloads(fields):
            visitor.request("POST", target, label, data=data)
        visitor.request("POST", target, "json list", json=[1, "x", None])

    # POST routes no page showed this role: every field name seen anywhere, and an empty post
    # for each of the other ids.
    every_field = {name: [] for fields in forms.values() for name in fields}
    posted = {target for method, target, _ in forms if method == "post"}
    for rule in rules:
        if "POST" in rule.methods:
            first, *others = _urls(app, rule, ids)
            for label, data in _payloads(every_field) if first not in posted else ():
                visitor.request("POST", first, label, data=data)
            for url in others:
                visitor.request("POST", url, "empty")

    assert visitor.failures == []


def test_an_id_too_large_for_the_database_is_a_plain_404(client, auth, make_user):
    make_user("admin@example.org", role=Role.ADMIN)
    auth.login("admin@example.org")
    assert client.get(f"/admin/mail/{HUGE_ID}").status_code == 404


def test_json_posted_to_a_form_page_is_refused_and_signs_no_one_up(client, outbox):
    response = client.post("/auth/signup/expert", json={"email": ["a@b.org"], "password": 5})
    assert response.status_code == 415
    assert outbox() == []


def test_a_null_character_in_a_link_is_refused(client, auth, make_user):
    make_user("admin@example.org", role=Role.ADMIN)
    auth.login("admin@example.org")
    response = client.get("/admin/mail", query_string={"status": "sent\x00"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, auth, make_user):
    make_user("admin@example.org", role=Role.ADMIN)
    auth.login("admin@example.org")
    for page in ("²", "9" * 40, "-3", "abc"):
        assert client.get("/admin/audit", query_string={"page": page}).status_code == 200


def test_control_characters_pasted_into_a_name_are_dropped_at_sign_up(client):
    data = {
        "full_name": "Sal\x00ma\x07 Bennani",
        "email": "salma@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
    }
    assert client.post("/auth/signup/expert", data=data).status_code == 302
    assert db.session.scalar(db.select(User.full_name)) == "Salma Bennani"
