"""A user of every role and one of every object: the world of the tests that request every route
(tests/test_permissions_matrix.py, tests/test_no_server_errors.py). Get it with the `every_role`
fixture of tests/conftest.py. Also the builders that several folders' worlds share."""

from dataclasses import dataclass
from datetime import timedelta

from diaspora.extensions import db
from diaspora.models import (
    AttachedCv,
    AuditEntry,
    Collaboration,
    Contest,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Institution,
    Match,
    MatchStatus,
    OnSiteWindow,
    OutboxMessage,
    Project,
    ProjectStatus,
    Role,
    User,
    Visibility,
)
from diaspora.models.base import utcnow
from diaspora.taxonomy import get_taxonomy


@dataclass
class World:
    """`users` by role: "expert", "other expert", "member", "other member", "unverified
    member", "admin". The expert and the member own objects; the others own none of theirs, or
    objects of their own kind (the other expert's profile, the other member's institution)."""

    users: dict[str, User]
    institution: Institution  # the member's, verified
    other_institution: Institution  # the other member's, verified
    unverified_institution: Institution  # the unverified member's
    profile: ExpertProfile  # the expert's ("E-1")
    other_profile: ExpertProfile  # the other expert's ("E-2")
    published: Project  # of the member's institution
    draft: Project  # of the member's institution
    unverified_draft: Project  # of the unverified member's institution
    invitation: Match  # the expert's, to the published project, waiting for an answer
    suggestion: Match  # the other expert for the published project, waiting for review
    ongoing: Project  # of the member's institution, published, whose expert said yes
    # The expert's on the ongoing project, not started yet: it continues their accepted match,
    # which also opens the expert's CV and contact details to the member, as it does for real.
    collaboration: Collaboration
    message: OutboxMessage
    entry: AuditEntry  # about the expert's account
    window: OnSiteWindow  # the expert's stay in Morocco, to come
    contest: Contest  # the expert asks for a review of their invitation


def build(make_user, make_institution) -> World:
    """The world, committed."""
    own = make_institution()
    other = make_institution(name="Agence Autre", domain="autre.ma")
    unverified = make_institution(name="Agence Nouvelle", domain="nouvelle.ma", verified=False)
    users = {
        "expert": make_user("expert@example.org"),
        "other expert": make_user("other@example.org"),
        "member": make_user(
            "member@sante.gov.ma", role=Role.INSTITUTION, institution=own, manager=True
        ),
        "other member": make_user(
            "member@autre.ma", role=Role.INSTITUTION, institution=other, manager=True
        ),
        "unverified member": make_user(
            "member@nouvelle.ma", role=Role.INSTITUTION, institution=unverified, manager=True
        ),
        "admin": make_user("admin@example.org", role=Role.ADMIN),
    }
    expert_user_id = users["expert"].id  # read now: later it would flush half-built objects
    profile, other_profile = (
        ExpertProfile(
            user=users[role],
            ref=ref,
            country="AE",
            city="Dubai",
            sectors=[],
            modes=[],
            consent_matching=True,
            visibility=Visibility.INSTITUTIONS,
        )
        for role, ref in (("expert", "E-1"), ("other expert", "E-2"))
    )

    def project(ref, institution, member, title, status):
        return Project(
            ref=ref,
            institution=institution,
            created_by=users[member],
            title=title,
            sector="health",
            mode="remote",
            status=status,
        )

    published = project("P-1", own, "member", "Vision", ProjectStatus.PUBLISHED)
    draft = project("P-2", own, "member", "Draft", ProjectStatus.DRAFT)
    unverified_draft = project("P-3", unverified, "unverified member", "Draft", ProjectStatus.DRAFT)
    ongoing = project("P-4", own, "member", "Atlas", ProjectStatus.PUBLISHED)
    accepted = Match(
        project=ongoing,
        expert=profile,
        score=0.5,
        status=MatchStatus.ACCEPTED,
        invited_at=utcnow() - timedelta(days=2),
        expires_at=utcnow() + timedelta(days=5),
        answered_at=utcnow() - timedelta(days=1),
    )
    world = World(
        users=users,
        institution=own,
        other_institution=other,
        unverified_institution=unverified,
        profile=profile,
        other_profile=other_profile,
        published=published,
        draft=draft,
        unverified_draft=unverified_draft,
        invitation=Match(
            project=published,
            expert=profile,
            score=0.5,
            status=MatchStatus.INVITED,
            invited_at=utcnow(),
            expires_at=utcnow() + timedelta(days=7),
        ),
        suggestion=Match(project=published, expert=other_profile, score=0.5),
        ongoing=ongoing,
        collaboration=Collaboration(match=accepted, project=ongoing, expert=profile),
        message=OutboxMessage(
            message_id="<m@test>",
            kind="verify_email",
            to_address="x@y.org",
            subject="s",
            body_text="t",
            body_html="<p>h</p>",
        ),
        entry=AuditEntry(action="test", subject_type="user", subject_id=expert_user_id),
        window=OnSiteWindow(
            expert=profile,
            starts_on=utcnow().date() + timedelta(days=30),
            ends_on=utcnow().date() + timedelta(days=50),
            city="Rabat",
        ),
        contest=None,
    )
    db.session.add_all(
        [
            profile,
            other_profile,
            published,
            draft,
            unverified_draft,
            ongoing,
            accepted,
            world.collaboration,
            world.invitation,
            world.suggestion,
            world.message,
            world.entry,
            world.window,
            AttachedCv(
                user=users["expert"], filename="cv.txt", kind="text", size=9, content=b"Python, R"
            ),
        ]
    )
    db.session.commit()
    world.contest = Contest(
        match=world.invitation,
        opened_by=users["expert"],
        contested_status=MatchStatus.INVITED,
        message="Why me?",
        deadline=utcnow() + timedelta(days=7),
    )
    db.session.add(world.contest)
    db.session.commit()
    return world


def concept(name: str) -> str | None:
    """The taxonomy concept a skill's name normalises to, as the services store it."""
    return get_taxonomy().normalise(name).concept_id


def expert_profile(
    user: User,
    ref: str,
    skills,
    *,
    consent: bool = True,
    languages=(("fr", "C1"),),
    modes=("remote",),
    sectors=("health",),
    confirmed_days_ago: int = 1,
    country: str = "FR",
    city: str = "Paris",
    timezone: str = "Europe/Paris",
    **fields,
) -> ExpertProfile:
    """`user`'s profile as the engine reads it from the database, committed: `skills` are
    (name, level) pairs tied to their taxonomy concepts, `languages` (code, CEFR level) pairs,
    10 hours a month; `fields` are any other columns."""
    profile = ExpertProfile(
        user=user,
        ref=ref,
        country=country,
        city=city,
        timezone=timezone,
        modes=list(modes),
        sectors=list(sectors),
        hours_per_month=10,
        consent_matching=consent,
        confirmed_at=utcnow() - timedelta(days=confirmed_days_ago),
        **fields,
    )
    profile.languages = [ExpertLanguage(code=c, level=lv) for c, lv in languages]
    profile.skills = [ExpertSkill(name=n, level=lv, concept_id=concept(n)) for n, lv in skills]
    db.session.add(profile)
    db.session.commit()
    return profile
