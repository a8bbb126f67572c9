"""Rows as the matching engine reads them: candidates, project needs, skills and text vectors.

The engine (diaspora.matching) is pure and knows nothing of the database; this module loads the
rows it needs and turns them into its plain inputs, with the weights and exposure settings of
the application's configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import bindparam, func, literal, select
from sqlalchemy.orm import selectinload, undefer

from diaspora import geo
from diaspora.extensions import db
from diaspora.matching import Candidate, Exposure, ProjectNeed, SkillSpace, Weights
from diaspora.matching.inputs import OnSiteWindow as Window
from diaspora.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Match,
    MatchStatus,
    OnSiteWindow,
    Project,
    ProjectSkill,
    ProjectStatus,
    User,
)
from diaspora.models.base import utcnow
from diaspora.services import consent, weight_sets
from diaspora.services.commitments import committed_hours
from diaspora.services.permissions import LISTED
from diaspora.taxonomy import fold, get_taxonomy

Progress = Callable[[int, int], None]


def weights() -> Weights:
    """The scoring weights in force (an adopted weight set, else the configuration's
    MATCH_WEIGHTS), recorded with each suggestion."""
    return weight_sets.in_force().weights


def engine_version() -> str:
    """The engine's version with the weights in force, recorded with each suggestion."""
    return weight_sets.in_force().engine_version


def exposure() -> Exposure:
    """The fair-exposure settings of the configuration (MATCH_EXPOSURE)."""
    return Exposure(**current_app.config.get("MATCH_EXPOSURE", {}))


def hours_margin() -> float:
    """How far a project's hours may exceed an expert's remaining hours (MATCH_HOURS_MARGIN)."""
    return float(current_app.config["MATCH_HOURS_MARGIN"])


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
    return _expert_text(profile.headline, profile.bio, [s.name for s in profile.skills])


def _expert_text(headline: str, bio: str, skill_names: Iterable[str]) -> str:
    return f"{headline}. {bio}. " + ", ".join(skill_names)


def project_text(project: Project) -> str:
    """The text of a project the engine compares with profiles."""
    return _project_text(project.title, project.description, (s.name for s in project.skills))


def _project_text(title: str, description: str, skill_names: Iterable[str]) -> str:
    return f"{title}. {description}. " + ", ".join(skill_names)


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
    commits). Encoding costs a few ms a text, so web requests embed one row at a time and
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


def load_profiles(ids: Iterable[int]) -> list[ExpertProfile]:
    """The expert profiles of `ids` as objects, with what their text is made of, in id order
    (to store their text vectors: the engine itself reads plain rows, see `expert_candidates`)."""
    query = select(ExpertProfile).options(
        selectinload(ExpertProfile.skills), undefer(ExpertProfile.text_vector)
    )
    return list(db.session.scalars(query.where(ExpertProfile.id.in_(list(ids)))))


def pending_invitations(ids: Iterable[int] | None = None) -> dict[int, int]:
    """Invitations waiting for an answer, per expert (of the experts of `ids` only if given)."""
    query = select(Match.expert_id, func.count()).where(Match.status == MatchStatus.INVITED)
    if ids is not None:
        query = query.where(Match.expert_id.in_(list(ids)))
    return dict(db.session.execute(query.group_by(Match.expert_id)).all())


def _window(start: date, end: date, city: str) -> Window:
    place = geo.moroccan_city(city)
    if place is None:
        return Window(start, end, city)
    return Window(start, end, place[0], place[1], place[2])


def _on_site(row, windows: list[Window]) -> tuple[Window, ...]:
    """The expert's periods in Morocco: those they declared, and all the time when they live
    there."""
    if row.country == "MA":
        windows = [_window(date.min, date.max, row.city or ""), *windows]
    return tuple(windows)


