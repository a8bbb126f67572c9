"""Searching the experts: a draft project that is never stored, ranked by the engine's index.

The skills typed are placed in the taxonomy as a project's are (any language, typos,
abbreviations); they become the required skills of an unsaved `ProjectNeed`, and this
process's index (`match_index`) scores every expert for it with the same factors, weights and
relatedness as a published project's suggestions, then keeps the hits the filters allow and
counts them per filter value (`matching.search`). Each hit carries the engine's explanation.

Nobody who withheld consent, chose a private profile, closed their account or left their
profile unconfirmed for a year is ever found, whoever searches. What a hit shows of the expert
follows the sections they keep from institutions (`permissions.hidden_from`); filters on a
hidden section do not find them either, except for admins, who see everything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from diaspora import geo
from diaspora.extensions import db
from diaspora.matching import Explanation, ProjectNeed
from diaspora.matching.inputs import cefr_rank
from diaspora.matching.search import Facets, SearchFilters
from diaspora.models import ExpertProfile, ProfileSection, Project, ProjectStatus, User
from diaspora.search_query import SearchQuery

# `experts` as a module: its use cases alert saved searches, which search through here.
from diaspora.services import experts, permissions, projects
from diaspora.services.engine_inputs import skill_key
from diaspora.services.errors import PermissionDenied
from diaspora.services.match_index import current_index
from diaspora.services.skills import ResolvedSkill, concept_label, normalise_skills
from diaspora.services.suggestions import today

PER_PAGE = 20
# The minimum level a search asks of each skill: a new project skill's default, so that a
# search ranks experts as a project asking for the same skills would.
SKILL_LEVEL = 3
# The "at least" steps offered for hours a month and hours of overlap with Morocco's day.
HOURS_STEPS = (5, 10, 20, 40, 80)
OVERLAP_STEPS = (2, 4, 6, 8)


class Spoken(NamedTuple):
    code: str
    level: str  # CEFR


@dataclass(frozen=True)
class ExpertHit:
    """One expert found, with what the reader may see of them: a hidden section is None."""

    ref: str
    name: str
    headline: str
    country: str
    city: str | None
    modes: list[str]
    sectors: list[str]
    languages: list[Spoken] | None
    hours_per_month: int | None
    available_from: date | None  # only when it is still to come
    shows_levels: bool
    score: float
    explanation: Explanation


@dataclass(frozen=True)
class SearchPage:
    """A page of results: how each typed skill was understood, the hits, the counts per filter
    value, and whether the reader has a published project to propose an expert for."""

    asked: SearchQuery
    skills: list[experts.SkillView]
    hits: list[ExpertHit]
    total: int
    page: int
    pages: int
    facets: Facets
    hours_at_least: dict[int, int]
    overlap_at_least: dict[int, int]
    can_propose: bool


# Where typed names landed in the taxonomy, most recent last. A person pages through and
# refines a search with the same words, and the normaliser's semantic step (a sentence
# encoder, for names it does not know verbatim) costs tens of milliseconds: placing each name
# once per process keeps refining cheap. The taxonomy is fixed for the process's life.
_PLACED: OrderedDict[str, ResolvedSkill] = OrderedDict()
_PLACED_SIZE = 10_000
_placed_lock = threading.Lock()


def _place(names: list[str]) -> list[ResolvedSkill]:
    """`normalise_skills`, remembered per name (the unknown ones placed in one batch)."""
    with _placed_lock:
        known = {name: _PLACED[name] for name in names if name in _PLACED}
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    placed = dict(zip(unknown, normalise_skills(unknown), strict=True))
    with _placed_lock:
        for name in names:
            _PLACED[name] = known.get(name) or placed[name]
            _PLACED.move_to_end(name)
        while len(_PLACED) > _PLACED_SIZE:
            _PLACED.popitem(last=False)
    return [known.get(name) or placed[name] for name in names]


def understood(names: tuple[str, ...], lang: str) -> list[experts.SkillView]:
    """Each typed skill as the taxonomy placed it, labelled in `lang` (the same concept typed
    twice, say "CV" and "vision par ordinateur", is asked for once)."""
    views: dict[str, experts.SkillView] = {}
    for name, placed in zip(names, _place(list(names)), strict=True):
        label = concept_label(placed.concept_id, lang) if placed.concept_id else None
        views.setdefault(
            skill_key(placed.concept_id, name),
            experts.SkillView(name, SKILL_LEVEL, placed.concept_id, label, placed.method),
        )
    return list(views.values())


def _need(query: SearchQuery, skills: list[experts.SkillView]) -> ProjectNeed:
    """The search as the engine's need: its skills required, the sector and hours asked for
    counted as a project's are; remote unless only on-site ways of working are asked for, so
    that the time-zone overlap counts."""
    on_site = query.modes and "remote" not in query.modes
    return ProjectNeed(
        id="search",
        ref="search",
        required=tuple((skill_key(s.concept_id, s.name), SKILL_LEVEL) for s in skills),
        mode=sorted(query.modes)[0] if on_site else "remote",
        sector=query.sectors[0] if len(query.sectors) == 1 else None,
        hours_per_month=query.min_hours,
    )


def _filters(query: SearchQuery, viewer: User) -> SearchFilters:
    return SearchFilters(
        countries=frozenset({query.country}) if query.country else frozenset(),
        city=geo.fold(query.city),
        modes=frozenset(query.modes),
        sectors=frozenset(query.sectors),
        languages=tuple((code, cefr_rank(level)) for code, level in query.languages),
        min_hours=query.min_hours,
        available_by=query.available_by,
        min_overlap_hours=query.min_overlap_hours,
        in_morocco=query.in_morocco,
        see_hidden=permissions.is_admin(viewer),
    )


def _at_least(counts: dict[int, int], steps: tuple[int, ...]) -> dict[int, int]:
    return {step: sum(n for value, n in counts.items() if value >= step) for step in steps}


def _profiles(ids: list[int]) -> dict[int, ExpertProfile]:
    """The profiles of the hits, with what a hit shows of them (two queries)."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(ExpertProfile)
        .where(ExpertProfile.id.in_(ids))
        .options(joinedload(ExpertProfile.user), selectinload(ExpertProfile.languages))
    )
    return {profile.id: profile for profile in rows}


