"""The matching index of this process: built once from the database, then kept in step with it.

Every process (gunicorn worker, command) keeps its own index of all experts, per database URL.
Per request it reads the experts changed since the last change it applied, whichever process
or machine made them (`expert_changes`: one indexed query, which finds nothing when nothing
changed), and patches them in; after a large import it builds the index again (relatedness is
learnt at build time).

Built before gunicorn forks its workers (diaspora.warmup), the index is shared by them: updates
patch small parts of it and leave what the build laid out in place, so each worker's own copy
stays small (see diaspora.matching.index).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from diaspora.extensions import db
from diaspora.matching import Index
from diaspora.services import expert_changes, weight_sets
from diaspora.services.engine_inputs import (
    expert_candidates,
    exposure,
    fill_text_vectors,
    load_profiles,
    load_projects,
    skill_space,
    to_need,
    weights,
)


@dataclass
class _Built:
    index: Index
    seen: int  # the newest expert change applied


_lock = threading.Lock()
_built: dict[str, _Built] = {}  # per database URL: tests and tools may use several


def _build() -> _Built:
    """An index of every expert, learning relatedness from all profiles and projects."""
    # Read first: a change committed while the rows load is applied again afterwards.
    seen = expert_changes.newest()
    weight_sets.forget()  # an adopted weight set makes every process build again: read it
    experts = expert_candidates()
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
    return _Built(index, seen)


def _apply(index: Index, expert_ids: set[int]) -> None:
    """Patch these experts in as they now are; those no longer there leave the index.
    Relatedness learnt at build time stays as it was: it changes slowly with the population."""
    found = expert_candidates(expert_ids)
    index.update_candidates(found)
    for gone in expert_ids - {c.id for c in found}:
        index.remove_candidate(gone)


def _changed_a_lot(built: _Built, changed: set[int] | None) -> bool:
    """Build again after a large import (it says so when it ends), or when most experts
    changed; patching thousands of experts takes a second or two, building at 100,000 many
    more, and a request of this process waits for either."""
    return changed is None or len(changed) > len(built.index) // 2


def current_index() -> Index:
    """This process's index: built once, then kept in step with the database."""
    url = str(db.engine.url)
    with _lock:
        built = _built.get(url)
        if built is None:
            built = _built[url] = _build()
            return built.index
        newest, changed = expert_changes.since(built.seen)
        if _changed_a_lot(built, changed):
            built = _built[url] = _build()
        elif changed:
            _apply(built.index, changed)
            built.seen = newest
        return built.index


def index_with_expert(expert_id: int) -> Index | None:
    """This process's index with one expert's current row in it at once (the change is this
    process's own, maybe not committed yet), the text embedded if stale (the caller commits);
    None when the profile no longer exists, and the expert leaves the index."""
    index = current_index()
    if fill_text_vectors(load_profiles([expert_id])):
        expert_changes.note(expert_id)  # the other processes read the new vector too
    _apply(index, {expert_id})
    return index if expert_id in index else None


def forget_index() -> None:
    """Drop this process's index (in tests, or to learn relatedness afresh); the next use
    builds it again."""
    with _lock:
        _built.pop(str(db.engine.url), None)