class _ExpertRows:
    """Every profile (or those of `ids`) as plain rows, with its skills and languages: three
    queries whatever the number, and no ORM object (100,000 experts load in seconds)."""

    def __init__(self, ids: list[int] | None, with_vectors: bool) -> None:
        def only(query, column):
            return query if ids is None else query.where(column.in_(ids))

        profiles = select(
            ExpertProfile.id,
            ExpertProfile.ref,
            ExpertProfile.headline,
            ExpertProfile.bio,
            ExpertProfile.modes,
            ExpertProfile.sectors,
            ExpertProfile.hours_per_month,
            ExpertProfile.timezone,
            ExpertProfile.country,
            ExpertProfile.city,
            ExpertProfile.available_from,
            ExpertProfile.hidden_sections,
            ExpertProfile.confirmed_at,
            # Consent to an older text pauses matching until the expert accepts the new one.
            (ExpertProfile.consent_matching & User.active & consent.accepted()).label("consent"),
            LISTED.label("listed"),
            ExpertProfile.text_digest,
            ExpertProfile.text_vector if with_vectors else literal(None).label("text_vector"),
        ).join(User, User.id == ExpertProfile.user_id)
        self.profiles = db.session.execute(
            only(profiles, ExpertProfile.id).order_by(ExpertProfile.id)
        ).all()
        # Per expert, (skill row id, concept, name, level): sorted here, not by the database.
        self.skills: dict[int, list[tuple]] = {}
        query = select(
            ExpertSkill.expert_id,
            ExpertSkill.id,
            ExpertSkill.concept_id,
            ExpertSkill.name,
            ExpertSkill.level,
        )
        for expert_id, *skill in db.session.execute(only(query, ExpertSkill.expert_id)):
            self.skills.setdefault(expert_id, []).append(skill)
        for held in self.skills.values():
            held.sort()
        self.languages: dict[int, dict[str, str]] = {}
        query = select(ExpertLanguage.expert_id, ExpertLanguage.code, ExpertLanguage.level)
        for expert_id, code, level in db.session.execute(only(query, ExpertLanguage.expert_id)):
            self.languages.setdefault(expert_id, {})[code] = level
        # Windows that are over no longer count: matching and pages forget them.
        self.windows: dict[int, list[Window]] = {}
        query = select(
            OnSiteWindow.expert_id, OnSiteWindow.starts_on, OnSiteWindow.ends_on, OnSiteWindow.city
        ).where(OnSiteWindow.ends_on >= utcnow().date())
        for expert_id, start, end, city in db.session.execute(
            only(query, OnSiteWindow.expert_id).order_by(OnSiteWindow.starts_on, OnSiteWindow.id)
        ):
            self.windows.setdefault(expert_id, []).append(_window(start, end, city))
        self.committed = committed_hours(ids)

    def text_is_current(self, row) -> bool:
        """Whether the row's stored vector was computed from its current text."""
        names = (name for _, _, name, _ in self.skills.get(row.id, ()))
        return row.text_digest == _digest(_expert_text(row.headline, row.bio, names))


