"""`flask seed-demo` loads the demo through the import service, and a second run adds nothing."""

import json

from diaspora.models import ExpertProfile, Institution, Project, User
from tests.imports.test_import_command import snapshot


def test_seed_demo_loads_experts_projects_and_is_idempotent(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "experts: 320 created" in result.output
    assert "projects: 25 created" in result.output
    expert = User.query.filter_by(email="expert@diaspora.demo").one()
    assert expert.expert.country and expert.expert.skills and expert.expert.consent_matching
    member = User.query.filter_by(email="membre@sante.gov.ma").one()
    (membership,) = member.memberships
    own = Project.query.filter_by(institution_id=membership.institution_id).all()
    assert len(own) >= 3 and {"draft", "published"} <= {p.status for p in own}
    before = snapshot()

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "experts: 0 created, 0 updated, 320 unchanged" in again.output
    assert snapshot() == before
    assert ExpertProfile.query.count() == 321


def test_seed_demo_runs_after_an_import_created_its_institution_without_a_domain(runner, tmp_path):
    # A ministry's projects imported from a registry name the institution, never its email
    # domain: the demo member of that ministry must join it, not collide with it.
    name = "Ministère de la Santé et de la Protection sociale"
    record = {
        "ref": "P-IMPORTED-1",
        "institution": name,
        "title": "Registre national des maladies chroniques",
        "description": "Consolider les registres régionaux.",
        "sector": "health",
        "skills": [{"name": "SQL", "level": 3, "required": True}],
        "languages": ["fr"],
        "mode": "remote",
        "hours_per_month": 8,
        "seats": 1,
    }
    path = tmp_path / "projects.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    imported = runner.invoke(args=["import", "projects", str(path)])
    assert imported.exit_code == 0, imported.output

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    (ministry,) = Institution.query.filter_by(name=name).all()
    member = User.query.filter_by(email="membre@sante.gov.ma").one()
    assert [m.institution_id for m in member.memberships] == [ministry.id]
    assert ministry.email_domain == "sante.gov.ma"
