"""A project's numbers have one range, shared by the import and the project page: whatever the
import accepts, the institution's members can edit and save; one above is refused by both."""

import json

import pytest

from diaspora.extensions import db
from diaspora.models import Project, Role
from tests.projects.test_project_pages import project_form

# field: (largest value allowed, message of the page for one more)
LIMITS = {
    "hours_per_month": (160, "Enter a whole number from 1 to 160."),
    "seats": (50, "Enter a whole number from 1 to 50."),
    "duration_months": (60, "Enter a whole number from 1 to 60."),
}


@pytest.fixture
def member(make_user, make_institution):
    university = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
    return make_user("amal@um5.ac.ma", role=Role.INSTITUTION, institution=university)


def import_project(runner, tmp_path, **numbers):
    line = {
        "ref": "P-1", "institution": "Université Mohammed V", "title": "Archives numérisées",
        "sector": "culture_language", "skills": [{"name": "OCR", "level": 3}],
        "mode": "remote", "hours_per_month": 6, "seats": 1, **numbers,
    }  # fmt: skip
    path = tmp_path / "projects.jsonl"
    path.write_text(json.dumps(line) + "\n")
    return runner.invoke(args=["import", "projects", str(path)])


@pytest.mark.parametrize("field", LIMITS)
def test_a_project_imported_at_the_largest_value_is_saved_by_its_member(
    runner, tmp_path, client, auth, member, field
):
    largest, _ = LIMITS[field]
    result = import_project(runner, tmp_path, **{field: largest})
    assert "1 created" in result.output, result.output
    project = Project.query.filter_by(ref="P-1").one()
    auth.login(member.email)
    assert client.get(f"/projects/{project.id}/edit").status_code == 200
    form = project_form(title="Archives numérisées, phase 2", **{field: str(largest)})
    response = client.post(f"/projects/{project.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert (saved.title, getattr(saved, field)) == ("Archives numérisées, phase 2", largest)


@pytest.mark.parametrize("field", LIMITS)
def test_one_above_the_largest_value_is_refused_by_the_import_and_the_page(
    runner, tmp_path, client, auth, member, field
):
    largest, message = LIMITS[field]
    result = import_project(runner, tmp_path, **{field: largest + 1})
    assert f"{field} must be an integer from 1 to {largest} (got {largest + 1})" in result.output
    assert Project.query.count() == 0
    auth.login(member.email)
    response = client.post("/projects/new", data=project_form(**{field: str(largest + 1)}))
    assert message in response.get_data(as_text=True)
    assert Project.query.count() == 0
