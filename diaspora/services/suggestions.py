"""Suggestions: the matching engine fed from the database, and its results stored per project.

The engine (diaspora.matching) is pure; this module turns rows into its inputs, keeps one index
per process, and writes the top suggestions of each open project as Match rows with status
``suggested``. Matches in any other status (invited, declined, rejected…) are never touched here
and exclude the expert from that project's future suggestions.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from diaspora.extensions import db
from diaspora.matching import (
    ENGINE_VERSION,
    Candidate,
    Explanation,
    Exposure,
    Index,
    ProjectNeed,
    SkillSpace,
    Suggestion,
    Weights,
    allocate,
    constraints,
)
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, ProjectStatus
from diaspora.models.base import utcnow
from diaspora.services.errors import NotFound
from diaspora.taxonomy import fold, get_taxonomy

Progress = Callable[[int, int], None]


# ------------------------------------------------------------------------------ engine inputs


def skill_key(concept_id: str | None, name: str) -> str:
    """The engine's key for a skill: its concept, or the folded name of a free skill."""
    return concept_id or "free:" + fold(name)


def skill_space(keys: Iterable[str]) -> SkillSpace:
    """Hierarchy paths of every taxonomy concept among `keys` (free skills have none)."""
    tax = get_taxonomy()
    return SkillSpace(paths={k: tax.paths(k) for k in keys if not k.startswith("free:")})


def expert_text(profile: ExpertProfile) -> str:
    return f"{profile.headline}. {profile.bio}. " + ", ".join(s.name for s in profile.skills)


def project_text(project: Project) -> str:
    return f"{project.title}. {project.description}. " + ", ".join(s.name for s in project.skills)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _text_of(row) -> str:
    return expert_text(row) if isinstance(row, ExpertProfile) else project_text(row)


def stored_vector(row) -> np.ndarray | None:
    """The row's sentence embedding if it was computed from its current text, else None
    (the engine then leaves the text factor out for that row)."""
    if not current_app.config["MATCH_USE_TEXT"] or row.text_vector is None:
        return None
    if row.text_digest != _digest(_text_of(row)):
        return None
    return np.frombuffer(row.text_vector, dtype=np.float32)


def fill_text_vectors(rows: list, progress: Progress | None = None, batch: int = 256) -> int:
    """Embed the rows whose vector is missing or stale, and store it on them (the caller
    commits). Encoding costs ~15 ms a text, so web requests embed one row at a time and
    the batch recompute embeds the rest; reading a stored vector costs nothing."""
    encoder = get_taxonomy().encoder if current_app.config["MATCH_USE_TEXT"] else None
    stale = [row for row in rows if encoder is not None and stored_vector(row) is None]
    for start in range(0, len(stale), batch):
        chunk = stale[start:start + batch]
        texts = [_text_of(row) for row in chunk]
        for row, text, vector in zip(chunk, texts, encoder.encode(texts), strict=True):
            row.text_vector = np.asarray(vector, dtype=np.float32).tobytes()
            row.text_digest = _digest(text)
        if progress is not None:
            progress(min(start + batch, len(stale)), len(stale))
    return len(stale)


def _pending_invitations() -> dict[int, int]:
    rows = db.session.execute(
        select(Match.expert_id, func.count())
        .where(Match.status == MatchStatus.INVITED)
        .group_by(Match.expert_id)
    )
    return dict(rows.all())


def to_candidate(profile: ExpertProfile, pending: int, vector) -> Candidate:
    return Candidate(
        id=profile.id,
        ref=profile.ref,
        skills=tuple((skill_key(s.concept_id, s.name), s.level) for s in profile.skills),
        languages={lang.code: lang.level for lang in profile.languages},
        modes=frozenset(profile.modes or ()),
        sectors=frozenset(profile.sectors or ()),
        hours_per_month=profile.hours_per_month or None,
        timezone=profile.timezone,
        consent=profile.consent_matching and profile.user.active,
        confirmed_at=profile.confirmed_at.date() if profile.confirmed_at else None,
        pending_invitations=pending,
        country=profile.country,
        text_vector=vector,
    )