def expert_candidates(ids: Iterable[int] | None = None) -> list[Candidate]:
    """Every expert (or those of `ids`) as the engine's candidates, with their pending
    invitations and their text vectors where current, in id order."""
    wanted = None if ids is None else list(ids)
    use_text = current_app.config["MATCH_USE_TEXT"]
    rows = _ExpertRows(wanted, with_vectors=use_text)
    pending = pending_invitations(wanted)
    # Equal values shared, not repeated per expert (skill keys, (key, level) pairs, language
    # levels, modes, sectors): a large part of the index's memory at 100,000 experts otherwise.
    shared: dict = {}

    def one(value, key=None):
        return shared.setdefault(value if key is None else key, value)

    folded: dict[str | None, str] = {}  # city as typed -> as searches compare it

    candidates = []
    for row in rows.profiles:
        vector = None
        if use_text and row.text_vector is not None and rows.text_is_current(row):
            vector = np.frombuffer(row.text_vector, dtype=np.float32)
        skills = tuple(
            one((one(skill_key(concept, name)), level))
            for _, concept, name, level in rows.skills.get(row.id, ())
        )
        levels = rows.languages.get(row.id, {})
        candidates.append(
            Candidate(
                id=row.id,
                ref=row.ref,
                skills=one(skills),
                languages=one(levels, ("languages", frozenset(levels.items()))),
                modes=one(frozenset(row.modes or ())),
                sectors=one(frozenset(row.sectors or ())),
                hours_per_month=row.hours_per_month or None,
                timezone=row.timezone,
                consent=bool(row.consent),
                confirmed_at=row.confirmed_at.date() if row.confirmed_at else None,
                pending_invitations=pending.get(row.id, 0),
                country=row.country,
                city=folded.get(row.city) or folded.setdefault(row.city, geo.fold(row.city or "")),
                available_from=row.available_from,
                listed=bool(row.listed),
                hidden=one(frozenset(row.hidden_sections or ())),
                committed_hours=rows.committed.get(row.id, 0.0),
                on_site=_on_site(row, rows.windows.get(row.id, [])),
                text_vector=vector,
            )
        )
    return candidates


def stale_expert_texts() -> dict[str, list[int]]:
    """The profile texts whose stored vector is missing or was computed from another text,
    each with the experts who have it, read as plain rows (two queries, no ORM object)."""
    names: dict[int, list[str]] = {}
    for expert_id, name in db.session.execute(
        select(ExpertSkill.expert_id, ExpertSkill.name).order_by(ExpertSkill.id)
    ):
        names.setdefault(expert_id, []).append(name)
    stale: dict[str, list[int]] = {}
    for expert_id, headline, bio, digest in db.session.execute(
        select(
            ExpertProfile.id, ExpertProfile.headline, ExpertProfile.bio, ExpertProfile.text_digest
        ).order_by(ExpertProfile.id)
    ):
        text = _expert_text(headline, bio, names.get(expert_id, ()))
        if digest != _digest(text):
            stale.setdefault(text, []).append(expert_id)
    return stale


_profiles = ExpertProfile.__table__


def store_expert_vectors(texts: dict[str, list[int]]) -> None:
    """Store on every expert of each text its vector: one already stored for the same text
    (another profile's, found by digest), else embedded now, each text once (the caller
    commits). The profile's `updated_at` stays: its owner changed nothing."""
    digests = {text: _digest(text) for text in texts}
    known = dict(
        db.session.execute(
            select(ExpertProfile.text_digest, ExpertProfile.text_vector).where(
                ExpertProfile.text_digest.in_(list(digests.values())),
                ExpertProfile.text_vector.is_not(None),
            )
        ).all()
    )
    new = [text for text in texts if digests[text] not in known]
    encoder = get_taxonomy().encoder if new else None
    if encoder is not None:
        for text, vector in zip(new, encoder.encode(new), strict=True):
            known[digests[text]] = np.asarray(vector, dtype=np.float32).tobytes()
    rows = [
        {"expert_id": expert_id, "vector": known[digests[text]], "digest": digests[text]}
        for text, ids in texts.items()
        if digests[text] in known
        for expert_id in ids
    ]
    if not rows:
        return
    db.session.execute(
        _profiles.update()
        .where(_profiles.c.id == bindparam("expert_id"))
        .values(
            text_vector=bindparam("vector"),
            text_digest=bindparam("digest"),
            updated_at=_profiles.c.updated_at,
        ),
        rows,
    )


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
            # Named statuses, not "!= suggested": the index on the status then finds the few
            # reviewed pairs instead of every suggestion being read.
            .where(Match.status.in_([s for s in MatchStatus.ALL if s != MatchStatus.SUGGESTED]))
        )
        for project_id, expert_id in rows:
            found.setdefault(project_id, set()).add(expert_id)
    return {project_id: frozenset(found.get(project_id, ())) for project_id in ids}


