"""Searching the candidates: an unsaved need, ranked by the index, kept to the filters.

A search is a project that is never stored: its skills make a ``ProjectNeed`` and the index
scores every candidate for it exactly as for a published project (``Index.search``). What a
search adds are filters on the candidates' own attributes, and counts per filter value
(facets) so that the reader sees where the candidates are before narrowing further.

Who may be found is decided here as for suggestions: a candidate who withheld consent, chose
not to be listed (``Candidate.listed``) or did not confirm their profile for twelve months is
never a hit. A section the candidate hides (``Candidate.hidden``, one of ``HIDEABLE``) is not
filtered or counted on, unless the filters say the reader sees every section (admins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .inputs import CandidateId

CITY = "city"
LANGUAGES = "languages"
AVAILABILITY = "availability"  # hours a month and the date from which they are available
# The sections of a profile a candidate may hide that a search filters on.
HIDEABLE = (CITY, LANGUAGES, AVAILABILITY)


@dataclass(frozen=True)
class SearchFilters:
    """What a hit must hold besides the need's skills (an empty value filters nothing).

    ``countries``: any of them. ``city``: folded as the candidates' (case and accents), whole.
    ``modes``: every one of them. ``sectors``: any of them. ``languages``: (code, minimum
    ``cefr_rank``) pairs, each of them. ``min_hours``: hours a month at least.
    ``available_by``: available on that day (a candidate who gave no date is available).
    ``min_overlap_hours``: hours of the Moroccan working day inside the candidate's own day.
    ``in_morocco``: (first, last day): in Morocco on at least one of those days (an on-site
    window, or living there).
    ``see_hidden``: filter and count on hidden sections too.
    """

    countries: frozenset[str] = frozenset()
    city: str = ""
    modes: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    languages: tuple[tuple[str, int], ...] = ()
    min_hours: float | None = None
    available_by: date | None = None
    min_overlap_hours: float | None = None
    in_morocco: tuple[date, date] | None = None
    see_hidden: bool = False


@dataclass(frozen=True)
class Facets:
    """How many hits each filter value would give, the other filters applied.

    For a filter that keeps "any of" or "at least" (countries, sectors, hours, overlap, date),
    its own value is left out, so the reader sees the alternatives; for one that keeps "every
    one of" (modes, languages), the counts are of the hits that also hold that value.
    ``languages`` counts speakers at B2 or better; ``hours`` and ``overlap_hours`` count hits
    per whole number (of hours a month, of hours of overlap), for the reader to add up.
    """

    countries: dict[str, int] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    hours: dict[int, int] = field(default_factory=dict)
    overlap_hours: dict[int, int] = field(default_factory=dict)
    available_now: int = 0


@dataclass(frozen=True)
class SearchHits:
    """One page of hits, best first, with how many there are in all and the facets."""

    total: int
    ranked: list[tuple[CandidateId, float]]
    facets: Facets