def _excluded(project_id: int) -> frozenset[int]:
    """Experts already reviewed for this project: invited, answered or rejected by an admin."""
    rows = db.session.scalars(
        select(Match.expert_id)
        .where(Match.project_id == project_id)
        .where(Match.status != MatchStatus.SUGGESTED)
    )
    return frozenset(rows)


def to_need(project: Project, vector, excluded: frozenset[int] = frozenset()) -> ProjectNeed:
    skills = [(skill_key(s.concept_id, s.name), s.level, s.required) for s in project.skills]
    return ProjectNeed(
        id=project.id,
        ref=project.ref,
        required=tuple((k, lv) for k, lv, required in skills if required),
        nice=tuple((k, lv) for k, lv, required in skills if not required),
        languages=tuple(project.languages or ()),
        mode=project.mode,
        sector=project.sector,
        hours_per_month=project.hours_per_month or None,
        seats=project.seats,
        text_vector=vector,
        excluded=excluded,
    )


def _load_profiles(ids: Iterable[int] | None = None) -> list[ExpertProfile]:
    query = select(ExpertProfile).options(
        selectinload(ExpertProfile.skills),
        selectinload(ExpertProfile.languages),
        selectinload(ExpertProfile.user),
        undefer(ExpertProfile.text_vector),
    )
    if ids is not None:
        query = query.where(ExpertProfile.id.in_(list(ids)))
    return list(db.session.scalars(query.order_by(ExpertProfile.id)))


def _load_projects(open_only: bool = True, refs: Iterable[str] | None = None) -> list[Project]:
    query = select(Project).options(selectinload(Project.skills), undefer(Project.text_vector))
    if open_only:
        query = query.where(Project.status == ProjectStatus.PUBLISHED)
    if refs is not None:
        query = query.where(Project.ref.in_(list(refs)))
    return list(db.session.scalars(query.order_by(Project.id)))


def needs_for(projects: list[Project]) -> list[ProjectNeed]:
    fill_text_vectors(projects)  # a handful of projects: cheap, and stored for next time
    return [to_need(p, stored_vector(p), _excluded(p.id)) for p in projects]


# ----------------------------------------------------------------------------------- the index


@dataclass
class _Built:
    index: Index
    synced_at: object  # the newest profile update the index has seen
    ids: set[int]
    pending: dict[int, int]


_lock = threading.Lock()
_built: dict[str, _Built] = {}  # per database URL: tests and tools may use several


def weights() -> Weights:
    return Weights.from_mapping(current_app.config.get("MATCH_WEIGHTS"))


def exposure() -> Exposure:
    return Exposure(**current_app.config.get("MATCH_EXPOSURE", {}))


def _candidates(profiles: list[ExpertProfile], pending: dict[int, int]) -> list[Candidate]:
    return [to_candidate(p, pending.get(p.id, 0), stored_vector(p)) for p in profiles]


def build_index() -> _Built:
    """An index of every expert, learning relatedness from all profiles and projects."""
    synced_at = db.session.scalar(select(func.max(ExpertProfile.updated_at)))
    profiles = _load_profiles()
    pending = _pending_invitations()
    candidates = _candidates(profiles, pending)
    projects = [to_need(p, None) for p in _load_projects(open_only=False)]
    keys = {k for c in candidates for k, _ in c.skills}
    keys |= {k for p in projects for k, _ in (*p.required, *p.nice)}
    index = Index.build(
        candidates, projects=projects, skill_space=skill_space(keys),
        weights=weights(), exposure=exposure(),
    )
    return _Built(index, synced_at, {p.id for p in profiles}, pending)