def to_need(project: Project, vector, excluded: frozenset[int] = frozenset()) -> ProjectNeed:
    """A project as the engine's need, without the experts of `excluded`."""
    skills = [(s.concept_id, s.name, s.level, s.required) for s in project.skills]
    return _need(project, skills, vector, excluded)


def _ends_on(starts_on: date | None, months: int | None) -> date | None:
    """The last day of a project lasting `months` from `starts_on` (months of 30.44 days:
    presence is counted in days, a day either way changes nothing). An end past the calendar
    (a start in a far year, a stored duration no form allows) is its last day, 31 December 9999,
    rather than an overflow that would stop every project's matching."""
    if starts_on is None or not months or months <= 0:
        return None
    last = starts_on.toordinal() + round(30.44 * months) - 1
    return date.fromordinal(min(last, date.max.toordinal()))


def _need(project, skills, vector, excluded: frozenset[int]) -> ProjectNeed:
    # `project`: a Project or a row with its columns; `skills`: (concept, name, level, required).
    skills = [
        (skill_key(concept, name), level, required) for concept, name, level, required in skills
    ]
    place = geo.moroccan_city(project.location or "")
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
        hours_margin=hours_margin(),
        starts_on=project.starts_on,
        ends_on=_ends_on(project.starts_on, project.duration_months),
        flexible_start=bool(project.flexible_start),
        location=place[0] if place else project.location or "",
        latitude=place[1] if place else None,
        longitude=place[2] if place else None,
    )


def needs_for(projects: list[Project]) -> list[ProjectNeed]:
    """The projects as needs, with their text vectors (embedded now when stale: a handful of
    projects is cheap, and stored for next time) and the experts already reviewed for each."""
    fill_text_vectors(projects)
    excluded = exclusions(p.id for p in projects)
    return [to_need(p, stored_vector(p), excluded[p.id]) for p in projects]


def open_needs() -> list[ProjectNeed]:
    """Every published project as the engine's need, in id order, read as plain rows (a profile
    save scores the expert against all of them: objects would cost more than the scoring). A
    project whose text vector is stale is embedded and stored, as `needs_for` does."""
    use_text = current_app.config["MATCH_USE_TEXT"]
    published = Project.status == ProjectStatus.PUBLISHED
    projects = db.session.execute(
        select(
            Project.id,
            Project.ref,
            Project.title,
            Project.description,
            Project.languages,
            Project.mode,
            Project.sector,
            Project.hours_per_month,
            Project.seats,
            Project.starts_on,
            Project.duration_months,
            Project.flexible_start,
            Project.location,
            Project.text_digest,
            Project.text_vector if use_text else literal(None).label("text_vector"),
        )
        .where(published)
        .order_by(Project.id)
    ).all()
    skills: dict[int, list[tuple]] = {}
    query = select(
        ProjectSkill.project_id,
        ProjectSkill.concept_id,
        ProjectSkill.name,
        ProjectSkill.level,
        ProjectSkill.required,
    )
    for project_id, *skill in db.session.execute(
        query.join(Project, Project.id == ProjectSkill.project_id)
        .where(published)
        .order_by(ProjectSkill.id)
    ):
        skills.setdefault(project_id, []).append(skill)
    vectors = {}
    for row in projects:
        names = (name for _, name, _, _ in skills.get(row.id, ()))
        text = _project_text(row.title, row.description, names)
        if row.text_vector is not None and row.text_digest == _digest(text):
            vectors[row.id] = np.frombuffer(row.text_vector, dtype=np.float32)
    stale = [row.id for row in projects if use_text and row.id not in vectors]
    if stale:
        objects = list(db.session.scalars(select(Project).where(Project.id.in_(stale))))
        fill_text_vectors(objects)
        vectors.update((p.id, stored_vector(p)) for p in objects)
    excluded = exclusions(row.id for row in projects)
    return [
        _need(row, skills.get(row.id, ()), vectors.get(row.id), excluded[row.id])
        for row in projects
    ]
