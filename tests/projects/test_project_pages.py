"""An institution member writes, publishes and closes a project through the pages alone."""

from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Project, Role

NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()


def stored_project() -> Project:
    """The project as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return Project.query.one()


def project_form(**overrides) -> dict:
    data = {
        "title": "Détection précoce de la rétinopathie diabétique",
        "description": "Un modèle de vision par ordinateur pour le dépistage.",
        "sector": "health",
        "skills-0-name": "vision par ordinateur",
        "skills-0-level": "3",
        "skills-0-need": "required",
        "skills-1-name": "python",
        "skills-1-level": "2",
        "skills-1-need": "nice",
        "skills-2-name": "",
        "skills-2-level": "3",
        "skills-2-need": "required",
        "languages": ["fr", "ar"],
        "mode": "hybrid",
        "location": "Rabat",
        "hours_per_month": "8",
        "seats": "2",
        "starts_on": NEXT_MONTH,
        "duration_months": "6",
        "action": "save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def member(make_user, make_institution):
    institution = make_institution()
    return make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution)


def test_member_creates_publishes_and_closes_a_project_in_french(client, auth, member):
    auth.login(member.email)
    client.post("/language", data={"lang": "fr"})
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'lang="fr"' in page and 'dir="ltr"' in page

    response = client.post("/projects/new", data=project_form())
    assert response.status_code == 302
    project = stored_project()
    assert project.status == "draft" and project.ref.startswith("P-")
    assert [(s.name, s.level, s.required) for s in project.skills] == [
        ("vision par ordinateur", 3, True),
        ("python", 2, False),
    ]
    assert project.skills[0].concept_id  # placed in the taxonomy
    assert project.languages == ["ar", "fr"] and project.location == "Rabat"

    show = client.get(response.location).get_data(as_text=True)
    assert project.ref in show

    response = client.post(
        f"/projects/{project.id}/status", data={"to": "published"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert stored_project().status == "published"
    response = client.post(f"/projects/{project.id}/status", data={"to": "closed"})
    assert stored_project().status == "closed"
    actions = [e.action for e in AuditEntry.query.order_by(AuditEntry.id)]
    assert actions == ["project.created", "project.published", "project.closed"]


def test_member_creates_a_project_in_arabic_right_to_left(client, auth, member):
    auth.login(member.email)
    client.post("/language", data={"lang": "ar"})
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    response = client.post("/projects/new", data=project_form(title="كشف مبكر عن اعتلال الشبكية"))
    assert response.status_code == 302
    show = client.get(response.location).get_data(as_text=True)
    assert 'dir="rtl"' in show and "كشف مبكر عن اعتلال الشبكية" in show
    project = stored_project()
    client.post(f"/projects/{project.id}/status", data={"to": "published"})
    assert stored_project().status == "published"
