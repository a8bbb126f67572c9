"""Whatever state a project is in (a draft, published, full, past its start, closed, or
published by an institution not verified), those who may not change it get a 403 or a 404 from
every door that changes a project, pages and API alike, and nothing of it changes."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import AuditEntry, Match, OutboxMessage, Project, ProjectSkill, ProjectStatus
from diaspora.models.base import utcnow
from diaspora.services import api_tokens
from tests.projects.test_project_pages import project_form
from tests.security.conftest import log_in

ROLES = ("expert", "member", "other member", "unverified member")
API_BODY = {
    "title": "Changed",
    "sector": "health",
    "mode": "remote",
    "hours_per_month": 5,
    "seats": 1,
}


@pytest.fixture
def states(every_role):
    """A project in every state, by name, with the roles that have no say over it."""
    w = every_role

    def project(ref, status, institution=w.institution, **fields):
        made = Project(
            ref=ref,
            institution=institution,
            title=ref,
            sector="health",
            mode="remote",
            status=status,
            **fields,
        )
        db.session.add(made)
        return made

    past = date.today() - timedelta(days=30)
    made = {
        "draft": w.draft,
        "published": w.published,
        "full": w.ongoing,  # its one seat taken by the expert who accepted
        "past its start": project("P-PAST", ProjectStatus.PUBLISHED, starts_on=past),
        "closed": project("P-CLOSED", ProjectStatus.CLOSED, closed_at=utcnow()),
        "published, institution not verified": project(
            "P-UNVERIFIED", ProjectStatus.PUBLISHED, institution=w.unverified_institution
        ),
    }
    db.session.commit()
    owners = {"published, institution not verified": "unverified member"}
    return w, {
        state: (p, [r for r in ROLES if r != owners.get(state, "member")])
        for state, p in made.items()
    }


def what_projects_hold() -> list:
    db.session.expire_all()
    tables = (Project, ProjectSkill, Match, AuditEntry, OutboxMessage)
    return [sorted(map(repr, db.session.execute(select(t.__table__)).all())) for t in tables]


def test_no_one_without_a_say_changes_a_project_in_any_state(client, states):
    w, made = states
    tokens = {r: api_tokens.create(w.users[r], "t", "write", 30).secret for r in ROLES}
    before = what_projects_hold()
    answers = {}
    for state, (project, outsiders) in made.items():
        for role in outsiders:
            log_in(client, w.users[role])
            posts = [("edit", project_form(title="Changed"))] + [
                ("status", {"to": target}) for target in (*ProjectStatus.ALL, "junk")
            ]
            for action, data in posts:
                url = f"/projects/{project.id}/{action}"
                answers[state, role, url, data.get("to")] = client.post(url, data=data).status_code
            auth = {"Authorization": f"Bearer {tokens[role]}"}
            url = f"/api/v1/projects/{project.id}"
            answers[state, role, "PUT", url] = client.put(
                url, json=API_BODY, headers=auth
            ).status_code
            for action in ("publish", "close"):
                answers[state, role, url, action] = client.post(
                    f"{url}/{action}", headers=auth
                ).status_code
    assert {key: status for key, status in answers.items() if status not in (403, 404)} == {}
    assert what_projects_hold() == before
