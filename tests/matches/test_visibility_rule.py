"""Who sees a match: admins see every one; the expert and the project's institution see it only
from an admin's approval on, through every change of the project (published, closed by a
member, seats filled by an acceptance) and whatever became of the match.

Each scenario drives one project from draft through the real use cases; each test then looks
at it as one role does: the pipeline pages (names and counts), the match page, the expert's
invitations and dashboard, and the emails.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertSkill, Match, ProjectSkill, Role
from diaspora.models.base import utcnow
from diaspora.services import insights, invitations, projects, reviews
from diaspora.services.pipelines import STEPS
from diaspora.taxonomy import get_taxonomy
from tests.matches.conftest import fresh

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

TITLE = "Lecture automatique des radiographies"
SUBJECT = "Salma Bennani"  # the expert whose match each scenario follows
FILLER = "Youssef Filali"  # another suggested expert, who may take the only seat
NAMED_STEPS = set(STEPS) - {"suggested"}  # a pipeline names nobody still waiting for review


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[str, ...]
    status: str | None  # the subject's match at the end (None: there is none yet)
    approved: bool
    # What the institution's members count per step (steps not named count 0).
    member_counts: dict[str, int] = field(default_factory=dict)

    def __str__(self):
        return self.name


SCENARIOS = [
    Scenario("draft", (), None, False),
    Scenario("published", ("publish",), "suggested", False, {"suggested": 2}),
    Scenario("rejected", ("publish", "reject S"), "rejected", False, {"suggested": 1}),
    Scenario("closed-by-member-never-approved", ("publish", "close"), "closed", False),
    Scenario(
        "closed-by-seats-never-approved",
        ("publish", "approve F", "accept F"),
        "closed",
        False,
        {"accepted": 1},
    ),
    Scenario("rejected-then-closed", ("publish", "reject S", "close"), "rejected", False),
    Scenario("invited", ("publish", "approve S"), "invited", True, {"suggested": 1, "invited": 1}),
    Scenario(
        "accepted-filling-the-seat",
        ("publish", "approve S", "accept S"),
        "accepted",
        True,
        {"accepted": 1},
    ),
    Scenario(
        "declined",
        ("publish", "approve S", "decline S"),
        "declined",
        True,
        {"suggested": 1, "declined": 1},
    ),
    Scenario(
        "expired",
        ("publish", "approve S", "expire"),
        "expired",
        True,
        {"suggested": 1, "expired": 1},
    ),
    Scenario(
        "closed-by-member-after-approval",
        ("publish", "approve S", "close"),
        "closed",
        True,
        {"closed": 1},
    ),
    Scenario(
        "closed-by-seats-after-approval",
        ("publish", "approve S", "approve F", "accept F"),
        "closed",
        True,
        {"accepted": 1, "closed": 1},
    ),
    Scenario(
        "accepted-then-closed",
        ("publish", "approve S", "accept S", "close"),
        "accepted",
        True,
        {"accepted": 1},
    ),
    Scenario(
        "declined-then-seats-filled",
        ("publish", "approve S", "decline S", "approve F", "accept F"),
        "declined",
        True,
        {"declined": 1, "accepted": 1},
    ),
    Scenario(
        "expired-then-closed",
        ("publish", "approve S", "expire", "close"),
        "expired",
        True,
        {"expired": 1},
    ),
]


def concept(name):
    return get_taxonomy().normalise(name).concept_id


class Stage:
    """One institution's draft project (one seat) and the people around it."""

    def __init__(self, world, make_expert, make_project, make_user, make_institution, clock):
        self.world = world
        self.clock = clock
        self.admin, self.member = world.admin, world.member
        self.subject = world.expert  # Salma Bennani
        self.filler = make_expert("youssef@example.org", name=FILLER)
        self.other_expert = world.other_expert  # no skills, no modes: never suggested
        elsewhere = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
        self.outsider = make_user(
            "prof@um5.ac.ma", role=Role.INSTITUTION, institution=elsewhere, name="Hind Outsider"
        )
        for expert in (self.subject, self.filler):
            expert.modes = ["remote"]
            expert.confirmed_at = utcnow()
            expert.skills = [
                ExpertSkill(name="computer vision", level=4, concept_id=concept("computer vision"))
            ]
        self.project = make_project(world.institution, title=TITLE, seats=1, status="draft")
        self.project.starts_on = date.today() + timedelta(days=30)
        self.project.skills = [
            ProjectSkill(
                name="computer vision",
                level=3,
                required=True,
                concept_id=concept("computer vision"),
            )
        ]
        db.session.commit()

    def match_of(self, expert) -> Match | None:
        db.session.expire_all()
        return Match.query.filter_by(project_id=self.project.id, expert_id=expert.id).first()

    def run(self, steps):
        for step in steps:
            action, _, who = step.partition(" ")
            expert = {"S": self.subject, "F": self.filler, "": None}[who]
            if action == "publish":
                projects.publish(self.member, self.project.id)
                # The engine, not the test, put both experts forward.
                assert self.match_of(self.subject).status == "suggested"
                assert self.match_of(self.filler).status == "suggested"
            elif action == "close":
                projects.close(self.member, self.project.id)
            elif action == "approve":
                reviews.approve(self.admin, self.match_of(expert).id)
            elif action == "reject":
                reviews.reject(self.admin, self.match_of(expert).id, "Not this time")
            elif action in ("accept", "decline"):
                invitations.answer(expert.user, self.match_of(expert).id, action == "accept")
            elif action == "expire":
                self.clock.advance(days=15)
                assert invitations.tick().expired >= 1
            else:
                raise AssertionError(step)


