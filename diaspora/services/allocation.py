"""Who would go where if every open project were staffed at once: a proposal for admins."""

from __future__ import annotations

from diaspora.matching import allocate
from diaspora.services.engine_inputs import load_projects, needs_for
from diaspora.services.match_index import current_index
from diaspora.services.suggestions import today, top_k


def propose_allocation() -> dict:
    """Who would go where if every open project were staffed at once (a proposal only)."""
    projects = load_projects()
    index = current_index()
    needs = needs_for(projects)
    ranked = index.rank_all(needs, max(top_k(), 20), today=today())
    hours = {
        c: index.candidate(c).hours_per_month
        for pairs in ranked.values()
        for c in (s.candidate_id for s in pairs)
    }
    allocation = allocate(needs, ranked, hours)
    scores = {(p, s.candidate_id): s.score for p, pairs in ranked.items() for s in pairs}
    return {
        "status": allocation.status,
        "total_score": allocation.total_score,
        "projects": projects,
        "assignments": {
            p: [(c, scores[(p, c)]) for c in chosen] for p, chosen in allocation.assignments.items()
        },
    }
