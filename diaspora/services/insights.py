"""Figures for admins: skills in demand against skills on offer, and the matching funnel."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    ExpertSkill,
    Match,
    MatchStatus,
    Project,
    ProjectSkill,
    ProjectStatus,
    User,
)
from diaspora.models.base import utcnow
from diaspora.services.kept_figures import kept_a_while
from diaspora.services.permissions import APPROVED, require_admin


@dataclass(frozen=True)
class SkillBalance:
    concept_id: str
    projects: int  # open projects that require it
    experts: int  # experts who consent to matching and list it

    @property
    def experts_per_project(self) -> float:
        return self.experts / self.projects if self.projects else float("inf")


def skill_balance(limit: int = 30) -> list[SkillBalance]:
    """The skills open projects require most, with how many matchable experts have them;
    the scarcest first, so the platform knows whom to recruit."""
    demand = db.session.execute(
        select(ProjectSkill.concept_id, func.count(distinct(ProjectSkill.project_id)))
        .join(Project, Project.id == ProjectSkill.project_id)
        .where(
            Project.status == ProjectStatus.PUBLISHED,
            ProjectSkill.required.is_(True),
            ProjectSkill.concept_id.is_not(None),
        )
        .group_by(ProjectSkill.concept_id)
        .order_by(func.count(distinct(ProjectSkill.project_id)).desc())
        .limit(limit)
    ).all()
    concepts = [c for c, _ in demand]
    supply = (
        dict(
            db.session.execute(
                select(ExpertSkill.concept_id, func.count(distinct(ExpertSkill.expert_id)))
                .join(ExpertProfile, ExpertProfile.id == ExpertSkill.expert_id)
                .where(
                    ExpertSkill.concept_id.in_(concepts), ExpertProfile.consent_matching.is_(True)
                )
                .group_by(ExpertSkill.concept_id)
            ).all()
        )
        if concepts
        else {}
    )
    rows = [SkillBalance(c, n, supply.get(c, 0)) for c, n in demand]
    return sorted(rows, key=lambda r: (r.experts_per_project, -r.projects, r.concept_id))


def funnel() -> list[tuple[str, int]]:
    """How far suggestions got: every pair reviewed, invited, and answered."""
    counts = dict(
        db.session.execute(select(Match.status, func.count()).group_by(Match.status)).all()
    )
    # Invited = approved by an admin, whatever happened next (closed ones included).
    invited_ever = db.session.scalar(select(func.count()).select_from(Match).where(APPROVED))
    return [
        ("suggested", sum(counts.values())),
        ("invited", invited_ever),
        ("accepted", counts.get(MatchStatus.ACCEPTED, 0)),
        ("declined", counts.get(MatchStatus.DECLINED, 0)),
        ("expired", counts.get(MatchStatus.EXPIRED, 0)),
    ]


def experts_by_country() -> list[tuple[str, int]]:
    """Experts per country of residence, most first."""
    return db.session.execute(
        select(ExpertProfile.country, func.count())
        .group_by(ExpertProfile.country)
        .order_by(func.count().desc(), ExpertProfile.country)
    ).all()


FUNNEL_MONTHS = 12


@dataclass(frozen=True)
class FunnelMonth:
    month: str  # "2026-11"
    suggested: int  # pairs put in the review queue that month
    invited: int  # of those, approved by an admin
    accepted: int  # of those, accepted by the expert


def _month(column):
    # "YYYY-MM" of a timestamp, in SQL: one grouped query whatever the number of matches.
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def funnel_by_month(today: date, months: int = FUNNEL_MONTHS) -> list[FunnelMonth]:
    """The funnel of the pairs suggested in each of the last `months` months, oldest first
    (months without any included), so drift shows."""
    now = today.year * 12 + today.month - 1  # months since year 0: steps of one month
    keys = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(now - months + 1, now + 1)]
    first = date(int(keys[0][:4]), int(keys[0][5:]), 1)
    month = _month(Match.created_at)
    found = {
        key: (suggested, invited, accepted)
        for key, suggested, invited, accepted in db.session.execute(
            select(
                month,
                func.count(),
                func.count(Match.invited_at),
                func.count(Match.id).filter(Match.status == MatchStatus.ACCEPTED),
            )
            .where(Match.created_at >= first)
            .group_by(month)
        ).all()
    }
    return [FunnelMonth(key, *found.get(key, (0, 0, 0))) for key in keys]


@dataclass(frozen=True)
class InsightsPage:
    """The admins' page of figures: skill balance, funnel, experts by country, the funnel
    month by month."""

    balance: list[SkillBalance]
    funnel: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    by_month: list[FunnelMonth]


def insights_page(admin: User) -> InsightsPage:
    """Every figure of the insights page (a fixed number of queries, counted over whole tables:
    kept a while, see `kept_figures`)."""
    require_admin(admin)
    return _figures()


@kept_a_while
def _figures() -> InsightsPage:
    return InsightsPage(
        skill_balance(), funnel(), experts_by_country(), funnel_by_month(utcnow().date())
    )
