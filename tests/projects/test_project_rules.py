"""Who may touch a project, which status changes are allowed, and what bad input gets."""

from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Project, Role
from diaspora.services import projects
from tests.projects.test_project_pages import project_form


@pytest.fixture
def health(make_institution):
    return make_institution()


@pytest.fixture
def member(make_user, health):
    return make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=health)


def make_project(member, **changes) -> Project:
    info = projects.ProjectInfo(
        title="Tri des dossiers médicaux",
        sector="health",
        mode="remote",
        skills=(projects.SkillWanted("natural language processing", 3, True),),
        languages=("fr",),
        hours_per_month=8,
        seats=1,
        starts_on=date.today() + timedelta(days=10),
        duration_months=3,
    )
    fields = {**info.__dict__, **changes}
    return projects.create(member, projects.ProjectInfo(**fields))


def reload(project_id: int) -> Project:
    db.session.expire_all()
    return db.session.get(Project, project_id)


def test_member_of_an_unverified_institution_saves_drafts_but_cannot_publish(
    client, auth, make_user, make_institution
):
    pending = make_institution(name="Agence en attente", domain="attente.ma", verified=False)
    user = make_user("karim@attente.ma", role=Role.INSTITUTION, institution=pending)
    auth.login(user.email)
    assert "waiting for verification" in client.get("/projects/new").get_data(as_text=True)
    response = client.post("/projects/new", data=project_form())
    assert response.status_code == 302
    project = Project.query.one()
    page = client.post(
        f"/projects/{project.id}/status", data={"to": "published"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Agence en attente is not verified yet" in page
    assert reload(project.id).status == "draft"


@pytest.mark.parametrize("who", ["other_member", "expert", "guest"])
def test_outsiders_cannot_edit_publish_or_see_a_draft_by_guessing_its_id(
    client, auth, make_user, make_institution, member, who
):
    project = make_project(member)
    if who == "other_member":
        other = make_institution(name="Ministère de l'Agriculture", domain="agri.gov.ma")
        make_user("ali@agri.gov.ma", role=Role.INSTITUTION, institution=other)
        auth.login("ali@agri.gov.ma")
    elif who == "expert":
        make_user("salma@example.org", role=Role.EXPERT)
        auth.login("salma@example.org")
    urls = [f"/projects/{project.id}", f"/projects/{project.id}/edit"]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        if who == "guest":
            assert "/auth/login" in response.location
    for target in ("published", "closed"):
        assert client.post(f"/projects/{project.id}/status", data={"to": target}).status_code in (
            302,
            403,
            404,
        )
    response = client.post(f"/projects/{project.id}/edit", data=project_form(title="Piraté"))
    assert response.status_code in (302, 403, 404)
    stored = reload(project.id)
    assert stored.status == "draft" and stored.title == "Tri des dossiers médicaux"


def test_other_members_see_a_published_project_but_cannot_change_it(
    client, auth, make_user, make_institution, member
):
    project = make_project(member)
    projects.publish(member, project.id)
    other = make_institution(name="Ministère de l'Agriculture", domain="agri.gov.ma")
    make_user("ali@agri.gov.ma", role=Role.INSTITUTION, institution=other)
    auth.login("ali@agri.gov.ma")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Tri des dossiers médicaux" in page and "Close the project" not in page
    assert client.get(f"/projects/{project.id}/edit").status_code == 403
    assert client.post(f"/projects/{project.id}/status", data={"to": "closed"}).status_code == 403
    assert reload(project.id).status == "published"


def test_an_admin_may_edit_and_close_any_project(client, auth, make_user, member):
    project = make_project(member)
    projects.publish(member, project.id)
    make_user("admin@example.org", role=Role.ADMIN)
    auth.login("admin@example.org")
    response = client.post(f"/projects/{project.id}/edit", data=project_form(title="Revu"))
    assert response.status_code == 302 and reload(project.id).title == "Revu"
    client.post(f"/projects/{project.id}/status", data={"to": "closed"})
    assert reload(project.id).status == "closed"


@pytest.mark.parametrize(
    "start, target",
    [
        ("draft", "closed"),
        ("draft", "draft"),
        ("published", "draft"),
        ("published", "published"),
        ("closed", "published"),
        ("closed", "draft"),
        ("closed", "closed"),
        ("draft", "archived"),
        ("draft", ""),
    ],
)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    client, auth, member, start, target
):
    project = make_project(member)
    if start in ("published", "closed"):
        projects.publish(member, project.id)
    if start == "closed":
        projects.close(member, project.id)
    entries = AuditEntry.query.count()
    auth.login(member.email)
    page = client.post(
        f"/projects/{project.id}/status", data={"to": target}, follow_redirects=True
    ).get_data(as_text=True)
    assert "cannot become" in page
    assert reload(project.id).status == start
    assert AuditEntry.query.count() == entries


def test_publishing_needs_a_required_skill_and_a_start_date_not_in_the_past(client, auth, member):
    project = make_project(
        member,
        skills=(projects.SkillWanted("python", 2, False),),
        starts_on=date.today() - timedelta(days=1),
    )
    auth.login(member.email)
    page = client.post(
        f"/projects/{project.id}/status", data={"to": "published"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "List at least one required skill before publishing." in page
    assert "The start date is in the past." in page
    assert reload(project.id).status == "draft"


def test_a_closed_project_can_no_longer_be_edited(client, auth, member):
    project = make_project(member)
    projects.publish(member, project.id)
    projects.close(member, project.id)
    auth.login(member.email)
    client.post(f"/projects/{project.id}/edit", data=project_form(title="Changé"))
    assert reload(project.id).title == "Tri des dossiers médicaux"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "   "}, "Give the project a title."),
        ({"title": "x" * 201}, "At most 200 characters."),
        ({"sector": "space"}, "Choose a sector from the list."),
        ({"sector": ""}, "Choose a sector from the list."),
        ({"mode": "teleportation"}, "Choose how the experts will work."),
        ({"mode": "short_mission", "location": ""}, "Say where in Morocco the experts will work."),
        ({"location": "R" * 121}, "At most 120 characters."),
        ({"description": "d" * 20_001}, "At most 20000 characters."),
        ({"hours_per_month": "0"}, "Enter a whole number from 1 to 160."),
        ({"hours_per_month": "161"}, "Enter a whole number from 1 to 160."),
        ({"hours_per_month": "99999999999999999999999999"}, "Enter a whole number from 1 to 160."),
        ({"hours_per_month": "huit"}, "Not a valid integer value."),
        ({"hours_per_month": ""}, "This field is required."),
        ({"seats": "51"}, "Enter a whole number from 1 to 50."),
        ({"seats": "-3"}, "Enter a whole number from 1 to 50."),
        ({"duration_months": "61"}, "Enter a whole number from 1 to 60."),
        ({"starts_on": "2027-02-30"}, "Enter a date as YYYY-MM-DD, such as 2027-01-15."),
        ({"starts_on": "demain"}, "Enter a date as YYYY-MM-DD, such as 2027-01-15."),
        ({"languages": ["fr", "klingon"]}, "Choose languages from the list."),
        ({"skills-0-level": "9"}, "Not a valid choice."),
        ({"skills-0-level": "abc"}, "Invalid Choice"),
        ({"skills-0-name": "x" * 201}, "A skill name has at most 200 characters."),
    ],
)
def test_bad_values_get_a_message_and_change_nothing(client, auth, member, changes, message):
    project = make_project(member)
    auth.login(member.email)
    for url in ("/projects/new", f"/projects/{project.id}/edit"):
        response = client.post(url, data=project_form(**changes))
        assert response.status_code == 200
        assert message.lower() in response.get_data(as_text=True).lower()
    assert Project.query.count() == 1
    assert reload(project.id).title == "Tri des dossiers médicaux"


