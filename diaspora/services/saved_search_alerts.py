"""Alerts of saved searches: experts who newly match a saved search, told of once.

"New" is against what the owner already knows of the search (`SavedSearchSeen`): the experts
it found when it was saved and those already told of. An expert whose profile changes to
match later is news then; one who stops and starts matching again is not news twice. The
search runs as its owner would run it (`expert_search.found_ids`), so experts who are hidden,
withheld consent or left their profile unconfirmed never appear, sections they keep from
institutions are not filtered on, and an owner who may no longer search (left their
institution, which lost its verification) gets nothing.

Instant searches are checked after a profile changes (`rescoring.rescore_expert`) and after
an import (`rescoring.rescore_all`): one email per saved search, however many experts came
in. Weekly ones feed the digest (`digest`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from diaspora.extensions import db
from diaspora.models import AlertFrequency, ExpertProfile, SavedSearch, SavedSearchSeen, User
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.search_query import read_query
from diaspora.services import audit, expert_search, permissions, unsubscribe

SHOWN = 10  # experts listed in one email; the search's link shows the rest


@dataclass(frozen=True)
class ExpertLink:
    """What an alert shows of an expert: what a search result shows first."""

    name: str
    headline: str
    country: str
    url: str


@dataclass(frozen=True)
class NewExperts:
    """Experts new to a saved search: the first SHOWN of them (best first), and how many."""

    saved: SavedSearch
    shown: list[ExpertLink]
    total: int
    search_url: str

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def can_hear(user: User) -> bool:
    """Whether `user` may be emailed about searches: they may search and read their email."""
    return bool(
        user.active and user.email_verified_at is not None and permissions.can_search_experts(user)
    )


def _query(saved: SavedSearch) -> expert_search.SearchQuery:
    return read_query(MultiDict(parse_qsl(saved.query_string, keep_blank_values=False)))[0]


def new_experts(saved: SavedSearch, among: Collection[int] | None = None) -> NewExperts | None:
    """The experts `saved` finds that its owner was not told of (only those of `among` when
    given), recorded as told of in the caller's transaction; None when there are none."""
    owner = saved.user
    if not can_hear(owner):
        return None
    # With `among` (a profile save), only those experts are checked against the search, and
    # what the owner knows is read only of those it finds: no full search on the hot path.
    found = expert_search.found_ids(owner, _query(saved), owner.locale, among)
    if not found:
        return None
    told = select(SavedSearchSeen.expert_id).where(SavedSearchSeen.saved_search_id == saved.id)
    if among is not None:
        told = told.where(SavedSearchSeen.expert_id.in_(found))
    seen = set(db.session.scalars(told))
    found = [expert_id for expert_id in found if expert_id not in seen]
    if not found:
        return None
    db.session.add_all(SavedSearchSeen(saved_search_id=saved.id, expert_id=i) for i in found)
    profiles = {
        p.id: p
        for p in db.session.scalars(
            select(ExpertProfile)
            .where(ExpertProfile.id.in_(found[:SHOWN]))
            .options(joinedload(ExpertProfile.user))
        )
    }
    return NewExperts(
        saved=saved,
        shown=[
            ExpertLink(
                name=p.user.full_name or p.ref,
                headline=p.headline or "",
                country=p.country,
                url=external_url("experts.show", ref=p.ref),
            )
            for p in (profiles[i] for i in found[:SHOWN] if i in profiles)
        ],
        total=len(found),
        search_url=external_url("search.experts") + "?" + saved.query_string,
    )


def alert_instant(expert_ids: Collection[int] | None = None) -> int:
    """Email the owners of instant saved searches the experts newly matching them (only
    `expert_ids`, the profiles that just changed, when given); returns the emails written."""
    searches = db.session.scalars(
        select(SavedSearch)
        .where(SavedSearch.frequency == AlertFrequency.INSTANT)
        .options(joinedload(SavedSearch.user))
        .order_by(SavedSearch.id)
    ).all()
    among = set(expert_ids) if expert_ids is not None else None
    sent = 0
    for saved in searches:
        news = new_experts(saved, among)
        if news is None:
            continue
        owner = saved.user
        enqueue(
            "saved_search_alert",
            owner.email,
            owner.locale,
            user=owner,
            unsubscribe_url=unsubscribe.url(owner, unsubscribe.saved_search_topic(saved.id)),
            news=news,
            settings_url=external_url("search.saved"),
        )
        audit.record(None, "saved_search.alert_sent", saved, experts=news.total)
        sent += 1
    db.session.commit()
    return sent
