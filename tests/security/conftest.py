"""A site where every name a user can type is a script tag: an admin, a verified institution and
its member, a published project, two experts (one suggested, one invited and holding the
emailed link), a reset link, and the helpers the security tests share: logging in without a
form (CSRF stays on in some tests), a snapshot of the whole database, and the HTML auditor."""

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Match, Project, Role, User
from diaspora.services import accounts, reviews
from tests.conftest import link_in
from tests.matches.conftest import make_expert, make_match, make_project  # noqa: F401

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@dataclass
class Site:
    admin: User
    member: User
    institution: Institution
    project: Project
    expert: ExpertProfile  # suggested, waiting in the review queue
    invited: ExpertProfile  # invited: holds the emailed link
    suggestion: Match
    invitation: Match
    invitation_path: str
    reset_path: str
    message_id: int
    users: dict = field(default_factory=dict)

    def ids(self) -> dict[str, list]:
        """Values for each URL parameter, by the words its name contains."""
        return {
            "project": [self.project.id],
            "match": [self.suggestion.id, self.invitation.id],
            "institution": [self.institution.id],
            "message": [self.message_id],
            "ref": [self.expert.ref, self.invited.ref],
            "asset": ["swagger-ui.css"],  # the API docs' files
            "concept": ["diaspora:mlops"],  # a taxonomy concept, read through the API
            "user": [1],  # an account (user ids start at 1)
            "invitation": [1],  # a colleague's invitation to the institution
            "collaboration": [1],  # none here: the crawl meets its 404
            "entry": [1],  # a month of hours logged on a collaboration
            "code": ["ABCD-EFGH-JKMN"],  # a certificate's code: a forged one is refused
            "saved": [1],  # a saved search
            "window": [1],  # an expert's stay in Morocco
            "contest": [1],  # a request for a human review of a decision
            "notification": [1],  # one of the bell's notifications
            "key": ["countries"],  # a table of the open statistics
            "version": [1],  # a learnt weight set: none here, the crawl meets its 404
        }

    def token_for(self, endpoint: str) -> str:
        """The valid signed token a page of this endpoint takes, else a junk one."""
        if endpoint == "auth.reset_password":
            return self.reset_path.rsplit("/", 1)[-1]
        if endpoint.startswith("invitations.invitation_"):
            return self.invitation_path.split("/")[-2]
        return "junk"


def urls_for(app, site: Site, rule) -> list[str]:
    """The rule filled with each known value of each of its parameters."""
    choices = []
    for name in rule.arguments:
        if name == "token":
            choices.append([(name, site.token_for(rule.endpoint))])
        else:
            values = next(v for key, v in site.ids().items() if key in name)
            choices.append([(name, value) for value in values])
    adapter = app.url_map.bind("localhost")
    method = "GET" if "GET" in rule.methods else "POST"
    return [
        adapter.build(rule.endpoint, dict(combo), method=method)
        for combo in itertools.product(*choices)
    ]


@pytest.fixture
def site(
    make_user,
    make_institution,
    make_expert,  # noqa: F811 (fixtures imported above so that pytest finds them)
    make_project,  # noqa: F811
    make_match,  # noqa: F811
    outbox,
):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name=f"Amina {XSS}")
    institution = make_institution(name=f"Agence {XSS}")
    member = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name=f"Nadia {XSS}"
    )
    project = make_project(institution, title=f"Vision {XSS}")
    project.description = f"Screen retinal images {XSS}"
    expert = make_expert("salma@example.org", name=f"Salma {XSS}", ref="E-000001")
    invited = make_expert("karim@example.org", name=f"Karim {XSS}", ref="E-000002")
    for profile in (expert, invited):
        profile.headline = f"Researcher {XSS}"
        profile.bio = f"Computer vision {XSS}"
        profile.city = f"Dubai {XSS}"
    db.session.commit()
    suggestion = make_match(project, expert)
    pending = make_match(project, invited)
    invitation = reviews.approve(admin, pending.id)
    invitation_path = link_in(outbox(kind="invitation")[-1].body_text, "/accept")
    accounts.request_password_reset(member.email)
    reset_path = link_in(outbox(kind="reset_password")[-1].body_text, "/auth/reset/")
    users = {"guest": None, "expert": invited.user, "member": member, "admin": admin}
    return Site(
        admin,
        member,
        institution,
        project,
        expert,
        invited,
        suggestion,
        invitation,
        invitation_path,
        reset_path,
        outbox()[0].id,
        users,
    )


def log_in(client, user) -> None:
    """Sign the client in as `user` (None: a guest) without posting the login form."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = accounts.start_session(user)
            session["_fresh"] = True


def snapshot() -> dict[str, list]:
    """Every row of every table: equal snapshots mean nothing changed. Login sessions are left
    out: `log_in` opens them, the test's own doing."""
    db.session.expire_all()
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name != "login_sessions"
    }


URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class PageAudit(HTMLParser):
    """What a strict Content-Security-Policy would block on a page, and its POST forms that
    carry no CSRF token."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.post_forms: list[dict] = []
        self._in_script = False
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"inline handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag == "script":
            src = attrs.get("src") or ""
            if not src:
                self.problems.append("inline <script>")
            elif not src.startswith("/") or src.startswith("//"):
                self.problems.append(f"script from another site: {src}")
            self._in_script = True
        elif tag == "style":
            self.problems.append("inline <style> block")
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            href = attrs.get("href") or ""
            if not href.startswith("/") or href.startswith("//"):
                self.problems.append(f"stylesheet from another site: {href}")
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "csrf": False,
                "post": (attrs.get("method") or "get").lower() == "post",
            }
            if self._form["post"]:
                self.post_forms.append(self._form)
        # A prefixed form names it "<prefix>-csrf_token"; Flask-WTF reads either.
        elif (
            tag == "input"
            and self._form is not None
            and (attrs.get("name") or "").endswith("csrf_token")
        ):
            self._form["csrf"] = bool(attrs.get("value"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("script element with inline code")


def audit_page(html: str) -> PageAudit:
    audit = PageAudit()
    audit.feed(html)
    audit.close()
    return audit
