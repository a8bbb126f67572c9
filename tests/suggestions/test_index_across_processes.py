"""Several app processes on one database: what one changes, the others rank at once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Role
from diaspora.services import experts, match_index, projects
from tests.conftest import PASSWORD
from tests.statements import counted_statements
from tests.suggestions.app_process import AppProcess

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

PROFILE = dict(
    country="FR",
    city="Paris",
    languages=(("fr", "C1"),),
    sectors=("health",),
    modes=("remote",),
    hours_per_month=10,
    consent_matching=True,
)
STRONG = (("machine learning", 2), ("computer vision", 2))  # below the level asked
WEAK = (("cuisine marocaine", 5),)
BEST = (("machine learning", 5), ("computer vision", 5), ("Python", 5))


@pytest.fixture
def people(make_user, make_institution):
    member = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=make_institution())
    strong = make_user("salma@example.org")
    weak = make_user("karim@example.org")
    experts.update_profile(strong, experts.ProfileInput(skills=STRONG, **PROFILE))
    experts.update_profile(weak, experts.ProfileInput(skills=WEAK, **PROFILE))
    draft = projects.create(
        member,
        projects.ProjectInfo(
            title="Dépistage de la rétinopathie",
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
        ),
    )
    ids = dict(member=member.id, strong=strong.id, weak=weak.id, project=draft.id)
    profiles = {p.user_id: p.id for p in db.session.scalars(db.select(ExpertProfile))}
    ids.update(strong_profile=profiles[strong.id], weak_profile=profiles[weak.id])
    return ids


@pytest.fixture
def two_processes(app, database_url):
    processes = [AppProcess(database_url), AppProcess(database_url)]
    yield processes
    for process in processes:
        process.stop()


def test_a_profile_saved_through_one_process_is_ranked_by_the_other_at_its_next_request(
    people, two_processes
):
    a, b = two_processes
    a("index")
    index_of_b, indexed = b("index")  # built before the change, as a running server has it
    assert indexed == 2

    a("save_profile", people["weak"], dict(skills=BEST, **PROFILE))
    ranked = b("publish", people["member"], people["project"])
    assert ranked == [people["weak_profile"], people["strong_profile"]]
    assert b("index") == (index_of_b, 2)  # patched in place of being built again

    a("erase", people["strong"], PASSWORD)
    assert b("rank", people["project"], 10) == [people["weak_profile"]]
    assert b("index") == (index_of_b, 1)


def test_keeping_the_index_in_step_reads_no_expert_when_nothing_changed(app, people):
    match_index.current_index()
    with counted_statements() as statements:
        match_index.current_index()
    assert len(statements) == 1 and "expert_changes" in statements[0]


def test_building_the_index_loads_no_profile_object(app, people):
    loaded = []

    def listener(target, context):
        loaded.append(target)

    event.listen(ExpertProfile, "load", listener)
    try:
        match_index.forget_index()
        assert len(match_index.current_index()) == 2
    finally:
        event.remove(ExpertProfile, "load", listener)
    assert loaded == []
