"""Rows as the matching engine reads them: candidates, project needs, skills and text vectors.

The engine (diaspora.matching) is pure and knows nothing of the database; this module loads the
rows it needs and turns them into its plain inputs, with the weights and exposure settings of
the application's configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import numpy as np
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from diaspora.extensions import db
from diaspora.matching import Candidate, Exposure, ProjectNeed, SkillSpace, Weights
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, ProjectStatus
from diaspora.taxonomy import fold, get_taxonomy

Progress = Callable[[int, int], None]


def weights() -> Weights:
    """The scoring weights of the configuration (MATCH_WEIGHTS), recorded with each suggestion."""
    return Weights.from_mapping(current_app.config.get("MATCH_WEIGHTS"))


def exposure() -> Exposure:
    """The fair-exposure settings of the configuration (MATCH_EXPOSURE)."""
    return Exposure(**current_app.config.get("MATCH_EXPOSURE", {}))


# ------------------------------------------------------------------------------------ skills


def skill_key(concept_id: str | None, name: str) -> str:
    """The engine's key for a skill: its concept, or the folded name of a free skill."""
    return concept_id or "free:" + fold(name)


def skill_space(keys: Iterable[str]) -> SkillSpace:
    """Hierarchy paths of every taxonomy concept among `keys` (free skills have none)."""
    tax = get_taxonomy()
    return SkillSpace(paths={k: tax.paths(k) for k in keys if not k.startswith("free:")})


# ------------------------------------------------------------------------------ text vectors


def expert_text(profile: ExpertProfile) -> str:
    """The text of a profile the engine compares with project descriptions."""
    return f"{profile.headline}. {profile.bio}. " + ", ".join(s.name for s in profile.skills)


def project_text(project: Project) -> str:
    """The text of a project the engine compares with profiles."""
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
        chunk = stale[start : start + batch]
        texts = [_text_of(row) for row in chunk]
        for row, text, vector in zip(chunk, texts, encoder.encode(texts), strict=True):
            row.text_vector = np.asarray(vector, dtype=np.float32).tobytes()
            row.text_digest = _digest(text)
        if progress is not None:
            progress(min(start + batch, len(stale)), len(stale))
    return len(stale)


# -------------------------------------------------------------------------------- candidates


def load_profiles(ids: Iterable[int] | None = None) -> list[ExpertProfile]:
    """Every expert profile (or those of `ids`) with what the engine reads, in id order."""
    query = select(ExpertProfile).options(
        selectinload(ExpertProfile.skills),
        selectinload(ExpertProfile.languages),
        selectinload(ExpertProfile.user),
        undefer(ExpertProfile.text_vector),
    )
    if ids is not None:
        query = query.where(ExpertProfile.id.in_(list(ids)))
    return list(db.session.scalars(query.order_by(ExpertProfile.id)))


def pending_invitations(expert_id: int | None = None) -> dict[int, int]:
    """Invitations waiting for an answer, per expert (of one expert only with `expert_id`)."""
    query = select(Match.expert_id, func.count()).where(Match.status == MatchStatus.INVITED)
    if expert_id is not None:
        query = query.where(Match.expert_id == expert_id)
    return dict(db.session.execute(query.group_by(Match.expert_id)).all())


def to_candidate(profile: ExpertProfile, pending: int, vector) -> Candidate:
    """A profile as the engine's candidate."""
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


def candidates(profiles: list[ExpertProfile], pending: dict[int, int]) -> list[Candidate]:
    """Profiles as candidates, with their pending invitations and stored text vectors."""
    return [to_candidate(p, pending.get(p.id, 0), stored_vector(p)) for p in profiles]


# ------------------------------------------------------------------------------------- needs


def load_projects(open_only: bool = True, refs: Iterable[str] | None = None) -> list[Project]:
    """The published projects (every project with `open_only=False`; only those of `refs` when
    given) with what the engine reads, in id order."""
    query = select(Project).options(selectinload(Project.skills), undefer(Project.text_vector))
    if open_only:
        query = query.where(Project.status == ProjectStatus.PUBLISHED)
    if refs is not None:
        query = query.where(Project.ref.in_(list(refs)))
    return list(db.session.scalars(query.order_by(Project.id)))


def exclusions(project_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Per project, the experts already reviewed for it (invited, answered or rejected by an
    admin), who are never suggested there again; one query for all the projects."""
    ids = list(project_ids)
    found: dict[int, set[int]] = {}
    if ids:
        rows = db.session.execute(
            select(Match.project_id, Match.expert_id)
            .where(Match.project_id.in_(ids))
            .where(Match.status != MatchStatus.SUGGESTED)
        )
        for project_id, expert_id in rows:
            found.setdefault(project_id, set()).add(expert_id)
    return {project_id: frozenset(found.get(project_id, ())) for project_id in ids}


def to_need(project: Project, vector, excluded: frozenset[int] = frozenset()) -> ProjectNeed:
    """A project as the engine's need, without the experts of `excluded`."""
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


def needs_for(projects: list[Project]) -> list[ProjectNeed]:
    """The projects as needs, with their text vectors (embedded now when stale: a handful of
    projects is cheap, and stored for next time) and the experts already reviewed for each."""
    fill_text_vectors(projects)
    excluded = exclusions(p.id for p in projects)
    return [to_need(p, stored_vector(p), excluded[p.id]) for p in projects]
