"""Saved searches: admins and members of verified institutions keep an expert search, with
how often they want to hear of experts who newly match it (instant, weekly, or never).

A saved search is the search page's query string, read by the same rules as the page
(`search_query.read_query`) and written back in its canonical form, so nothing odd is stored.
When it is saved, every expert it finds is recorded as already known to its owner (they have
just seen them): the alerts then tell of experts who match later, each once.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from diaspora.extensions import db
from diaspora.models import AlertFrequency, SavedSearch, SavedSearchSeen, User
from diaspora.rules import text
from diaspora.search_query import query_string
from diaspora.services import audit, expert_search, permissions
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed

MAX_PER_USER = 20  # more would be a mailing list, not a person's searches
MAX_NAME = 100
MAX_QUERY = SavedSearch.__table__.c.query_string.type.length  # what its column holds
FREQUENCIES = AlertFrequency.ALL


def _require_searcher(user: User) -> None:
    if not permissions.can_search_experts(user):
        raise PermissionDenied("saved searches are for those who may search experts")


def list_for(user: User) -> list[SavedSearch]:
    """`user`'s saved searches, by name."""
    _require_searcher(user)
    return list(
        db.session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == user.id)
            .order_by(func.lower(SavedSearch.name), SavedSearch.id)
        )
    )


def get_own(user: User, saved_id: int) -> SavedSearch:
    """One of `user`'s saved searches; NotFound for anyone else's (whose existence is not
    told)."""
    _require_searcher(user)
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != user.id:
        raise NotFound("no such saved search")
    return saved


def _checked(name: str, frequency: str) -> str:
    name = text.clean_line(name or "")
    reasons: dict[str, list[str]] = {}
    if not name:
        reasons["name"] = [_("Give the search a name.")]
    elif len(name) > MAX_NAME:
        reasons["name"] = [_("A name has at most %(n)d characters.", n=MAX_NAME)]
    if frequency not in FREQUENCIES:
        reasons["frequency"] = [_("Choose a value from the list.")]
    if reasons:
        raise ValidationFailed(reasons)
    return name


def save(
    user: User, name: str, query: expert_search.SearchQuery, frequency: str, lang: str
) -> SavedSearch:
    """Keep `query` under `name`; the experts it finds now are known to `user` already."""
    _require_searcher(user)
    name = _checked(name, frequency)
    if not query.asks_something():
        raise ValidationFailed(_("Type a skill or choose a filter before saving the search."))
    kept = query_string(query)
    if len(kept) > MAX_QUERY:
        raise ValidationFailed(
            _(
                "This search is too long to keep: ask for fewer or shorter skills, "
                "then save it again."
            )
        )
    count = db.session.scalar(select(func.count()).where(SavedSearch.user_id == user.id))
    if count >= MAX_PER_USER:
        raise ValidationFailed(
            _(
                "You already keep %(n)d searches, the most one may keep. Delete one you no "
                "longer need to save this one.",
                n=MAX_PER_USER,
            )
        )
    saved = SavedSearch(user_id=user.id, name=name, query_string=kept, frequency=frequency)
    db.session.add(saved)
    db.session.flush()
    known = expert_search.found_ids(user, query, lang)
    db.session.add_all(SavedSearchSeen(saved_search_id=saved.id, expert_id=i) for i in known)
    audit.record(user, "saved_search.created", saved, frequency=frequency)
    db.session.commit()
    return saved


def update(user: User, saved_id: int, name: str, frequency: str) -> SavedSearch:
    """Rename a saved search or change how often it alerts."""
    saved = get_own(user, saved_id)
    saved.name = _checked(name, frequency)
    if saved.frequency != frequency:
        audit.record(user, "saved_search.frequency_changed", saved, frequency=frequency)
        saved.frequency = frequency
    db.session.commit()
    return saved


def remove(user: User, saved_id: int) -> None:
    """Delete a saved search, with what its owner was told of."""
    saved = get_own(user, saved_id)
    db.session.execute(delete(SavedSearchSeen).where(SavedSearchSeen.saved_search_id == saved.id))
    audit.record(user, "saved_search.deleted", saved)
    db.session.delete(saved)
    db.session.commit()
