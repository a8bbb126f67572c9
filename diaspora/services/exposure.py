"""Fair exposure seen by admins: where the experts live and how the suggestions fall on them,
and the fairness monitor: each group's share of suggestions and invitations against its share
of the qualified experts, month by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, MatchStatus, Project
from diaspora.services import engine_inputs, match_index, match_states
from diaspora.services.insights import experts_by_country


def exposure_by_country() -> list[dict]:
    """Experts, pending invitations and suggestions per country of residence (fairness view)."""
    experts = dict(experts_by_country())
    by_status = db.session.execute(
        select(ExpertProfile.country, Match.status, func.count())
        .join(Match, Match.expert_id == ExpertProfile.id)
        .group_by(ExpertProfile.country, Match.status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for country, status, n in by_status:
        counts.setdefault(country, {})[status] = n
    rows = []
    for country in experts:  # most experts first
        c = counts.get(country, {})
        rows.append(
            {
                "country": country,
                "experts": experts[country],
                "suggested": c.get(MatchStatus.SUGGESTED, 0),
                "invited": c.get(MatchStatus.INVITED, 0),
                "accepted": c.get(MatchStatus.ACCEPTED, 0),
            }
        )
    return rows


# -- the fairness monitor --------------------------------------------------------------------

MONTHS = 12  # the figures cover this many months, this one included
PROJECTS_PER_MONTH = 100  # projects whose qualified experts are counted, per month (bounded)
# Years of experience in brackets: (label, first year of the bracket), the last open-ended.
EXPERIENCE = (("0-4", 0), ("5-9", 5), ("10-19", 10), ("20+", 20))
UNKNOWN = ""


@dataclass(frozen=True)
class FairnessRow:
    """One group of experts in one month: its share of the suggestions and invitations made
    that month against its share of the experts qualified for the same projects (each ratio is
    share / qualified share: 1 is exposure in proportion, below 1 under-exposure; None when
    the group has no qualified expert). Plain values, one row per point of a chart."""

    month: str  # "2026-11"
    dimension: str  # "country" or "experience"
    group: str  # a country code or an EXPERIENCE label; "" when unknown
    suggestions: int
    invitations: int
    qualified: int  # expert-project pairs passing the hard constraints
    suggestion_share: float
    invitation_share: float
    qualified_share: float
    suggestion_ratio: float | None
    invitation_ratio: float | None


def experience_bracket(years: int | None) -> str:
    """The EXPERIENCE label of a number of years; UNKNOWN when not given."""
    if years is None:
        return UNKNOWN
    return [label for label, start in EXPERIENCE if years >= start][-1]


def _months(today: date) -> list[str]:
    year, month = today.year, today.month
    months = []
    for _ in range(MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_start(month: str) -> datetime:
    return datetime(int(month[:4]), int(month[5:]), 1)


def _counts_by_month(column, since: datetime) -> dict[tuple[str, int], int]:
    """(month, expert id) -> number of matches whose `column` date falls in that month."""
    year, month = func.extract("year", column), func.extract("month", column)
    rows = db.session.execute(
        select(year, month, Match.expert_id, func.count())
        .where(column >= since, Match.expert_id.is_not(None))
        .group_by(year, month, Match.expert_id)
    )
    return {(f"{int(y):04d}-{int(m):02d}", e): n for y, m, e, n in rows}


def _projects_by_month(since: datetime) -> dict[str, list[int]]:
    year, month = func.extract("year", Match.created_at), func.extract("month", Match.created_at)
    rows = db.session.execute(
        select(year, month, Match.project_id)
        .where(Match.created_at >= since)
        .group_by(year, month, Match.project_id)
        .order_by(year, month, Match.project_id)
    )
    found: dict[str, list[int]] = {}
    for y, m, project_id in rows:
        ids = found.setdefault(f"{int(y):04d}-{int(m):02d}", [])
        if len(ids) < PROJECTS_PER_MONTH:
            ids.append(project_id)
    return found


def fairness(today: date | None = None) -> list[FairnessRow]:
    """Exposure by country of residence and by years of experience, month by month over the
    last MONTHS months: the share of suggestions and of invitations each group received
    against its share of the experts qualified (by the hard constraints, on their profile as it
    is today) for the projects suggested that month."""
    today = today or match_states.now().date()
    months = _months(today)
    since = _month_start(months[0])
    groups = {
        expert_id: {"country": country or UNKNOWN, "experience": experience_bracket(years)}
        for expert_id, country, years in db.session.execute(
            select(ExpertProfile.id, ExpertProfile.country, ExpertProfile.years_experience)
        )
    }
    suggested = _counts_by_month(Match.created_at, since)
    invited = _counts_by_month(Match.invited_at, since)
    qualified = _qualified(groups, _projects_by_month(since), today)
    rows = []
    for dimension in ("country", "experience"):
        per: dict[tuple[str, str], list[int]] = {}
        for source, slot in ((suggested, 0), (invited, 1)):
            for (month, expert_id), n in source.items():
                group = groups.get(expert_id, {}).get(dimension, UNKNOWN)
                per.setdefault((month, group), [0, 0, 0])[slot] += n
        for (month, key_dimension, group), n in qualified.items():
            if key_dimension == dimension:
                per.setdefault((month, group), [0, 0, 0])[2] += n
        rows += _shares(months, dimension, per)
    return rows


def _qualified(
    groups: dict[int, dict[str, str]], projects: dict[str, list[int]], today: date
) -> dict[tuple[str, str, str], int]:
    """(month, dimension, group) -> expert-project pairs passing the hard constraints."""
    wanted = sorted({p for ids in projects.values() for p in ids})
    if not wanted:
        return {}
    index = match_index.current_index()
    loaded = {
        p.id: engine_inputs.to_need(p, None)
        for p in db.session.scalars(
            select(Project).where(Project.id.in_(wanted)).options(selectinload(Project.skills))
        )
    }
    found: dict[tuple[str, str, str], int] = {}
    codes = None
    for month, ids in projects.items():
        for project_id in ids:
            if project_id not in loaded:
                continue
            mask = index.qualified_mask(loaded[project_id], today)
            codes = codes or _codes(index, groups, mask.size)
            for dimension, (code, labels) in codes.items():
                counts = np.bincount(code[mask & (code >= 0)], minlength=len(labels))
                for label, n in zip(labels, counts, strict=True):
                    if n:
                        key = (month, dimension, label)
                        found[key] = found.get(key, 0) + int(n)
    return found


def _codes(index, groups: dict[int, dict[str, str]], size: int) -> dict:
    """Per dimension, each index position's group number (-1: not an expert of `groups`) and
    the groups' labels."""
    codes = {}
    for dimension in ("country", "experience"):
        labels = sorted({g[dimension] for g in groups.values()})
        number = {label: i for i, label in enumerate(labels)}
        code = np.full(size, -1)
        for expert_id, g in groups.items():
            if expert_id in index:
                code[index.position(expert_id)] = number[g[dimension]]
        codes[dimension] = (code, labels)
    return codes


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _shares(months, dimension, per) -> list[FairnessRow]:
    rows = []
    for month in months:
        here = {group: n for (m, group), n in per.items() if m == month}
        totals = [sum(n[i] for n in here.values()) for i in range(3)]
        for group in sorted(here, key=lambda g: (-here[g][2], g)):
            s, i, q = here[group]
            qs = _share(q, totals[2])
            ss, is_ = _share(s, totals[0]), _share(i, totals[1])
            rows.append(
                FairnessRow(
                    month=month,
                    dimension=dimension,
                    group=group,
                    suggestions=s,
                    invitations=i,
                    qualified=q,
                    suggestion_share=ss,
                    invitation_share=is_,
                    qualified_share=qs,
                    suggestion_ratio=ss / qs if qs else None,
                    invitation_ratio=is_ / qs if qs else None,
                )
            )
    return rows