def _sync(built: _Built) -> None:
    """Bring the index up to date with profiles changed since it was built, by any process.

    Saving a profile always updates its row (saving confirms it), so `updated_at` finds every
    change; erased profiles are missing ids; invitation counts move the exposure penalty.
    Relatedness learnt at build time stays as it was: it changes slowly with the population.
    """
    index = built.index
    ids = set(db.session.scalars(select(ExpertProfile.id)))
    for gone in built.ids - ids:
        index.remove_candidate(gone)
    query = select(ExpertProfile.id)
    if built.synced_at is not None:
        query = query.where(ExpertProfile.updated_at > built.synced_at)
    changed = set(db.session.scalars(query)) | (ids - built.ids)
    pending = _pending_invitations()
    moved = {i for i in ids if pending.get(i, 0) != built.pending.get(i, 0)}
    if changed:
        built.synced_at = db.session.scalar(select(func.max(ExpertProfile.updated_at)))
        for candidate in _candidates(_load_profiles(changed), pending):
            index.update_candidate(candidate)
    for expert_id in moved - changed:
        index.update_candidate(
            replace(index.candidate(expert_id), pending_invitations=pending.get(expert_id, 0))
        )
    built.ids = ids
    built.pending = pending


def current_index() -> Index:
    """This process's index: built once, then kept in step with the database."""
    url = str(db.engine.url)
    with _lock:
        built = _built.get(url)
        if built is None or _changed_a_lot(built):
            built = _built[url] = build_index()
        else:
            _sync(built)
        return built.index


