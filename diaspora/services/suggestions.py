"""Suggestions: the engine's best experts for each open project, stored for review.

The top suggestions of each open project are stored as Match rows with status ``suggested``.
Matches in any other status (invited, declined, rejected…) are never touched here and exclude
the expert from that project's future suggestions. The engine's inputs come from
``engine_inputs``, its index from ``match_index``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, select

from diaspora.extensions import db
from diaspora.matching import Explanation, RankedCandidate, constraints
from diaspora.models import ExpertProfile, Match, MatchSource, MatchStatus, Project, ProjectStatus
from diaspora.models.base import utcnow
from diaspora.services import expert_changes
from diaspora.services.engine_inputs import (
    Progress,
    engine_version,
    load_projects,
    needs_for,
    open_needs,
    stale_expert_texts,
    store_expert_vectors,
    weights,
)
from diaspora.services.errors import NotFound
from diaspora.services.match_index import current_index, index_with_expert
from diaspora.services.table_upkeep import after_bulk_write

# progress(stage, done, total) of a batch in stages: "embed" (profile texts), "rank" (projects).
StageProgress = Callable[[str, int, int], None]


def today() -> date:
    """The date the engine judges availability and confirmation against."""
    return utcnow().date()


def top_k() -> int:
    """How many suggestions are stored per project (MATCH_TOP_K)."""
    return current_app.config["MATCH_TOP_K"]


def rank(project: Project, top_k: int) -> list[RankedCandidate]:
    """The engine's best `top_k` eligible experts for a project (nothing is stored)."""
    [need] = needs_for([project])
    return current_index().rank(need, top_k, today=today())


def rank_projects(
    project_refs: Iterable[str] | None, k: int
) -> Iterator[tuple[Project, list[RankedCandidate]]]:
    """The engine's best `k` eligible experts for each project of `project_refs` (whatever its
    status), or for every open project when None; nothing is stored."""
    projects = load_projects(open_only=project_refs is None, refs=project_refs)
    index = current_index()
    for project, need in zip(projects, needs_for(projects), strict=True):
        yield project, index.rank(need, k, today=today())


# What a stored suggestion holds of the engine's ranking: rewritten only when one differs.
_RANKED = ("score", "rank", "explanation", "engine_version", "weights")
_suggested = Match.__table__


def _stored(project_ids: list[int]) -> dict[int, dict[int, object]]:
    """Per project, its matches by expert, as plain rows (what `_store` compares with)."""
    found: dict[int, dict[int, object]] = {pid: {} for pid in project_ids}
    if project_ids:
        rows = db.session.execute(
            select(Match.id, Match.project_id, Match.expert_id, Match.status, Match.source)
            .add_columns(*(getattr(Match, name) for name in _RANKED))
            .where(Match.project_id.in_(project_ids))
        )
        for row in rows:
            found[row.project_id][row.expert_id] = row
    return found


def _store(project_id: int, suggestions: list[RankedCandidate], stored: dict[int, object]) -> int:
    """Replace the project's engine suggestions still waiting for review with these, writing
    only the rows that change: a recompute that finds what is stored writes nothing (no new row
    versions for the database to clean up). `stored` holds the project's matches (`_stored`)."""
    keep, added, changed = set(), [], []
    engine_weights, version = weights().as_dict(), engine_version()
    for rank_, s in enumerate(suggestions, 1):
        row = stored.get(s.candidate_id)
        if row is not None and row.status != MatchStatus.SUGGESTED:
            continue
        keep.add(s.candidate_id)
        values = {
            "score": round(float(s.score), 6),
            "rank": rank_,
            "explanation": s.explanation,
            "engine_version": version,
            "weights": engine_weights,
        }
        if row is None:
            added.append({"project_id": project_id, "expert_id": s.candidate_id, **values})
        elif any(getattr(row, name) != value for name, value in values.items()):
            changed.append({"match_id": row.id, **values})
    stale = [
        row.id
        for expert_id, row in stored.items()
        if row.status == MatchStatus.SUGGESTED
        and row.source == MatchSource.ENGINE
        and expert_id not in keep
    ]
    # Each write is conditional on the match still waiting for review: one an admin reviewed
    # meanwhile is theirs; one an expert took up meanwhile (their interest) stays.
    waiting = _suggested.c.status == MatchStatus.SUGGESTED
    by_engine = _suggested.c.source == MatchSource.ENGINE
    if stale:
        db.session.execute(delete(_suggested).where(_suggested.c.id.in_(stale), waiting, by_engine))
    if changed:
        db.session.execute(
            _suggested.update().where(_suggested.c.id == bindparam("match_id"), waiting),
            changed,
        )
    if added:
        db.session.execute(insert(Match), [{**row, "source": MatchSource.ENGINE} for row in added])
    return len(keep)


def refresh_project(project_id: int) -> int:
    """Score a published project against every expert and store its suggestions.

    A project that is not published loses its pending engine suggestions.
    """
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound("project")
    suggestions = rank(project, top_k()) if project.status == ProjectStatus.PUBLISHED else []
    stored = _store(project.id, suggestions, _stored([project.id])[project.id])
    db.session.commit()
    return stored


