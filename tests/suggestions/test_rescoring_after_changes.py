"""Stored suggestions follow the changes people make, and a failed rescore never undoes one."""

from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Match, Project, Role
from diaspora.services import projects, suggestions
from tests.conftest import PASSWORD
from tests.experts.conftest import profile_form, profile_of

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


@pytest.fixture
def expert(make_user, auth):
    user = make_user("salma@example.org", role=Role.EXPERT, name="Salma Bennani")
    auth.login(user.email)
    return user


@pytest.fixture
def member(make_user, make_institution):
    return make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())


def draft(member, title="Dépistage de la rétinopathie") -> Project:
    """A draft the profile of tests/experts/conftest.py fits (ML, vision, Python; French)."""
    return projects.create(
        member,
        projects.ProjectInfo(
            title=title,
            sector="health",
            mode="remote",
            skills=(
                projects.SkillWanted("machine learning", 3, True),
                projects.SkillWanted("computer vision", 3, True),
            ),
            languages=("fr",),
            hours_per_month=8,
            seats=1,
            starts_on=date.today() + timedelta(days=30),
            duration_months=6,
            # The profile is available from 2027-01-15: the project can wait for it.
            flexible_start=True,
        ),
    )


def suggested(project_id: int) -> list[int]:
    db.session.expire_all()
    return [m.expert_id for m in Match.query.filter_by(project_id=project_id, status="suggested")]


def test_saving_a_profile_suggests_the_expert_for_open_projects(client, expert, member):
    project = projects.publish(member, draft(member).id)
    assert suggested(project.id) == []

    assert client.post("/expert/profile/edit", data=profile_form()).status_code == 302
    assert suggested(project.id) == [profile_of(expert).id]

    # Withdrawing consent takes the expert out at once; consenting again brings them back.
    client.post("/expert/profile/edit", data=profile_form(consent_matching=None))
    assert suggested(project.id) == []
    client.post("/expert/profile/edit", data=profile_form())
    assert suggested(project.id) == [profile_of(expert).id]


def test_publishing_editing_and_closing_keep_a_projects_suggestions_current(client, expert, member):
    client.post("/expert/profile/edit", data=profile_form())
    expert_id = profile_of(expert).id
    project = draft(member)
    assert suggested(project.id) == []  # drafts are not matched

    projects.publish(member, project.id)
    assert suggested(project.id) == [expert_id]

    # Asking for Arabic at B2 or better: the expert speaks it natively, so still suggested;
    # asking for English, which the profile does not list, leaves nobody to suggest.
    info = projects.info_of(db.session.get(Project, project.id))
    projects.update(
        member, project.id, projects.ProjectInfo(**{**info.__dict__, "languages": ("ar",)})
    )
    assert suggested(project.id) == [expert_id]
    projects.update(
        member, project.id, projects.ProjectInfo(**{**info.__dict__, "languages": ("en",)})
    )
    assert suggested(project.id) == []
    projects.update(member, project.id, info)
    assert suggested(project.id) == [expert_id]

    projects.close(member, project.id)
    assert suggested(project.id) == []


def test_an_erased_expert_is_no_longer_ranked(client, expert, member):
    client.post("/expert/profile/edit", data=profile_form())
    expert_id = profile_of(expert).id
    project = projects.publish(member, draft(member).id)
    assert suggested(project.id) == [expert_id]

    assert client.post("/expert/data", data={"password": PASSWORD}).status_code == 302
    assert suggested(project.id) == []
    assert suggestions.rank(db.session.get(Project, project.id), 10) == []


def broken(object_id):
    raise RuntimeError("the engine is down")


def test_a_failed_rescore_leaves_the_saved_profile_and_project_standing(
    client, expert, member, monkeypatch, caplog
):
    monkeypatch.setattr(suggestions, "refresh_expert", broken)
    monkeypatch.setattr(suggestions, "refresh_project", broken)

    response = client.post("/expert/profile/edit", data=profile_form(), follow_redirects=True)
    assert response.status_code == 200 and "Your profile is saved." in response.get_data(
        as_text=True
    )
    assert profile_of(expert).city == "Montréal"
    client.post("/expert/profile/confirm")
    assert profile_of(expert).confirmed_at is not None

    project = projects.publish(member, draft(member).id)
    assert db.session.get(Project, project.id).status == "published"
    assert suggested(project.id) == []  # `flask suggestions recompute` catches up
    assert "Rescoring" in caplog.text and "the engine is down" in caplog.text

    monkeypatch.undo()
    suggestions.recompute_all()
    assert suggested(project.id) == [profile_of(expert).id]
