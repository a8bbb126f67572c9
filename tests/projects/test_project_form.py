"""The project form shows a project as it is stored and sends it back unchanged: an imported
project, whatever the import accepted, can be opened and saved by its institution's members,
with or without JavaScript."""

import json
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Project, Role
from diaspora.rules import projects as project_rules
from diaspora.services import projects
from tests.submitted_form import submitted

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()
SKILLS = [
    {"name": "vision par ordinateur", "level": 4, "required": True},
    {"name": "machine learning", "level": 3, "required": True},
    {"name": "Python", "level": 2, "required": False},
    {"name": "SIG", "level": 5, "required": False},
    {"name": "gestion de projet", "level": 1, "required": True},
    {"name": "تحليل البيانات", "level": 3, "required": False},
]


@pytest.fixture
def member(make_user, make_institution):
    university = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
    return make_user("amal@um5.ac.ma", role=Role.INSTITUTION, institution=university)


def import_project(runner, tmp_path, **fields) -> Project:
    line = {
        "ref": "P-1", "institution": "Université Mohammed V",
        "title": "Archives <numérisées> & indexées",
        "description": "Première ligne.\n\nDeuxième paragraphe, avec « guillemets ».\n",
        "sector": "culture_language", "skills": SKILLS, "languages": ["fr", "ary", "eu"],
        "mode": "hybrid", "location": "Fès", "hours_per_month": 160, "seats": 50,
        "starts_on": NEXT_YEAR, "duration_months": 60, **fields,
    }  # fmt: skip
    path = tmp_path / "projects.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n")
    result = runner.invoke(args=["import", "projects", str(path)])
    assert "1 created" in result.output, result.output
    return Project.query.filter_by(ref="P-1").one()


def stored(project_id: int) -> projects.ProjectInfo:
    db.session.expire_all()
    return projects.info_of(db.session.get(Project, project_id))


def test_an_imported_project_saved_untouched_through_its_form_is_unchanged(
    runner, tmp_path, client, auth, member
):
    project = import_project(runner, tmp_path)
    before = stored(project.id)
    auth.login(member.email)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/projects/{project.id}/edit", data=submitted(page, "project-form", action="save")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert stored(project.id) == before


def test_the_form_offers_empty_skill_rows_after_the_saved_ones(
    runner, tmp_path, client, auth, member
):
    project = import_project(runner, tmp_path)
    auth.login(member.email)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    sent = submitted(page, "project-form")
    names = [sent[f"skills-{n}-name"] for n in range(len(SKILLS) + 3)]
    assert names == [s["name"] for s in SKILLS] + ["", "", ""]
    assert f"skills-{len(SKILLS) + 3}-name" not in sent


def test_a_project_with_the_most_skills_the_import_takes_opens_and_saves(
    runner, tmp_path, client, auth, member
):
    most = [{"name": f"compétence {n}", "level": 3} for n in range(project_rules.MAX_SKILLS)]
    project = import_project(runner, tmp_path, skills=most)
    before = stored(project.id)
    auth.login(member.email)
    response = client.get(f"/projects/{project.id}/edit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    response = client.post(
        f"/projects/{project.id}/edit", data=submitted(page, "project-form", action="save")
    )
    assert response.status_code == 302
    assert stored(project.id) == before
    # No room for one more row: asking for more shows the form again, all rows kept.
    response = client.post(
        f"/projects/{project.id}/edit", data=submitted(page, "project-form", action="add_rows")
    )
    assert response.status_code == 200
    assert len(stored(project.id).skills) == project_rules.MAX_SKILLS


def test_the_import_refuses_a_project_with_more_skills_than_the_form_holds(runner, tmp_path):
    too_many = [
        {"name": f"compétence {n}", "level": 3} for n in range(project_rules.MAX_SKILLS + 1)
    ]
    path = tmp_path / "projects.jsonl"
    line = {
        "ref": "P-1", "institution": "Université Mohammed V", "title": "Archives",
        "sector": "culture_language", "skills": too_many, "mode": "remote",
        "hours_per_month": 6, "seats": 1,
    }  # fmt: skip
    path.write_text(json.dumps(line) + "\n")
    result = runner.invoke(args=["import", "projects", str(path)])
    assert f"skills lists {project_rules.MAX_SKILLS + 1} skills, at most" in result.output
    assert Project.query.count() == 0


def test_a_skill_row_marked_remove_is_left_out_on_save(runner, tmp_path, client, auth, member):
    project = import_project(runner, tmp_path)
    auth.login(member.email)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    form = submitted(page, "project-form", action="save")
    form["skills-2-remove"] = "y"
    assert client.post(f"/projects/{project.id}/edit", data=form).status_code == 302
    kept = [s.name for s in stored(project.id).skills]
    assert kept == [s["name"] for s in SKILLS if s["name"] != "Python"]


def test_more_rows_without_javascript_keep_what_was_typed_and_save_nothing(
    runner, tmp_path, client, auth, member
):
    project = import_project(runner, tmp_path)
    auth.login(member.email)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    form = submitted(page, "project-form", action="add_rows")
    form["title"] = "Un autre titre"
    form[f"skills-{len(SKILLS)}-name"] = "OCR"
    again = client.post(f"/projects/{project.id}/edit", data=form).get_data(as_text=True)
    sent = submitted(again, "project-form")
    assert sent["title"] == "Un autre titre" and sent[f"skills-{len(SKILLS)}-name"] == "OCR"
    assert f"skills-{len(SKILLS) + 5}-name" in sent  # three rows more than before
    assert stored(project.id).title == "Archives <numérisées> & indexées"
