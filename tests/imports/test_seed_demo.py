"""`flask seed-demo` loads the demo through the import service, and a second run adds nothing."""

from diaspora.models import ExpertProfile, Project, User
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
