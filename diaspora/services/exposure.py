"""Fair exposure seen by admins: where the experts live and how the suggestions fall on them."""

from __future__ import annotations

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, MatchStatus
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
