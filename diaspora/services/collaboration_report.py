"""The admins' report on collaborations: by sector, institution and the expert's country, the
collaborations in each status, confirmed hours, the completion rate, and how long published
projects wait for their first acceptance. Every figure is aggregated in SQL: one query per
table of the report, whatever the number of collaborations."""

import csv
import io
from dataclasses import dataclass

from sqlalchemy import case, func, literal, select

from diaspora.extensions import db
from diaspora.interchange.csv_format import neutralise
from diaspora.models import (
    Collaboration,
    CollaborationStatus,
    ExpertProfile,
    HoursEntry,
    HoursStatus,
    Institution,
    Match,
    MatchStatus,
    Project,
)

C = CollaborationStatus
DIMENSIONS = ("sector", "institution", "country")


@dataclass(frozen=True)
class Line:
    """The figures of one sector, institution or country."""

    key: str
    total: int
    accepted: int
    active: int
    completed: int
    cancelled: int
    confirmed_hours: int

    @property
    def completion_rate(self) -> float | None:
        """Completed among the collaborations that ended (completed or cancelled)."""
        ended = self.completed + self.cancelled
        return self.completed / ended if ended else None


@dataclass(frozen=True)
class Report:
    overall: Line
    by: dict[str, list[Line]]  # DIMENSIONS -> lines, largest first
    projects_accepted: int  # projects with at least one acceptance
    days_to_first_acceptance: float | None  # on average over them


def _hours():
    return (
        select(HoursEntry.collaboration_id, func.sum(HoursEntry.hours).label("hours"))
        .where(HoursEntry.status == HoursStatus.CONFIRMED)
        .group_by(HoursEntry.collaboration_id)
        .subquery()
    )


def _figures(key, hours):
    def count(status):
        return func.coalesce(func.sum(case((Collaboration.status == status, 1), else_=0)), 0)

    return (
        key.label("key"),
        func.count(Collaboration.id),
        count(C.ACCEPTED),
        count(C.ACTIVE),
        count(C.COMPLETED),
        count(C.CANCELLED),
        func.coalesce(func.sum(hours.c.hours), 0),
    )


def _line(row) -> Line:
    key, *numbers = row
    return Line(key if key is not None else "", *(int(n) for n in numbers))


def _lines(dimension: str) -> list[Line]:
    hours = _hours()
    key = {
        "sector": Project.sector,
        "institution": Institution.name,
        "country": ExpertProfile.country,
    }[dimension]
    query = (
        select(*_figures(key, hours))
        .select_from(Collaboration)
        .join(Project, Collaboration.project_id == Project.id)
        .outerjoin(hours, hours.c.collaboration_id == Collaboration.id)
    )
    if dimension == "institution":
        query = query.join(Institution, Project.institution_id == Institution.id)
    if dimension == "country":
        query = query.outerjoin(ExpertProfile, Collaboration.expert_id == ExpertProfile.id)
    rows = db.session.execute(query.group_by(key).order_by(func.count().desc(), key))
    return [_line(row) for row in rows]


def _overall() -> Line:
    hours = _hours()
    row = db.session.execute(
        select(*_figures(literal(""), hours))
        .select_from(Collaboration)
        .outerjoin(hours, hours.c.collaboration_id == Collaboration.id)
    ).one()
    return _line(row)


def _days_between(later, earlier):
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _first_acceptance() -> tuple[int, float | None]:
    first = (
        select(Match.project_id, func.min(Match.answered_at).label("answered_at"))
        .where(Match.status == MatchStatus.ACCEPTED, Match.answered_at.is_not(None))
        .group_by(Match.project_id)
        .subquery()
    )
    count, days = db.session.execute(
        select(func.count(), func.avg(_days_between(first.c.answered_at, Project.published_at)))
        .select_from(first)
        .join(Project, Project.id == first.c.project_id)
        .where(Project.published_at.is_not(None))
    ).one()
    return int(count), float(days) if days is not None else None


def build() -> Report:
    """The whole report (five queries)."""
    projects, days = _first_acceptance()
    return Report(
        overall=_overall(),
        by={dimension: _lines(dimension) for dimension in DIMENSIONS},
        projects_accepted=projects,
        days_to_first_acceptance=days,
    )


CSV_HEADER = (
    "dimension",
    "key",
    "collaborations",
    "accepted",
    "active",
    "completed",
    "cancelled",
    "confirmed_hours",
    "completion_rate",
)


def to_csv(report: Report) -> str:
    """The report as CSV: one line per sector, institution and country, then the totals and the
    average days to a first acceptance. Typed names are neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    lines = [(d, line) for d in DIMENSIONS for line in report.by[d]]
    for dimension, line in [*lines, ("all", report.overall)]:
        rate = line.completion_rate
        writer.writerow(
            (
                dimension,
                neutralise(line.key),
                line.total,
                line.accepted,
                line.active,
                line.completed,
                line.cancelled,
                line.confirmed_hours,
                f"{rate:.3f}" if rate is not None else "",
            )
        )
    days = report.days_to_first_acceptance
    writer.writerow(
        (
            "days_to_first_acceptance",
            report.projects_accepted,
            "",
            "",
            "",
            "",
            "",
            "",
            f"{days:.1f}" if days is not None else "",
        )
    )
    return out.getvalue()
