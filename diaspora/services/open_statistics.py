"""The open statistics anyone may read: what the diaspora offers and what institutions need,
where the experts live, how suggestions become collaborations. Anonymous: every count of people
goes through `small_counts`, so no figure singles anyone out.

A fixed number of aggregate queries, counted over whole tables, kept a while (`kept_figures`):
the page is public and must stay fast for every visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from sqlalchemy import distinct, func, select

from diaspora.extensions import db
from diaspora.models import (
    Collaboration,
    CollaborationStatus,
    ExpertProfile,
    HoursEntry,
    HoursStatus,
    Match,
    MatchStatus,
    Project,
    ProjectStatus,
)
from diaspora.services import insights
from diaspora.services.kept_figures import kept_a_while
from diaspora.services.permissions import APPROVED
from diaspora.services.small_counts import MIN_CELL, Cell, count, parts, table

DAY = timedelta(days=1)
SKILLS_SHOWN = 15
CITIES_SHOWN = 20
# Days from signing up to the first invitation: (upper bound inclusive, key); None: beyond.
DELAY_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (7, "week"),
    (30, "month"),
    (90, "quarter"),
    (None, "later"),
)


@dataclass(frozen=True)
class SkillRow:
    concept_id: str
    projects: int  # open projects requiring it: not people, published as is
    experts: Cell


@dataclass(frozen=True)
class Statistics:
    """Every table of the page; keys are codes (country, sector, mode, step), named by the page
    in the reader's language."""

    skills: list[SkillRow]
    countries: list[tuple[str, Cell]]
    experts_total: Cell
    cities: list[tuple[str, str, Cell]]  # country, city, experts (only cities of MIN_CELL+)
    sectors: list[tuple[str, int]]  # projects: not people
    modes: list[tuple[str, int]]
    funnel: list[tuple[str, Cell]]
    first_invitation: list[tuple[str, Cell]]
    median_days_to_invitation: float | None  # None when fewer than MIN_CELL were invited
    collaborations: list[tuple[str, Cell]]
    confirmed_hours: int | None  # None when fewer than MIN_CELL collaborations logged any


def statistics() -> Statistics:
    """The open statistics, at most FIGURES_MAX_AGE_SECONDS old."""
    return _statistics()


@kept_a_while
def _statistics() -> Statistics:
    countries, experts_total = table(insights.experts_by_country())
    delays = _days_to_first_invitation()
    hours_collaborations, hours = _confirmed_hours()
    collaborations = parts(_collaborations_by_status())
    # The funnel's last step is the collaborations table's "completed" cell: shown or hidden
    # alike, else the funnel would give back a cell hidden to protect a small one.
    # Fewer than MIN_CELL collaborations in all: none is broken down, nor is "completed".
    completed = dict(collaborations).get(CollaborationStatus.COMPLETED, Cell(None))
    return Statistics(
        skills=[
            SkillRow(row.concept_id, row.projects, count(row.experts))
            for row in insights.skill_balance(SKILLS_SHOWN)
        ],
        countries=countries,
        experts_total=experts_total,
        cities=_cities(),
        sectors=_projects_by(Project.sector),
        modes=_projects_by(Project.mode),
        funnel=[(step, count(n)) for step, n in _funnel()] + [("completed", completed)],
        first_invitation=parts(_bucketed(delays)),
        median_days_to_invitation=median(delays) if len(delays) >= MIN_CELL else None,
        collaborations=collaborations,
        confirmed_hours=hours if hours_collaborations >= MIN_CELL else None,
    )


def _cities() -> list[tuple[str, str, Cell]]:
    # Cities are typed freely: the same city in other capitals or spaces is one. A city with
    # fewer than MIN_CELL experts is not read at all (its country's row counts it).
    city = func.lower(func.trim(ExpertProfile.city))
    rows = db.session.execute(
        select(ExpertProfile.country, city, func.count())
        .where(city != "")
        .group_by(ExpertProfile.country, city)
        .having(func.count() >= MIN_CELL)
        .order_by(func.count().desc(), ExpertProfile.country, city)
        .limit(CITIES_SHOWN)
    ).all()
    return [(country, name.title(), Cell(n)) for country, name, n in rows]


def _projects_by(column) -> list[tuple[str, int]]:
    """Projects ever published (open or closed; drafts are private) per value of `column`."""
    return db.session.execute(
        select(column, func.count())
        .where(Project.status.in_((ProjectStatus.PUBLISHED, ProjectStatus.CLOSED)))
        .group_by(column)
        .order_by(func.count().desc(), column)
    ).all()


def _funnel() -> list[tuple[str, int]]:
    """Pairs suggested, approved by an admin, accepted by the expert (completed ones are the
    collaborations table's)."""
    suggested, approved, accepted = db.session.execute(
        select(
            func.count(),
            func.count(Match.invited_at),
            func.count(Match.id).filter(Match.status == MatchStatus.ACCEPTED),
        ).select_from(Match)
    ).one()
    return [("suggested", suggested), ("approved", approved), ("accepted", accepted)]


def _days_to_first_invitation() -> list[float]:
    """For each expert ever invited: days from signing up to their first invitation."""
    rows = db.session.execute(
        select(ExpertProfile.created_at, func.min(Match.invited_at))
        .join(Match, Match.expert_id == ExpertProfile.id)
        .where(APPROVED)
        .group_by(ExpertProfile.id, ExpertProfile.created_at)
    ).all()
    return [max((invited - joined) / DAY, 0.0) for joined, invited in rows]


def _bucketed(delays: list[float]) -> list[tuple[str, int]]:
    counts = dict.fromkeys((key for _, key in DELAY_BUCKETS), 0)
    for days in delays:
        key = next(k for bound, k in DELAY_BUCKETS if bound is None or days <= bound)
        counts[key] += 1
    return list(counts.items())


def _collaborations_by_status() -> list[tuple[str, int]]:
    found = dict(
        db.session.execute(
            select(Collaboration.status, func.count()).group_by(Collaboration.status)
        ).all()
    )
    return [(status, found.get(status, 0)) for status in CollaborationStatus.ALL]


def _confirmed_hours() -> tuple[int, int]:
    """How many collaborations have confirmed hours, and their sum."""
    n, hours = db.session.execute(
        select(func.count(distinct(HoursEntry.collaboration_id)), func.sum(HoursEntry.hours)).where(
            HoursEntry.status == HoursStatus.CONFIRMED
        )
    ).one()
    return n, hours or 0