@pytest.fixture
def stage(world, make_expert, make_project, make_user, make_institution, clock):
    return Stage(world, make_expert, make_project, make_user, make_institution, clock)


def play(stage, scenario) -> Match | None:
    stage.run(scenario.steps)
    match = stage.match_of(stage.subject)
    assert (match.status if match else None) == scenario.status
    return match


# -- what a page shows --------------------------------------------------------------------


def pipeline_counts(client, project_id) -> dict[str, int]:
    """The count in each step's heading of a project's pipeline page."""
    page = client.get(f"/matches/projects/{project_id}/pipeline")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return {
        step: int(re.search(rf'id="step-{step}">[^<]*\((\d+)\)</h2>', text).group(1))
        for step in STEPS
    }


def overview_counts(client, project_id) -> dict[str, int]:
    """The project's row in the institution's table of pipelines."""
    text = client.get("/matches/pipeline").get_data(as_text=True)
    row = re.search(rf'/projects/{project_id}/pipeline">.*?</tr>', text, re.S).group(0)
    cells = [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', row)]
    return dict(zip(STEPS, cells, strict=False))  # the last cell is the seats


def as_counts(expected: dict[str, int]) -> dict[str, int]:
    return {step: expected.get(step, 0) for step in STEPS}


def login(client, auth, user):
    auth.login(user.email)
    client.post("/language", data={"lang": "en"})  # Nadia reads French; assertions read English


# -- each role ----------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_admins_see_every_match_as_before(client, auth, stage, scenario):
    match = play(stage, scenario)
    login(client, auth, stage.admin)
    everything = [m.status for m in Match.query.filter_by(project_id=stage.project.id)]
    assert pipeline_counts(client, stage.project.id) == as_counts(
        {step: everything.count(step) for step in STEPS}
    )
    page = client.get(f"/matches/projects/{stage.project.id}/pipeline").get_data(as_text=True)
    assert (SUBJECT in page) == (scenario.status in NAMED_STEPS)
    if match is not None:
        assert client.get(f"/matches/{match.id}").status_code == 200
    # The funnel counts as invited every approval, whatever happened next.
    approvals = sum(step.startswith("approve") for step in scenario.steps)
    assert dict(insights.funnel())["invited"] == approvals


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_members_see_an_expert_only_from_an_admin_approval_on(
    client, auth, stage, outbox, scenario
):
    match = play(stage, scenario)
    login(client, auth, stage.member)
    assert pipeline_counts(client, stage.project.id) == as_counts(scenario.member_counts)
    assert overview_counts(client, stage.project.id) == as_counts(scenario.member_counts)
    page = client.get(f"/matches/projects/{stage.project.id}/pipeline").get_data(as_text=True)
    assert (SUBJECT in page) == scenario.approved
    if match is not None:
        assert (f'/matches/{match.id}"' in page) == scenario.approved
        shown = client.get(f"/matches/{match.id}")
        assert shown.status_code == (200 if scenario.approved else 404)
        assert (SUBJECT in shown.get_data(as_text=True)) == scenario.approved
    for member in (stage.member, stage.world.colleague):
        told = " ".join(m.body_text for m in outbox(to=member.email))
        assert (SUBJECT in told) == (scenario.status in ("accepted", "declined"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_the_expert_sees_only_what_an_admin_approved(client, auth, stage, outbox, scenario):
    match = play(stage, scenario)
    login(client, auth, stage.subject.user)
    for url in ("/matches/invitations", "/dashboard"):
        page = client.get(url)
        assert page.status_code == 200
        assert (TITLE in page.get_data(as_text=True)) == scenario.approved, url
    if match is not None:
        shown = client.get(f"/matches/{match.id}")
        assert shown.status_code == (200 if scenario.approved else 404)
        assert (TITLE in shown.get_data(as_text=True)) == scenario.approved
    if match is not None and not scenario.approved:
        for answer in ("accept", "decline"):  # nor can they answer it, or learn its status
            assert client.post(f"/matches/{match.id}/{answer}").status_code == 404
        assert fresh(match).status == scenario.status
    # Never approved, never written to: no invitation, no "the project is closed" either. (An
    # alert about the newly published project is about the project, which anyone may read.)
    told = [m for m in outbox(to=stage.subject.user.email) if m.kind != "project_alert"]
    assert bool(told) == scenario.approved


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
@pytest.mark.parametrize("outsider", ["other institution", "other expert", "anonymous"])
def test_outsiders_never_see_the_match(client, auth, stage, scenario, outsider):
    match = play(stage, scenario)
    user = {
        "other institution": stage.outsider,
        "other expert": stage.other_expert.user,
        "anonymous": None,
    }[outsider]
    if user is not None:
        login(client, auth, user)
    pages = [
        "/matches/pipeline",
        f"/matches/projects/{stage.project.id}/pipeline",
        "/matches/invitations",
        "/dashboard",
    ]
    if match is not None:
        pages.append(f"/matches/{match.id}")
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), url
        assert SUBJECT not in response.get_data(as_text=True), url
        assert TITLE not in response.get_data(as_text=True), url
    if match is not None and user is not None:
        assert client.get(f"/matches/{match.id}").status_code == 404