def _hit(
    viewer: User, profile: ExpertProfile, score: float, why: Explanation, day: date
) -> ExpertHit:
    hidden = permissions.hidden_from(viewer, profile)
    availability = ProfileSection.AVAILABILITY not in hidden
    later = profile.available_from if (profile.available_from or day) > day else None
    return ExpertHit(
        ref=profile.ref,
        name=profile.user.full_name or profile.ref,
        headline=profile.headline,
        country=profile.country,
        city=None if ProfileSection.CITY in hidden else profile.city,
        modes=list(profile.modes or ()),
        sectors=list(profile.sectors or ()),
        languages=None
        if ProfileSection.LANGUAGES in hidden
        else [Spoken(lang.code, lang.level) for lang in profile.languages],
        hours_per_month=(profile.hours_per_month or None) if availability else None,
        available_from=later if availability else None,
        shows_levels=ProfileSection.SKILL_LEVELS not in hidden,
        score=score,
        explanation=why,
    )


def proposable_projects(viewer: User) -> list[Project]:
    """The published projects `viewer` may propose an expert for (none for admins, who add
    experts by hand in the review queue)."""
    verified = [i.id for i in permissions.member_institutions(viewer) if i.is_verified]
    found = projects.list_for_institutions(verified, (ProjectStatus.PUBLISHED,))
    return [p for p in found if permissions.can_propose_for(viewer, p)]


def may_propose(viewer: User) -> bool:
    """Whether `viewer` has a project to propose an expert for: one query for one project
    (every result page asks; the proposal form lists them all)."""
    verified = [i.id for i in permissions.member_institutions(viewer) if i.is_verified]
    found = projects.list_for_institutions(verified, (ProjectStatus.PUBLISHED,), limit=1)
    return any(permissions.can_propose_for(viewer, p) for p in found)


def search(viewer: User, query: SearchQuery, lang: str) -> SearchPage:
    """One page of the experts `query` finds for `viewer`, best first; PermissionDenied unless
    they may search (admins, members of a verified institution)."""
    if not permissions.can_search_experts(viewer):
        raise PermissionDenied("expert search is for admins and verified institutions")
    skills = understood(query.skills, lang)
    need, filters, day = _need(query, skills), _filters(query, viewer), today()
    index = current_index()
    # An empty search lists nobody, but its counts show where the experts are.
    per_page = PER_PAGE if query.asks_something() else 0
    page = max(query.page, 1)
    found = index.search(need, filters, day, (page - 1) * PER_PAGE, per_page)
    pages = max(1, -(-found.total // PER_PAGE))
    if page > pages:  # a bookmarked page past the end: show the last one
        page = pages
        found = index.search(need, filters, day, (page - 1) * PER_PAGE, per_page)
    profiles = _profiles([expert_id for expert_id, _score in found.ranked])
    hits = [
        _hit(
            viewer, profiles[expert_id], score, index.explain(need, expert_id, day).explanation, day
        )
        for expert_id, score in found.ranked
        if expert_id in profiles
    ]
    return SearchPage(
        asked=query,
        skills=skills,
        hits=hits,
        total=found.total if per_page else 0,
        page=page,
        pages=pages,
        facets=found.facets,
        hours_at_least=_at_least(found.facets.hours, HOURS_STEPS),
        overlap_at_least=_at_least(found.facets.overlap_hours, OVERLAP_STEPS),
        can_propose=may_propose(viewer),
    )


def found_ids(
    viewer: User, query: SearchQuery, lang: str, among: Collection[int] | None = None
) -> list[int]:
    """Every expert `query` finds for `viewer`, best first, by id: what a saved search's
    alerts compare with what its owner already knows (no one for an empty search). With
    `among` (the profiles that just changed), only those of them it finds, checked one by one
    rather than ranking everyone."""
    if not permissions.can_search_experts(viewer) or not query.asks_something():
        return []
    skills = understood(query.skills, lang)
    index = current_index()
    need, filters = _need(query, skills), _filters(query, viewer)
    if among is not None:
        return index.found_among(need, filters, today(), among)
    found = index.search(need, filters, today(), 0, len(index))
    return [expert_id for expert_id, _score in found.ranked]
