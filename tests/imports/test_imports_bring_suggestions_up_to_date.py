"""Every door to the import (admin upload, `flask import`, `flask seed-demo`) leaves the stored
suggestions up to date, with no `flask suggestions recompute` afterwards: the commands at once,
the upload once the outbox worker has run the rescoring it queued."""

import io
import json

import pytest

from diaspora.extensions import db
from diaspora.models import Match, Project, Role
from diaspora.services import rescore_jobs, suggestions
from tests.conftest import DEV_SET as DEV

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

EXPERTS = (DEV / "experts.jsonl").read_bytes()
PROJECTS = (DEV / "projects.jsonl").read_bytes()
PROJECTS_CSV = (
    "ref,institution,title,sector,skills,languages,mode,hours_per_month,seats\n"
    "P-UP1,Université Mohammed V,Vision par ordinateur pour la santé,health,"
    "computer vision:3;machine learning:3,fr,remote,6,1\n"
).encode()


def first_lines(content: bytes, n: int) -> bytes:
    return b"\n".join(content.splitlines()[:n]) + b"\n"


def upload(client, content: bytes, filename: str, kind: str):
    """Upload a file, then let the outbox worker do the rescoring it queued."""
    data = {"kind": kind, "upload": (io.BytesIO(content), filename)}
    page = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    rescore_jobs.run_due()
    return page


def stored() -> dict[str, list[int]]:
    """Each open project's stored suggestions, best first."""
    db.session.expire_all()
    return {
        project.ref: [
            m.expert_id for m in Match.query.filter_by(project_id=project.id).order_by(Match.rank)
        ]
        for project in Project.query.filter_by(status="published").order_by(Project.id)
    }


def recomputed() -> dict[str, list[int]]:
    """What `flask suggestions recompute` would store."""
    suggestions.recompute_all()
    return stored()


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin@example.org", role=Role.ADMIN)
    auth.login(user.email)
    return user


@pytest.mark.parametrize(
    ("content", "filename"),
    [(first_lines(PROJECTS, 5), "projects.jsonl"), (PROJECTS_CSV, "projets.csv")],
    ids=["jsonl", "csv"],
)
def test_uploaded_projects_have_their_suggestions_at_once(client, admin, content, filename):
    upload(client, EXPERTS, "experts.jsonl", "experts")
    page = upload(client, content, filename, "projects").get_data(as_text=True)
    assert "0 rejected" in page
    after_upload = stored()
    assert after_upload and all(after_upload.values())
    assert after_upload == recomputed()


def test_uploaded_experts_enter_the_suggestions_of_open_projects(client, admin):
    upload(client, first_lines(PROJECTS, 5), "projects.jsonl", "projects")
    assert not any(stored().values())  # nobody to suggest yet
    upload(client, EXPERTS, "experts.jsonl", "experts")
    after_upload = stored()
    assert all(after_upload.values()) and after_upload == recomputed()


def test_an_updated_project_is_rescored(client, admin):
    upload(client, EXPERTS, "experts.jsonl", "experts")
    upload(client, first_lines(PROJECTS, 1), "projects.jsonl", "projects")
    before = stored()
    # The first project's line with the needs of another project: same ref, an update.
    first, other = (json.loads(line) for line in PROJECTS.splitlines()[:2])
    changed = {**other, "ref": first["ref"], "institution": first["institution"]}
    page = upload(client, json.dumps(changed).encode() + b"\n", "projects.jsonl", "projects")
    assert "1 updated" in page.get_data(as_text=True)
    after_upload = stored()
    assert after_upload != before and after_upload == recomputed()


def test_the_import_command_stores_suggestions(runner, outbox, tmp_path):
    assert runner.invoke(args=["import", "experts", f"{DEV}/experts.jsonl"]).exit_code == 0
    result = runner.invoke(args=["import", "projects", f"{DEV}/projects.jsonl"])
    assert result.exit_code == 0, result.output
    assert "54 created" in result.output
    after_import = stored()
    assert len(after_import) == 54 and all(after_import.values())
    assert f"54 projects, {sum(map(len, after_import.values()))} suggestions stored" in (
        result.output
    )
    assert after_import == recomputed()
    assert outbox(kind=rescore_jobs.KIND) == []  # rescored at once, nothing left to the worker


def test_a_failed_rescoring_keeps_the_import_and_says_what_to_run(
    client, admin, runner, monkeypatch, caplog, tmp_path
):
    def broken(progress=None):
        raise RuntimeError("the engine is down")

    monkeypatch.setattr(suggestions, "recompute_all", broken)
    page = upload(client, first_lines(PROJECTS, 2), "projects.jsonl", "projects")
    assert page.status_code == 200
    assert "2 lines imported" in page.get_data(as_text=True)
    assert Project.query.count() == 2
    assert "the engine is down" in caplog.text
    text = client.get("/admin/imports").get_data(as_text=True)
    assert "Its last attempt failed" in text and "the engine is down" in text

    path = tmp_path / "projects.jsonl"
    path.write_bytes(first_lines(PROJECTS, 3))
    result = runner.invoke(args=["import", "projects", str(path)])
    assert result.exit_code == 1
    assert "1 created" in result.output and "flask suggestions recompute" in result.output
    assert Project.query.count() == 3