def refresh_expert(expert_id: int) -> int:
    """Rescore one expert against every open project, after their profile changed.

    One pair score per project. Only this expert's scores moved: where they enter a project's
    stored top K, or stay in it, the new top K is the stored one with the expert in their new
    place, written without ranking every expert again. A project is ranked again only when the
    expert leaves a full top K (or falls below its old floor), to find who takes the place.
    """
    index = index_with_expert(expert_id)
    if index is None:
        return 0
    mine = {
        m.project_id: m
        for m in db.session.scalars(select(Match).where(Match.expert_id == expert_id))
    }
    waiting = {
        project_id: (count, floor)
        for project_id, count, floor in db.session.execute(
            select(Match.project_id, func.count(), func.min(Match.score))
            .where(Match.status == MatchStatus.SUGGESTED, Match.source == MatchSource.ENGINE)
            .group_by(Match.project_id)
        )
    }
    day, k = today(), top_k()
    touched = []  # (need, the expert's pair or None when ineligible, whether to rank again)
    for need in open_needs():
        current = mine.get(need.id)
        if current is not None and current.status != MatchStatus.SUGGESTED:
            continue
        pair = index.explain(need, expert_id, day)
        eligible = constraints.passes(pair.explanation["constraints"])
        count, floor = waiting.get(need.id, (0, 0.0))
        full = count >= k
        if current is not None and current.source == MatchSource.ENGINE:
            # Whoever is next (not stored) scores at most the old floor: the expert keeps their
            # place while not below it; otherwise that next expert must be found.
            again = full and not (eligible and pair.score >= floor)
        elif eligible and (not full or pair.score > floor):
            again = False
        else:
            continue
        touched.append((need, pair if eligible else None, again))
    stored = _stored([need.id for need, _pair, _again in touched])
    for need, pair, again in touched:
        ranked = None if again else _with_expert(stored[need.id], expert_id, pair, index, k)
        if ranked is None:
            ranked = index.rank(need, k, today=day)
        _store(need.id, ranked, stored[need.id])
    db.session.commit()
    return len(touched)


def _with_expert(
    stored: dict[int, object], expert_id: int, pair: RankedCandidate | None, index, k: int
) -> list[RankedCandidate] | None:
    """A project's stored engine suggestions with the expert's new pair in its place (or out,
    for None), best first as `rank` orders them; None if one of them has left the index (the
    stored list is stale: the project must be ranked again)."""
    others = [
        row
        for candidate_id, row in stored.items()
        if candidate_id != expert_id
        and row.status == MatchStatus.SUGGESTED
        and row.source == MatchSource.ENGINE
    ]
    if any(row.expert_id not in index for row in others):
        return None
    ranked = [
        RankedCandidate(
            row.expert_id, index.candidate(row.expert_id).ref, row.score, {}, row.explanation
        )
        for row in others
    ]
    if pair is not None:
        ranked.append(pair)
    return sorted(ranked, key=lambda s: (-s.score, s.ref))[:k]


def embed_stale_profiles(progress: Progress | None = None, batch: int = 4096) -> int:
    """Embed and store every profile text whose vector is missing or stale (identical texts
    once), `batch` texts per transaction; returns how many profiles got a vector. Every index
    reads the new vectors (`expert_changes`)."""
    if not current_app.config["MATCH_USE_TEXT"]:
        return 0
    stale = list(stale_expert_texts().items())
    total = sum(len(ids) for _, ids in stale)
    done = 0
    for start in range(0, len(stale), batch):
        chunk = dict(stale[start : start + batch])
        store_expert_vectors(chunk)
        ids = [expert_id for group in chunk.values() for expert_id in group]
        expert_changes.note(*ids)
        db.session.commit()
        done += len(ids)
        if progress is not None:
            progress(done, total)
    return total


def recompute_all(progress: StageProgress | None = None) -> dict[str, int]:
    """Rescore every open project (batch, for `flask suggestions recompute`), after embedding
    stale profile texts so that every expert is compared on the same factors."""
    embed_stale_profiles(_stage(progress, "embed"))
    projects = load_projects()
    index = current_index()
    needs = needs_for(projects)
    results = index.rank_all(needs, top_k(), today=today(), progress=_stage(progress, "rank"))
    matches = _stored([p.id for p in projects])
    stored = 0
    for project in projects:
        stored += _store(project.id, results[project.id], matches[project.id])
    db.session.commit()
    after_bulk_write("matches")
    return {"projects": len(projects), "suggestions": stored}


def _stage(progress: StageProgress | None, stage: str) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def explain_pair(
    project: Project, expert: ExpertProfile
) -> tuple[float, Explanation, str, dict[str, float]]:
    """Score and explanation of one expert for one project, as the engine would store them.

    Used when an admin adds an expert by hand: the explanation says what fits and what does
    not, even for an expert the engine would have filtered out.
    """
    index = current_index()
    [need] = needs_for([project])
    need = replace(need, excluded=frozenset())
    suggestion = index.explain(need, expert.id, today())
    return float(suggestion.score), suggestion.explanation, engine_version(), weights().as_dict()
