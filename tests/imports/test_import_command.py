"""`flask import` / `flask export` on interchange files, as an admin runs them."""

import json

import pytest
from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Project, User
from tests.conftest import DEV_SET as DEV  # noqa: E402


def snapshot() -> dict:
    """Every row of every table but the audit log (which records that an import ran)."""
    db.session.expire_all()
    tables = [t for t in db.metadata.sorted_tables if t.name != "audit_entries"]
    return {
        t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables
    }


def run_import(runner, kind, path):
    return runner.invoke(args=["import", kind, str(path)])


def test_dev_set_imports_cleanly_and_a_second_import_changes_nothing(runner):
    result = run_import(runner, "experts", f"{DEV}/experts.jsonl")
    assert result.exit_code == 0, result.output
    assert "413 created" in result.output
    result = run_import(runner, "projects", f"{DEV}/projects.jsonl")
    assert result.exit_code == 0, result.output
    assert "54 created" in result.output
    before = snapshot()

    again = run_import(runner, "experts", f"{DEV}/experts.jsonl")
    assert again.exit_code == 0 and "413 unchanged" in again.output
    again = run_import(runner, "projects", f"{DEV}/projects.jsonl")
    assert again.exit_code == 0 and "54 unchanged" in again.output
    assert snapshot() == before


def test_imported_experts_have_no_password_and_a_confirmed_profile(runner):
    run_import(runner, "experts", f"{DEV}/experts.jsonl")
    first = json.loads((DEV / "experts.jsonl").read_text(encoding="utf-8").splitlines()[0])
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.ref == first["ref"]))
    user = profile.user
    assert user.password_hash is None and not user.is_verified and user.locale == "fr"
    assert user.email == first["email"].lower() and user.role == "expert"
    assert profile.confirmed_at is not None
    assert [s.name for s in profile.skills] == [s["name"] for s in first["skills"]]
    assert any(s.concept_id for s in profile.skills)  # normalised through the taxonomy


def test_imported_projects_are_published_for_verified_institutions(runner):
    run_import(runner, "projects", f"{DEV}/projects.jsonl")
    projects = db.session.scalars(select(Project)).all()
    assert len(projects) == 54 and {p.status for p in projects} == {"published"}
    assert all(i.is_verified for i in db.session.scalars(select(Institution)))
    assert all(p.required_skills for p in projects)


def test_a_changed_line_updates_its_record_and_leaves_the_others(runner, tmp_path):
    lines = (DEV / "experts.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    path = tmp_path / "experts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_import(runner, "experts", path)
    changed = json.loads(lines[1])
    changed["hours_per_month"] = 33
    lines[1] = json.dumps(changed)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_import(runner, "experts", path)
    assert "0 created, 1 updated, 2 unchanged" in result.output
    db.session.expire_all()
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.ref == changed["ref"]))
    assert profile.hours_per_month == 33


def test_bad_lines_are_reported_by_number_and_the_good_ones_imported(runner, tmp_path):
    good = (DEV / "experts.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    wrong_level = json.loads(good[1])
    wrong_level.update(ref="E-bad-level", email="other@example.org")
    wrong_level["skills"][0]["level"] = 9
    long_name = json.loads(good[0])
    long_name.update(ref="E-long", email="long@example.org", full_name="x" * 150)
    same_email = json.loads(good[0])
    same_email["ref"] = "E-stolen-email"
    path = tmp_path / "experts.jsonl"
    path.write_text(
        "\n".join(
            [
                good[0],
                "{not json",
                json.dumps(wrong_level),
                good[1],
                json.dumps(long_name),
                json.dumps(same_email),
                "[1, 2]",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = run_import(runner, "experts", path)
    assert result.exit_code == 1
    assert "line 2: line is not valid JSON" in result.output
    assert "line 3: skills[0].level must be an integer from 1 to 5" in result.output
    assert "line 5: full_name is too long" in result.output
    assert "line 6: email" in result.output and "belongs to another account" in result.output
    assert "line 7: a record must be a JSON object" in result.output
    assert "2 created" in result.output and "5 rejected" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_csv_import_reads_lists_and_skills(runner, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_text(
        "ref,institution,title,sector,skills,languages,mode,location,hours_per_month,seats\n"
        "P-CSV1,Agence du Développement Digital,Chatbot citoyen,public_administration,"
        "traitement automatique du langage:3:true;python:2:false,fr;ar,hybrid,Rabat,10,2\n"
        "P-CSV2,Agence du Développement Digital,Sans compétence,health,,fr,remote,,10,1\n",
        encoding="utf-8",
    )
    result = run_import(runner, "projects", path)
    assert result.exit_code == 1
    assert "line 3: skills must list at least one skill" in result.output
    project = db.session.scalar(select(Project).where(Project.ref == "P-CSV1"))
    assert project.languages == ["fr", "ar"] and project.mode == "hybrid"
    assert [(s.name, s.level, s.required) for s in project.skills] == [
        ("traitement automatique du langage", 3, True),
        ("python", 2, False),
    ]
    assert project.institution.name == "Agence du Développement Digital"


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_export_then_import_round_trips(runner, tmp_path, suffix):
    run_import(runner, "experts", f"{DEV}/experts.jsonl")
    run_import(runner, "projects", f"{DEV}/projects.jsonl")
    before = snapshot()
    for kind, count in (("experts", 413), ("projects", 54)):
        path = tmp_path / f"{kind}.{suffix}"
        result = runner.invoke(args=["export", kind, str(path)])
        assert result.exit_code == 0 and f"{count} {kind} written" in result.output
        again = run_import(runner, kind, path)
        assert again.exit_code == 0 and f"{count} unchanged" in again.output, again.output
    assert snapshot() == before


def test_a_file_of_another_type_is_refused_with_a_message(runner, tmp_path):
    path = tmp_path / "experts.xlsx"
    path.write_bytes(b"PK\x03\x04")
    result = run_import(runner, "experts", path)
    assert result.exit_code != 0 and "name it .jsonl or .csv" in result.output
