"""The matching index of this process: built once from the database, then kept in step with it.

Every process (gunicorn worker, command) keeps its own index of all experts, per database URL,
and brings it up to date from the rows changed since it last looked, whichever process changed
them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.matching import Index
from diaspora.models import ExpertProfile
from diaspora.services.engine_inputs import (
    candidates,
    exposure,
    fill_text_vectors,
    load_profiles,
    load_projects,
    pending_invitations,
    skill_space,
    to_need,
    weights,
)


@dataclass
class _Built:
    index: Index
    synced_at: object  # the newest profile update the index has seen
    ids: set[int]
    pending: dict[int, int]


_lock = threading.Lock()
_built: dict[str, _Built] = {}  # per database URL: tests and tools may use several


def _build() -> _Built:
    """An index of every expert, learning relatedness from all profiles and projects."""
    synced_at = db.session.scalar(select(func.max(ExpertProfile.updated_at)))
    profiles = load_profiles()
    pending = pending_invitations()
    experts = candidates(profiles, pending)
    projects = [to_need(p, None) for p in load_projects(open_only=False)]
    keys = {k for c in experts for k, _ in c.skills}
    keys |= {k for p in projects for k, _ in (*p.required, *p.nice)}
    index = Index.build(
        experts,
        projects=projects,
        skill_space=skill_space(keys),
        weights=weights(),
        exposure=exposure(),
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
    pending = pending_invitations()
    moved = {i for i in ids if pending.get(i, 0) != built.pending.get(i, 0)}
    if changed:
        built.synced_at = db.session.scalar(select(func.max(ExpertProfile.updated_at)))
        for candidate in candidates(load_profiles(changed), pending):
            index.update_candidate(candidate)
    for expert_id in moved - changed:
        index.update_candidate(
            replace(index.candidate(expert_id), pending_invitations=pending.get(expert_id, 0))
        )
    built.ids = ids
    built.pending = pending


def _changed_a_lot(built: _Built) -> bool:
    """After an import, rebuilding at once beats updating thousands of rows one by one."""
    if built.synced_at is None:
        return True
    changed = db.session.scalar(
        select(func.count()).where(ExpertProfile.updated_at > built.synced_at)
    )
    return changed > max(200, len(built.ids) // 20)


def current_index() -> Index:
    """This process's index: built once, then kept in step with the database."""
    url = str(db.engine.url)
    with _lock:
        built = _built.get(url)
        if built is None or _changed_a_lot(built):
            built = _built[url] = _build()
        else:
            _sync(built)
        return built.index


def index_with_expert(expert_id: int) -> Index | None:
    """This process's index with one expert's current row in it at once (this process made the
    change: no need to trust timestamps), its text embedded if stale (the caller commits);
    None when the profile no longer exists, and the expert leaves the index."""
    index = current_index()
    profiles = load_profiles([expert_id])
    if not profiles:
        index.remove_candidate(expert_id)
        return None
    fill_text_vectors(profiles)
    [candidate] = candidates(profiles, pending_invitations(expert_id))
    index.update_candidate(candidate)
    return index


def forget_index() -> None:
    """Drop this process's index (after a bulk import, or in tests); the next use rebuilds."""
    with _lock:
        _built.pop(str(db.engine.url), None)
