"""Every page a user visits often runs a bounded number of SQL statements: the same number in a
small world and in one five times bigger (no query per row shown, an N+1 cannot come back
unnoticed), and no more than the ceiling stated for it below."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.matching import ENGINE_VERSION, Weights
from diaspora.models import (
    AuditEntry,
    Collaboration,
    CollaborationRating,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    HoursEntry,
    Institution,
    Match,
    MemberInvitation,
    MemberRole,
    Membership,
    OutboxMessage,
    Project,
    ProjectSkill,
    Role,
    User,
)
from diaspora.models.base import utcnow
from tests.conftest import FAST_HASH, PASSWORD
from tests.explanations import engine_explanation
from tests.statements import counted_statements

# The engine's text factor would load a sentence encoder; it plays no part in page queries.
pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

EXPERT_EMAIL = "salma@example.org"
SMALL, BIG = 1, 5  # units of data (see `add_unit`): the big world is five times the small one

# page -> (who visits it, its address, the most statements it may run). The address is a
# function of the world, for the pages of one project, match or profile.
PAGES = {
    "home (guest)": (None, "/", 0),
    "home (signed in)": ("expert", "/", 2),
    "log-in page": (None, "/auth/login", 0),
    # Collaborations (dashboard, profiles, project page): the rows, then their confirmed hours.
    "expert dashboard": ("expert", "/dashboard", 8),
    "member dashboard": ("member", "/dashboard", 3),
    "admin dashboard": ("admin", "/admin/", 6),
    # Profiles: the session, the profile, its languages, its skills, its attached CV, its stays
    # in Morocco, its collaborations and their confirmed hours.
    "own expert profile": ("expert", "/expert/profile", 9),
    # One of them asks whether the expert accepted one of the member's projects (their CV).
    "expert profile seen by a member": ("member", lambda w: f"/expert/profiles/{w.expert_ref}", 10),
    "projects list (member)": ("member", "/projects/", 3),
    "projects list (admin)": ("admin", "/projects/", 3),
    "project page": ("member", lambda w: f"/projects/{w.project_id}", 6),
    "institution page": ("member", lambda w: f"/projects/institutions/{w.institution_id}", 5),
    "review queue": ("admin", "/matches/review", 5),
    "expert search (review)": (
        "admin",
        lambda w: f"/matches/review/projects/{w.project_id}/add?q=expert",
        5,
    ),
    # Match page: the session, the match, the requests for review of it, the expert's account,
    # and for an accepted match the collaboration it began (its link).
    "match page (admin)": ("admin", lambda w: f"/matches/{w.match_id}", 6),
    "match page (expert)": ("expert", lambda w: f"/matches/{w.match_id}", 6),
    # The session, open projects, waiting pairs, hours committed, seats filled, experts' names.
    "allocation": ("admin", "/admin/allocation", 7),
    # Both draw the funnel month by month: one grouped query.
    "insights": ("admin", "/admin/insights", 7),
    # Exposure now (2), the funnel by month, and the fairness monitor: the experts' groups,
    # suggestions, invitations and projects by month, the index's change marker, those projects
    # and their skills.
    "exposure": ("admin", "/admin/exposure", 12),
    "audit log": ("admin", "/admin/audit", 4),
    "institutions (admin)": ("admin", "/admin/institutions", 4),
    "outbox": ("admin", "/admin/mail", 3),
    "pipelines": ("member", "/matches/pipeline", 4),
    "project pipeline": ("member", lambda w: f"/matches/projects/{w.project_id}/pipeline", 5),
    "expert invitations": ("expert", "/matches/invitations", 3),
    "skill autocomplete": (None, "/api/skills?q=machine&lang=en", 0),
    "expert search (member)": ("member", "/search/experts?country=FR&hours=5", 6),
    "expert search (admin)": ("admin", "/search/experts?language=fr&level=B2", 5),
    "proposal form": ("member", "/search/experts/E-SALMA/propose?skill=ML", 4),
    "projects for an expert": ("expert", "/opportunities/?unfit=1", 10),
    "interest page": ("expert", lambda w: f"/opportunities/{w.open_project.id}/interest", 10),
    "open projects (guest)": (None, "/opportunities/open", 4),
    # One aggregate per table (skills take two: demand, then supply); kept a while outside tests.
    "open statistics (guest)": (None, "/statistics", 11),
    # The member manages their institution: the session, its members, its pending invitations,
    # the member's own memberships and institutions (the header's switcher).
    "members page": ("member", lambda w: f"/institutions/{w.institution_id}/members", 6),
    # The session, the collaboration with its project, institution and expert, its hours, its
    # ratings (admins read them), and the accepted match it continues.
    "collaboration (member)": ("member", lambda w: f"/collaborations/{w.collaboration_id}", 6),
    "collaboration (expert)": ("expert", lambda w: f"/collaborations/{w.collaboration_id}", 6),
    "collaboration (admin)": ("admin", lambda w: f"/collaborations/{w.collaboration_id}", 6),
}


@dataclass
class World:
    admin: User
    member: User
    expert: ExpertProfile
    institution: Institution  # the member's, with the project and match every page shows
    second_institution: Institution  # the member acts for two
    project: Project
    match: Match
    open_project: Project  # one the expert has no history with: they may ask to join it
    collaboration: Collaboration  # the main match's, under way: each unit logs a month's hours
    units: int = 0

    @property
    def expert_ref(self) -> str:
        return self.expert.ref

    @property
    def institution_id(self) -> int:
        return self.institution.id

    @property
    def project_id(self) -> int:
        return self.project.id

    @property
    def match_id(self) -> int:
        return self.match.id

    @property
    def collaboration_id(self) -> int:
        return self.collaboration.id


def _user(email: str, role: str, name: str) -> User:
    user = User(
        email=email,
        full_name=name,
        role=role,
        locale="en",
        password_hash=FAST_HASH,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    return user


def _institution(name: str) -> Institution:
    institution = Institution(name=name, kind="ministry", verified_at=utcnow())
    db.session.add(institution)
    return institution


def _profile(user: User, ref: str) -> ExpertProfile:
    profile = ExpertProfile(
        user=user,
        ref=ref,
        headline="Data scientist",
        bio="I build models for public health.",
        country="FR",
        city="Paris",
        timezone="Europe/Paris",
        sectors=["health"],
        modes=["remote"],
        hours_per_month=10,
        consent_matching=True,
        confirmed_at=utcnow() - timedelta(days=1),
    )
    profile.languages = [
        ExpertLanguage(code="fr", level="C1"),
        ExpertLanguage(code="en", level="B2"),
    ]
    profile.skills = [
        ExpertSkill(name="machine learning", level=4),
        ExpertSkill(name="computer vision", level=3),
    ]
    db.session.add(profile)
    return profile


def _project(institution: Institution, ref: str, status: str = "published") -> Project:
    project = Project(
        ref=ref,
        institution=institution,
        title=f"Project {ref}",
        description="Screen retinal images in regional hospitals.",
        sector="health",
        mode="remote",
        languages=["fr"],
        hours_per_month=8,
        seats=2,
        status=status,
        published_at=utcnow() if status == "published" else None,
    )
    project.skills = [
        ProjectSkill(name="machine learning", level=3, required=True),
        ProjectSkill(name="Python", level=2, required=False),
    ]
    db.session.add(project)
    return project


def _match(project: Project, expert: ExpertProfile, status: str, **fields) -> Match:
    explanation = engine_explanation()
    approved = status != "suggested"
    match = Match(
        project=project,
        expert=expert,
        status=status,
        score=explanation["score"],
        explanation=explanation,
        engine_version=ENGINE_VERSION,
        weights=Weights().as_dict(),
        invited_at=utcnow() - timedelta(days=2) if approved else None,
        expires_at=utcnow() + timedelta(days=10) if approved else None,
        answered_at=utcnow() - timedelta(days=1) if status in ("accepted", "declined") else None,
        **fields,
    )
    db.session.add(match)
    return match


def _accepted(project: Project, expert: ExpertProfile, **fields) -> Collaboration:
    """An accepted match and, as accepting does, the collaboration it begins."""
    match = _match(project, expert, "accepted")
    collaboration = Collaboration(match=match, project=project, expert=expert, **fields)
    db.session.add(collaboration)
    return collaboration


def make_world() -> World:
    admin = _user("admin@diaspora.ma", Role.ADMIN, "Amina Admin")
    member = _user("nadia@sante.gov.ma", Role.INSTITUTION, "Nadia Berrada")
    institution = _institution("Ministère de la Santé")
    second = _institution("Université Mohammed V")
    db.session.add_all(
        [
            Membership(user=member, institution=institution, role=MemberRole.MANAGER),
            Membership(user=member, institution=second),
        ]
    )
    expert = _profile(_user(EXPERT_EMAIL, Role.EXPERT, "Salma Bennani"), "E-SALMA")
    project = _project(institution, "P-MAIN")
    # Accepted: both sides see each other's contacts on the match page.
    collaboration = _accepted(
        project,
        expert,
        status="active",
        started_on=date(2020, 1, 1),
        ratings=[CollaborationRating(side="expert", score=5)],
    )
    open_project = _project(second, "P-OPEN")
    db.session.commit()
    return World(
        admin,
        member,
        expert,
        institution,
        second,
        project,
        collaboration.match,
        open_project,
        collaboration,
    )


def add_unit(world: World) -> None:
    """One unit of data, of every kind the pages list: projects of the member's institutions
    (published and draft) and of another institution with its own members, experts with
    skills and languages, suggestions waiting for review, experts at each step of the main
    project, the expert's invitations in each state, audit entries by several people,
    emails, a month of the main collaboration's hours and an invitation to join the member's
    institution."""
    n = world.units
    world.units += 1
    other = _institution(f"Agence {n}")
    colleagues = [
        _user(f"member{n}-{i}@agence{n}.ma", Role.INSTITUTION, f"Member {n}-{i}") for i in range(2)
    ]
    db.session.add_all([Membership(user=u, institution=other) for u in colleagues])
    db.session.add(Membership(user=colleagues[0], institution=world.institution))
    mine = [_project(world.institution, f"P-{n}-A"), _project(world.second_institution, f"P-{n}-B")]
    _project(world.institution, f"P-{n}-D", status="draft")
    theirs = _project(other, f"P-{n}-C")
    experts = [
        _profile(_user(f"expert{n}-{i}@example.org", Role.EXPERT, f"Expert {n}-{i}"), f"E-{n}-{i}")
        for i in range(4)
    ]
    for project in [*mine, theirs]:
        for expert in experts:
            _match(project, expert, "suggested")
    for expert, status in zip(experts, ("invited", "declined", "suggested"), strict=False):
        _match(world.project, expert, status)
    _accepted(world.project, experts[3])
    _match(mine[0], world.expert, "invited")
    _match(mine[1], world.expert, "declined")
    _accepted(theirs, world.expert)
    world.collaboration.hours.append(
        HoursEntry(month=date(2020 + n // 12, n % 12 + 1, 1), hours=5, status="confirmed")
    )
    db.session.add(
        MemberInvitation(
            institution=world.institution,
            email=f"colleague{n}@sante.gov.ma",
            invited_by=world.member,
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    for i, actor in enumerate([world.admin, world.member, *colleagues, None]):
        db.session.add(
            AuditEntry(
                actor=actor,
                action="project.created",
                subject_type="project",
                subject_id=i,
                details={"unit": n},
            )
        )
    db.session.flush()
    for i, user in enumerate(colleagues):
        db.session.add(
            OutboxMessage(
                message_id=f"<{n}-{i}@diaspora>",
                kind="verify_email",
                user_id=user.id,
                to_address=user.email,
                subject="Confirm",
                body_text="Hello",
                body_html="<p>Hello</p>",
            )
        )
    db.session.commit()


def measure(app, world: World) -> dict[str, list[str]]:
    """The statements each page runs, read as its visitor (after one visit that fills the
    per-process caches: the taxonomy, the matching index)."""
    emails = {
        "admin": world.admin.email,
        "member": world.member.email,
        "expert": "salma@example.org",
    }
    found = {}
    for page, (who, address, _ceiling) in PAGES.items():
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        if who:
            response = client.post("/auth/login", data={"email": emails[who], "password": PASSWORD})
            assert response.status_code == 302, page
        url = address(world) if callable(address) else address
        assert client.get(url).status_code == 200, page
        with counted_statements() as statements:
            assert client.get(url).status_code == 200, page
        found[page] = statements
    return found


@pytest.fixture
def counts(app):
    """Statements per page in the small world, then in the world five times bigger."""
    world = make_world()
    for _unit in range(SMALL):
        add_unit(world)
    small = measure(app, world)
    for _unit in range(BIG - SMALL):
        add_unit(world)
    big = measure(app, world)
    return small, big


def test_no_page_runs_more_statements_when_the_data_grows(counts):
    small, big = counts
    grew = {
        page: (len(small[page]), len(big[page]))
        for page in PAGES
        if len(big[page]) > len(small[page])
    }
    assert not grew, f"statements (small world, big world): {grew}"


def test_every_page_stays_under_its_stated_ceiling(counts):
    _small, big = counts
    over = {
        page: (len(big[page]), ceiling, big[page])
        for page, (_who, _url, ceiling) in PAGES.items()
        if len(big[page]) > ceiling
    }
    assert not over, "\n".join(
        f"{page}: {n} statements, ceiling {ceiling}:\n  " + "\n  ".join(s[:150] for s in stmts)
        for page, (n, ceiling, stmts) in over.items()
    )
