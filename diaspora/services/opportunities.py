"""Projects for experts: the open projects ranked for the signed-in expert, and the public list
of open projects that invites visitors to sign up.

An open project is published by a verified institution and still has a place free. The expert's
ranking is the engine seen from their side: the index scores the expert against each open
project with its own per-pair definition (`Index.explain`), which gives the score and the
explanation an admin reads on a suggestion; the hard constraints decide what is hidden, and say
why when the expert asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, selectinload, undefer

from diaspora import wording
from diaspora.extensions import db
from diaspora.matching import Explanation, constraints
from diaspora.matching.factors import REMOTE_MODES
from diaspora.models import (
    ExpertProfile,
    Match,
    MatchSource,
    MatchStatus,
    Project,
    Role,
    User,
)
from diaspora.services import commitments, experts, permissions
from diaspora.services.engine_inputs import stored_vector, to_need
from diaspora.services.errors import PermissionDenied
from diaspora.services.match_index import current_index, index_with_expert
from diaspora.services.skills import concept_label
from diaspora.services.suggestions import today
from diaspora.taxonomy import fold

S = MatchStatus
PER_PAGE = 10
PUBLIC_PER_PAGE = 20

# The expert's history with a project, as `Opportunity.history` names it. Approved matches keep
# their status; "interest_sent" and "interest_rejected" are the expert's own expressions of
# interest; "reviewed" is any other decision an admin took on the pair, which the expert never
# saw and is not told of (it only keeps them from asking again).
SHOWN_HISTORY = frozenset({"interest_sent", S.INVITED, S.ACCEPTED})


@dataclass(frozen=True)
class Filters:
    """What the visitor narrows the list to; empty values keep everything."""

    sector: str = ""
    mode: str = ""
    city: str = ""
    remote: bool = False  # only projects that can be done from abroad (remote or hybrid)


@dataclass(frozen=True)
class Opportunity:
    """One open project as the expert sees it: their score and its explanation, whether it
    fits them (every hard constraint holds), their history with it, why they cannot ask to
    join it (in words; empty when they can) and the match to link to."""

    project: Project
    score: float
    explanation: Explanation
    fits: bool
    history: str | None
    match: Match | None
    reasons: list[str] = field(default_factory=list)

    @property
    def can_express(self) -> bool:
        """Whether the expert may express interest in the project now."""
        return self.fits and self.history is None

    @property
    def listed(self) -> bool:
        """Whether the ranking shows it without being asked for the projects that do not fit."""
        return self.fits or self.history in SHOWN_HISTORY


# -- open projects -------------------------------------------------------------------------


def _seats_left():
    return commitments.seats_filled_of_project() < Project.seats


def _open():
    """Projects open to experts: publicly listed (`permissions`) with a place still free."""
    return and_(permissions.publicly_listed(), _seats_left())


def is_open(project: Project) -> bool:
    """Whether experts may still join `project` (one query for its free places)."""
    if not permissions.is_publicly_listed(project):
        return False
    return db.session.scalar(select(Project.id).where(Project.id == project.id, _seats_left()))


def _locations() -> list[str]:
    """Each place in Morocco an open project names, as typed (one query)."""
    return list(
        db.session.scalars(
            select(Project.location).where(_open(), Project.location != "").distinct()
        )
    )


def cities(locations: list[str]) -> list[str]:
    """One name per city among `locations` (spellings that fold alike count once), sorted."""
    named: dict[str, str] = {}
    for location in sorted(locations):
        named.setdefault(fold(location), location.strip())
    return [named[key] for key in sorted(named)]


def _chosen(city: str, names: list[str]) -> str:
    """The name among `names` that the typed `city` stands for ("" for none)."""
    key = fold(city)
    return next((name for name in names if key and fold(name) == key), "")


def _filtered(query, filters: Filters, locations: list[str]):
    if filters.sector:
        query = query.where(Project.sector == filters.sector)
    if filters.mode:
        query = query.where(Project.mode == filters.mode)
    if filters.remote:
        query = query.where(Project.mode.in_(sorted(REMOTE_MODES)))
    if filters.city:
        # Compared folded here, not by the database (whose lower() differs between engines).
        key = fold(filters.city)
        query = query.where(Project.location.in_([c for c in locations if fold(c) == key]))
    return query


def _open_query(filters: Filters, locations: list[str]):
    query = (
        select(Project)
        .join(Project.institution)
        .where(_open())
        .options(contains_eager(Project.institution), selectinload(Project.skills))
    )
    return _filtered(query, filters, locations)


def _pages(count: int, per_page: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-count // per_page))
    return min(max(page, 1), pages), pages


# -- the public list -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicProject:
    """What anyone may read of an open project; nothing else of it reaches the page."""

    title: str
    institution: str
    sector: str
    mode: str
    required: list[str]
    nice: list[str]


@dataclass(frozen=True)
class PublicPage:
    projects: list[PublicProject]
    total: int
    page: int
    pages: int
    cities: list[str]
    city: str  # the one of `cities` the filter chose


def _skill_label(skill, locale: str) -> str:
    return concept_label(skill.concept_id, locale) if skill.concept_id else skill.name


def _public(project: Project, locale: str) -> PublicProject:
    return PublicProject(
        title=project.title,
        institution=project.institution.name,
        sector=project.sector,
        mode=project.mode,
        required=[_skill_label(s, locale) for s in project.required_skills],
        nice=[_skill_label(s, locale) for s in project.nice_skills],
    )


def public_page(filters: Filters, page: int = 1) -> PublicPage:
    """The open projects, newest first, a page at a time: for anyone, signed in or not."""
    locations = _locations()
    query = _open_query(filters, locations)
    total = db.session.scalar(
        select(func.count()).select_from(query.with_only_columns(Project.id).subquery())
    )
    page, pages = _pages(total, PUBLIC_PER_PAGE, page)
    rows = db.session.scalars(
        query.order_by(Project.published_at.desc(), Project.id.desc())
        .offset((page - 1) * PUBLIC_PER_PAGE)
        .limit(PUBLIC_PER_PAGE)
    ).all()
    locale = str(get_locale() or "fr")
    names = cities(locations)
    shown = [_public(p, locale) for p in rows]
    return PublicPage(shown, total, page, pages, names, _chosen(filters.city, names))


# -- the expert's ranking ------------------------------------------------------------------


def _history(match: Match | None) -> str | None:
    if match is None:
        return None
    if match.status == S.SUGGESTED:
        # Suggestions by the engine, an admin or an institution stay unseen until approved.
        return "interest_sent" if match.source == MatchSource.EXPERT else None
    if permissions.was_approved(match):
        return match.status
    if match.status == S.REJECTED and match.source == MatchSource.EXPERT:
        return "interest_rejected"
    return "reviewed"


def _history_reason(history: str | None) -> list[str]:
    return {
        S.DECLINED: [_("You declined an invitation to this project.")],
        S.EXPIRED: [_("Your invitation to this project expired.")],
        S.CLOSED: [_("Your invitation to this project was closed.")],
        "interest_rejected": [_("Your interest in this project was not taken forward.")],
        "reviewed": [_("An administrator already reviewed your profile for this project.")],
    }.get(history, [])


def assess(profile: ExpertProfile, projects: list[Project], index=None) -> list[Opportunity]:
    """The expert against each project (loaded with their skills and text vectors): score,
    explanation, fit and history; in the order given."""
    index = index or _index_with(profile)
    matches = {
        m.project_id: m
        for m in db.session.scalars(
            select(Match).where(
                Match.expert_id == profile.id, Match.project_id.in_([p.id for p in projects])
            )
        )
    }
    day = today()
    assessed = []
    for project in projects:
        match = matches.get(project.id)
        history = _history(match)
        reviewed = match is not None and match.status != S.SUGGESTED
        need = to_need(
            project, stored_vector(project), frozenset({profile.id}) if reviewed else frozenset()
        )
        ranked = index.explain(need, profile.id, day)
        reasons = wording.unmet_for_expert(ranked.explanation, project.languages or [], need.mode)
        reasons += _history_reason(history)
        assessed.append(
            Opportunity(
                project=project,
                score=ranked.score,
                explanation=ranked.explanation,
                fits=constraints.passes(ranked.explanation["constraints"]),
                history=history,
                match=match,
                reasons=reasons,
            )
        )
    return assessed


def _index_with(profile: ExpertProfile):
    index = current_index()
    if profile.id in index:
        return index
    # Saved a moment ago by this process, before its index heard of it.
    return index_with_expert(profile.id)


@dataclass(frozen=True)
class ExpertPage:
    """The expert's projects page. Without a profile, or without consent to matching, nothing
    is ranked (`items` is empty) and the page says what to do instead."""

    profile: ExpertProfile | None
    needs_consent: bool
    stale: bool
    items: list[Opportunity]
    page: int
    pages: int
    fitting: int
    hidden: int
    cities: list[str]
    city: str  # the one of `cities` the filter chose


def _newest_first(o: Opportunity):
    published = o.project.published_at
    return (-o.score, -(published.timestamp() if published else 0), -o.project.id)


def for_expert(user: User, filters: Filters, show_unfit: bool = False, page: int = 1) -> ExpertPage:
    """The open projects ranked for the expert `user`, best fit first, a page at a time; those
    that cannot fit them are left out, or listed after the others with the reasons when
    `show_unfit`."""
    if not permissions.is_logged_in(user) or user.role != Role.EXPERT:
        raise PermissionDenied("experts only")
    locations = _locations()
    profile = experts.own_profile(user)
    names = cities(locations)
    blank = ExpertPage(profile, False, False, [], 1, 1, 0, 0, names, _chosen(filters.city, names))
    if profile is None:
        return blank
    if not profile.consent_matching:
        return replace(blank, needs_consent=True)
    projects = list(
        db.session.scalars(_open_query(filters, locations).options(undefer(Project.text_vector)))
    )
    ranked = sorted(assess(profile, projects), key=_newest_first)
    listed = [o for o in ranked if o.listed]
    hidden = [o for o in ranked if not o.listed]
    shown = listed + hidden if show_unfit else listed
    page, pages = _pages(len(shown), PER_PAGE, page)
    return replace(
        blank,
        stale=experts.is_stale(profile),
        items=shown[(page - 1) * PER_PAGE : page * PER_PAGE],
        page=page,
        pages=pages,
        fitting=len(listed),
        hidden=len(hidden),
    )