def _changed_a_lot(built: _Built) -> bool:
    """After an import, rebuilding at once beats updating thousands of rows one by one."""
    if built.synced_at is None:
        return True
    changed = db.session.scalar(
        select(func.count()).where(ExpertProfile.updated_at > built.synced_at)
    )
    return changed > max(200, len(built.ids) // 20)


def forget_index() -> None:
    """Drop this process's index (after a bulk import, or in tests); the next use rebuilds."""
    with _lock:
        _built.pop(str(db.engine.url), None)


# ------------------------------------------------------------------------- ranking and storing


def today() -> date:
    return utcnow().date()


def rank(project: Project, top_k: int) -> list[Suggestion]:
    """The engine's best `top_k` eligible experts for a project (nothing is stored)."""
    [need] = needs_for([project])
    return current_index().rank(need, top_k, today=today())


def _store(project: Project, suggestions: list[Suggestion]) -> int:
    """Replace the project's engine suggestions still waiting for review with these."""
    existing = {
        m.expert_id: m
        for m in db.session.scalars(select(Match).where(Match.project_id == project.id))
    }
    keep = set()
    engine_weights = weights().as_dict()
    for rank_, s in enumerate(suggestions, 1):
        match = existing.get(s.candidate_id)
        if match is not None and match.status != MatchStatus.SUGGESTED:
            continue
        if match is None:
            match = Match(project_id=project.id, expert_id=s.candidate_id, source="engine")
            db.session.add(match)
        match.score = round(float(s.score), 6)
        match.rank = rank_
        match.explanation = s.explanation
        match.engine_version = ENGINE_VERSION
        match.weights = engine_weights
        keep.add(s.candidate_id)
    for expert_id, match in existing.items():
        stale = match.status == MatchStatus.SUGGESTED and match.source == "engine"
        if stale and expert_id not in keep:
            db.session.delete(match)
    return len(keep)


def top_k() -> int:
    return current_app.config["MATCH_TOP_K"]


def refresh_project(project_id: int) -> int:
    """Score a published project against every expert and store its suggestions.

    A project that is not published loses its pending engine suggestions.
    """
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound("project")
    suggestions = rank(project, top_k()) if project.status == ProjectStatus.PUBLISHED else []
    stored = _store(project, suggestions)
    db.session.commit()
    return stored


def refresh_expert(expert_id: int) -> int:
    """Rescore one expert against every open project, after their profile changed.

    One pair score per project; a project is re-ranked only when the expert enters its stored
    top K or already holds a suggestion there (which may rise, fall or leave).
    """
    index = current_index()
    # This process made the change: apply it now rather than trust timestamps.
    profiles = _load_profiles([expert_id])
    if not profiles:
        index.remove_candidate(expert_id)
        return 0
    fill_text_vectors(profiles)
    pending = db.session.scalar(
        select(func.count()).select_from(Match)
        .where(Match.expert_id == expert_id, Match.status == MatchStatus.INVITED)
    )
    [candidate] = _candidates(profiles, {expert_id: pending})
    index.update_candidate(candidate)
    projects = _load_projects()
    mine = {
        m.project_id: m
        for m in db.session.scalars(select(Match).where(Match.expert_id == expert_id))
    }
    floors = dict(
        db.session.execute(
            select(Match.project_id, func.min(Match.score))
            .where(Match.status == MatchStatus.SUGGESTED, Match.source == "engine")
            .group_by(Match.project_id)
        ).all()
    )
    counts = dict(
        db.session.execute(
            select(Match.project_id, func.count())
            .where(Match.status == MatchStatus.SUGGESTED, Match.source == "engine")
            .group_by(Match.project_id)
        ).all()
    )
    changed = 0
    for project, need in zip(projects, needs_for(projects), strict=True):
        current = mine.get(project.id)
        if current is not None and current.status != MatchStatus.SUGGESTED:
            continue
        pair = index.explain(need, expert_id, today())
        eligible = constraints.passes(pair.explanation["constraints"])
        room = counts.get(project.id, 0) < top_k()
        enters = eligible and (room or pair.score > floors.get(project.id, 0.0))
        if enters or current is not None:
            _store(project, index.rank(need, top_k(), today=today()))
            changed += 1
    db.session.commit()
    return changed


def embed_stale_profiles(progress: Progress | None = None) -> int:
    """Embed and store every profile text whose vector is missing or stale; returns how many."""
    embedded = fill_text_vectors(_load_profiles(), progress)
    if embedded:
        db.session.commit()
        forget_index()  # candidates now carry their vectors
    return embedded


def recompute_all(progress: Progress | None = None) -> dict[str, int]:
    """Rescore every open project (batch, for `flask suggestions recompute`), after embedding
    stale profile texts so that every expert is compared on the same factors."""
    embed_stale_profiles()
    projects = _load_projects()
    index = current_index()
    needs = needs_for(projects)
    results = index.rank_all(needs, top_k(), today=today(), progress=progress)
    stored = 0
    for project in projects:
        stored += _store(project, results[project.id])
    db.session.commit()
    return {"projects": len(projects), "suggestions": stored}


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
    return float(suggestion.score), suggestion.explanation, ENGINE_VERSION, weights().as_dict()


def match_json(project_refs: list[str] | None, k: int) -> Iterable[dict]:
    """`flask match` output: one object per project, in the interchange format."""
    projects = _load_projects(open_only=project_refs is None, refs=project_refs)
    index = current_index()
    for project, need in zip(projects, needs_for(projects), strict=True):
        ranked = index.rank(need, k, today=today())
        yield {
            "project": project.ref,
            "matches": [
                {"expert": s.ref, "score": round(float(s.score), 6), "explanation": s.explanation}
                for s in ranked
            ],
        }


def propose_allocation() -> dict:
    """Who would go where if every open project were staffed at once (a proposal only)."""
    projects = _load_projects()
    index = current_index()
    needs = needs_for(projects)
    ranked = index.rank_all(needs, max(top_k(), 20), today=today())
    hours = {
        c: index.candidate(c).hours_per_month for pairs in ranked.values() for c in
        (s.candidate_id for s in pairs)
    }
    allocation = allocate(needs, ranked, hours)
    scores = {(p, s.candidate_id): s.score for p, pairs in ranked.items() for s in pairs}
    return {
        "status": allocation.status,
        "total_score": allocation.total_score,
        "projects": projects,
        "assignments": {
            p: [(c, scores[(p, c)]) for c in chosen]
            for p, chosen in allocation.assignments.items()
        },
    }


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
        rows.append({
            "country": country,
            "experts": experts[country],
            "suggested": c.get(MatchStatus.SUGGESTED, 0),
            "invited": c.get(MatchStatus.INVITED, 0),
            "accepted": c.get(MatchStatus.ACCEPTED, 0),
        })
    return rows
