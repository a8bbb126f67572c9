"""Fair exposure seen by admins: where the experts live and how the suggestions fall on them."""

from __future__ import annotations

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, MatchStatus


def exposure_by_country() -> list[dict]:
    """Experts, pending invitations and suggestions per country of residence (fairness view)."""
    experts = dict(
        db.session.execute(
            select(ExpertProfile.country, func.count()).group_by(ExpertProfile.country)
        ).all()
    )
    by_status = db.session.execute(
        select(ExpertProfile.country, Match.status, func.count())
        .join(Match, Match.expert_id == ExpertProfile.id)
        .group_by(ExpertProfile.country, Match.status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for country, status, n in by_status:
        counts.setdefault(country, {})[status] = n
    rows = []
    for country in sorted(experts, key=lambda c: -experts[c]):
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