def test_add_rows_button_shows_more_skill_rows_and_saves_nothing(client, auth, member):
    auth.login(member.email)
    page = client.post("/projects/new", data=project_form(action="add_rows")).get_data(as_text=True)
    assert 'name="skills-7-name"' in page and 'name="skills-8-name"' not in page
    assert 'value="vision par ordinateur"' in page  # what was typed is kept
    assert Project.query.count() == 0


def test_a_forged_request_with_thousands_of_rows_is_capped(client, auth, member):
    auth.login(member.email)
    data = project_form(**{f"skills-{n}-name": f"skill {n}" for n in range(0, 5000, 7)})
    response = client.post("/projects/new", data=data)
    assert response.status_code == 302
    assert len(Project.query.one().skills) <= 40


def test_unknown_ids_are_not_found(client, auth, member):
    auth.login(member.email)
    assert client.get("/projects/999999").status_code == 404
    assert client.get("/projects/999999/edit").status_code == 404
    assert client.post("/projects/999999/status", data={"to": "published"}).status_code == 404
    assert client.get("/projects/institutions/999999").status_code == 404
    assert client.get("/projects/99999999999999999999999").status_code == 404


def test_editing_keeps_a_published_project_publishable(client, auth, member):
    project = make_project(member)
    projects.publish(member, project.id)
    auth.login(member.email)
    form = project_form(**{"skills-0-need": "nice"})
    page = client.post(f"/projects/{project.id}/edit", data=form).get_data(as_text=True)
    assert "A published project needs at least one required skill." in page
    assert reload(project.id).required_skills


def test_institution_page_lists_published_projects_and_members_only_to_insiders(
    client, auth, make_user, member, health
):
    draft = make_project(member, title="Brouillon secret")
    published = make_project(member, title="Projet publié")
    projects.publish(member, published.id)
    make_user("salma@example.org", role=Role.EXPERT)
    auth.login("salma@example.org")
    page = client.get(f"/projects/institutions/{health.id}").get_data(as_text=True)
    assert "Projet publié" in page and "Brouillon secret" not in page
    assert "nadia@sante.gov.ma" not in page and "Verified" in page
    auth.logout()
    auth.login(member.email)
    page = client.get(f"/projects/institutions/{health.id}").get_data(as_text=True)
    assert "Brouillon secret" in page and "nadia@sante.gov.ma" in page
    assert draft.ref  # drafts stay with their institution


def test_member_dashboard_and_menu_show_the_institution_projects(client, auth, member):
    make_project(member, title="Projet du tableau de bord")
    auth.login(member.email)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Projet du tableau de bord" in page and "/projects/new" in page
    assert 'href="/projects/"' in page
