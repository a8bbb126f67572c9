"""The candidate index: every expert as arrays, ranked for a project in one vectorised pass.

Build it once from all candidates (``Index.build``), then ``rank`` a project: hard constraints,
factors and the weighted score are computed for all candidates with numpy; only the top-k get a
per-pair explanation. ``search`` ranks an unsaved need the same way, kept to filters on the
candidates' attributes, with counts per filter value (see ``matching.search``).

Incremental updates: ``update_candidate`` / ``remove_candidate`` change one expert by writing
only that expert's entries, so that processes forked from the one that built the index keep
sharing the rest of its memory (copy-on-write). The per-expert arrays have spare rows at the end
for new experts. The skill matrix is laid out by column (the experts holding each skill) with a
few free slots after each column and free space at the end: a changed expert's entries are
taken out of their columns and the new ones written into the free slots, and a column that
fills up moves to the free space at the end; only when that is used up is the matrix laid out
again (a copy). Ranking reads the columns the same way whatever changed. Skill rarity counts
follow. The learnt co-occurrence model is kept from the last full build: one profile barely
moves it, and a periodic full ``Index.build`` (e.g. nightly, or with every batch recompute)
refreshes it. Skill keys first seen in an update get hierarchy and semantic relatedness at once,
co-occurrence at the next build.
The index is not safe for concurrent updates while ranking; give each worker its own.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date

import numpy as np
import scipy.sparse as sp

from . import constraints, factors, search
from .explain import explanation
from .inputs import (
    Candidate,
    CandidateId,
    Exposure,
    OnSiteWindow,
    ProjectNeed,
    RankedCandidate,
    SkillSpace,
    Weights,
    cefr_rank,
)
from .relatedness import Relatedness
from .scoring import ScoringContext, score_pair
from .search import Facets, SearchFilters, SearchHits

Progress = Callable[[int, int], None]


def _project_keys(project: ProjectNeed) -> set[str]:
    return {key for key, _ in (*project.required, *project.nice)}


def _spare(n: int) -> int:
    """Room for the candidates added after a build of ``n``, so that adding one copies
    nothing."""
    return max(64, n // 100)


def _with_text(candidate: Candidate, vector: np.ndarray | None) -> Candidate:
    """``candidate`` holding another text vector: a shallow copy, made once per expert at
    build, so made directly (``copy.copy`` takes four times as long, ``dataclasses.replace``,
    which checks every skill level again, more than ten)."""
    kept = object.__new__(type(candidate))
    kept.__dict__.update(candidate.__dict__, text_vector=vector)
    return kept


class Index:
    """All candidates, ready to be ranked for any project. Build with ``Index.build``."""

    def __init__(
        self,
        candidates: list[Candidate],
        skills: sp.csr_matrix,
        relatedness: Relatedness,
        project_df: np.ndarray,
        n_projects: int,
        weights: Weights,
        exposure: Exposure,
    ) -> None:
        self.weights = weights
        self.exposure = exposure
        self.relatedness = relatedness
        self._project_df = project_df
        self._n_projects = n_projects
        self._candidates: list[Candidate] = []
        self._position: dict[CandidateId, int] = {}
        self._overlap_cache: dict[date, tuple[np.ndarray, np.ndarray]] = {}
        # What the per-pair definition of the score needs (explanations, checks, benchmark).
        self.context = ScoringContext(weights, exposure, relatedness.related, self.skill_weight)
        self._init_arrays(len(candidates) + _spare(len(candidates)))
        for pos, candidate in enumerate(candidates):
            self._set_row(pos, candidate)
        self._level_table = factors.level_table()
        csc = skills.tocsc()  # rows ascending in each column
        self._lay_out(csc.indptr[:-1], np.diff(csc.indptr), csc.indices, csc.data)
        self._refresh_rarity()

    # ----------------------------------------------------------------------------- building

    @classmethod
    def build(
        cls,
        candidates: Iterable[Candidate],
        *,
        projects: Iterable[ProjectNeed] = (),
        skill_space: SkillSpace | None = None,
        weights: Weights | None = None,
        exposure: Exposure | None = None,
    ) -> Index:
        """Index all candidates and learn skill relatedness from them and the given projects.

        ``projects`` (open and past) only feed the co-occurrence model and skill rarity; they
        are not stored. ``skill_space`` gives hierarchy paths and label vectors per skill key.
        """
        candidates = list(candidates)
        projects = list(projects)
        space = skill_space or SkillSpace()
        ids = [c.id for c in candidates]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique")
        keys = sorted(
            {k for c in candidates for k, _ in c.skills}
            | {k for p in projects for k in _project_keys(p)}
        )
        position = {k: i for i, k in enumerate(keys)}
        # One row per candidate (the skill levels), then one per project (the keys it asks
        # for), in typed arrays: a list of Python ints would weigh nine times as much.
        indptr, indices, levels = array("q", [0]), array("i"), array("b")
        for c in candidates:
            held = c.skill_levels()
            indices.extend(map(position.__getitem__, held))
            levels.extend(held.values())
            indptr.append(len(indices))
        for p in projects:
            indices.extend(map(position.__getitem__, _project_keys(p)))
            indptr.append(len(indices))
        indptr, indices = np.frombuffer(indptr, np.int64), np.frombuffer(indices, np.int32)
        n = len(candidates)
        skills = sp.csr_matrix(
            (np.frombuffer(levels, np.int8), indices[: indptr[n]], indptr[: n + 1]),
            shape=(n, len(keys)),
        )
        doc_matrix = sp.csr_matrix(
            (np.ones(indices.size, dtype=np.float32), indices.copy(), indptr),
            shape=(len(indptr) - 1, len(keys)),
        )
        doc_matrix.sort_indices()
        project_df = np.asarray(doc_matrix[n:].sum(axis=0)).ravel()
        relatedness = Relatedness.learn(keys, doc_matrix, space)
        relatedness.warm()
        return cls(
            candidates,
            skills,
            relatedness,
            project_df,
            len(projects),
            weights or Weights(),
            exposure or Exposure(),
        )

    def _init_arrays(self, n: int) -> None:
        self._alive = np.zeros(n, dtype=bool)
        self._consent = np.zeros(n, dtype=bool)
        self._confirmed = np.full(n, -1, dtype=np.int64)  # date ordinal, -1 = never
        self._modes = np.zeros(n, dtype=np.uint8)
        self._sector_bits = np.zeros(n, dtype=np.int64)
        self._hours = np.full(n, np.nan)
        self._committed = np.zeros(n)
        # The on-site windows of the few candidates who declare some, by position, and as flat
        # arrays (built when first needed after a change).
        self._windows: dict[int, tuple[OnSiteWindow, ...]] = {}
        self._window_arrays: tuple[np.ndarray, ...] | None = None
        self._fixed_offset = np.full(n, np.nan)
        self._tz_code = np.full(n, -1, dtype=np.int32)
        self._pending = np.zeros(n, dtype=np.int64)
        # Per language code, each candidate's level (`cefr_rank`; -1: not spoken).
        self._languages: dict[str, np.ndarray] = {}
        # What searches filter on (see matching.search); codes index the dicts' keys.
        self._listed = np.zeros(n, dtype=bool)
        self._hidden = np.zeros(n, dtype=np.uint8)  # bit i: search.HIDEABLE[i] is hidden
        self._available = np.full(n, -1, dtype=np.int64)  # date ordinal, -1 = no date given
        self._country_code = np.full(n, -1, dtype=np.int32)
        self._countries: dict[str, int] = {}
        self._city_code = np.full(n, -1, dtype=np.int32)
        self._cities: dict[str, int] = {}
        self._sectors: dict[str, int] = {}
        self._tz_names: dict[str, int] = {}
        self._text: np.ndarray | None = None
        self._has_text = np.zeros(n, dtype=bool)

    def _grow(self) -> None:
        """Make room for more candidates once the spare room is used up (a copy, so rare)."""
        extra = _spare(self._alive.size)

        def pad(a: np.ndarray, fill: object) -> np.ndarray:
            return np.concatenate([a, np.full((extra, *a.shape[1:]), fill, dtype=a.dtype)])

        self._alive, self._consent = pad(self._alive, False), pad(self._consent, False)
        self._confirmed, self._modes = pad(self._confirmed, -1), pad(self._modes, 0)
        self._sector_bits, self._hours = pad(self._sector_bits, 0), pad(self._hours, np.nan)
        self._committed = pad(self._committed, 0.0)
        self._fixed_offset, self._tz_code = pad(self._fixed_offset, np.nan), pad(self._tz_code, -1)
        self._pending, self._has_text = pad(self._pending, 0), pad(self._has_text, False)
        self._languages = {code: pad(a, -1) for code, a in self._languages.items()}
        self._listed, self._hidden = pad(self._listed, False), pad(self._hidden, 0)
        self._available = pad(self._available, -1)
        self._country_code, self._city_code = pad(self._country_code, -1), pad(self._city_code, -1)
        if self._text is not None:
            self._text = pad(self._text, 0.0)

    def _set_row(self, pos: int, c: Candidate) -> None:
        """Write one candidate's scalar attributes into the arrays at ``pos``."""
        # The text vector is kept once, in the matrix (`_candidate_at` gives it back).
        kept = c if c.text_vector is None else _with_text(c, None)
        if pos == len(self._candidates):
            self._candidates.append(kept)
        else:
            self._candidates[pos] = kept
        self._position[c.id] = pos
        n = self._alive.size
        self._alive[pos] = True
        self._consent[pos] = bool(c.consent)
        self._confirmed[pos] = c.confirmed_at.toordinal() if c.confirmed_at else -1
        self._modes[pos] = constraints.mode_bits(c.modes)
        bits = 0
        for s in c.sectors:
            bits |= 1 << self._sectors.setdefault(s, len(self._sectors))
        if len(self._sectors) > 62:
            raise ValueError("too many distinct sectors for the sector bit set")
        self._sector_bits[pos] = bits
        self._hours[pos] = np.nan if c.hours_per_month is None else float(c.hours_per_month)
        self._committed[pos] = float(c.committed_hours)
        if c.on_site or pos in self._windows:
            if c.on_site:
                self._windows[pos] = c.on_site
            else:
                del self._windows[pos]
            self._window_arrays = None
        self._fixed_offset[pos] = np.nan if c.utc_offset_hours is None else c.utc_offset_hours
        self._tz_code[pos] = (
            self._tz_names.setdefault(c.timezone, len(self._tz_names)) if c.timezone else -1
        )
        self._overlap_cache.clear()
        self._pending[pos] = int(c.pending_invitations)
        for spoken in self._languages.values():
            spoken[pos] = -1
        for code, level in c.languages.items():
            spoken = self._languages.get(code.lower())
            if spoken is None:  # not setdefault: that would fill a new array per candidate
                spoken = self._languages[code.lower()] = np.full(n, -1, dtype=np.int8)
            spoken[pos] = max(int(spoken[pos]), cefr_rank(level))
        self._listed[pos] = bool(c.listed)
        hidden = (1 << i for i, name in enumerate(search.HIDEABLE) if name in c.hidden)
        self._hidden[pos] = sum(hidden)
        self._available[pos] = c.available_from.toordinal() if c.available_from else -1
        self._country_code[pos] = self._code(self._countries, c.country)
        self._city_code[pos] = self._code(self._cities, c.city)
        self._has_text[pos] = c.text_vector is not None
        if c.text_vector is not None:
            vec = np.asarray(c.text_vector, dtype=np.float32)
            if self._text is None:
                self._text = np.zeros((n, vec.size), dtype=np.float32)
            if vec.shape != self._text.shape[1:]:
                raise ValueError("all text vectors must have the same dimension")
            self._text[pos] = vec
        elif self._text is not None:
            self._text[pos] = 0.0

    @staticmethod
    def _code(codes: dict[str, int], value: str) -> int:
        """The number standing for `value` in an array of codes (-1 for an empty value)."""
        return codes.setdefault(value, len(codes)) if value else -1

    def _lay_out(
        self, start: np.ndarray, used: np.ndarray, rows: np.ndarray, levels: np.ndarray
    ) -> None:
        """Lay the skill matrix out by column, from column ``j``'s ``used[j]`` entries at
        ``start[j]`` in ``rows`` (candidate positions) and ``levels``: each column followed by
        free slots, and free space at the end for the columns that outgrow theirs."""
        room = (used + used // 16 + 2).astype(np.int64)
        self._col_start = np.cumsum(room) - room
        self._col_used, self._col_room = used.astype(np.int64), room
        self._free = int(room.sum())  # where the free space at the end begins
        size = self._free + self._free // 16 + 1024
        # Where each entry goes: its column's new start plus its rank in the column.
        rank = np.arange(used.sum()) - np.repeat(np.cumsum(used) - used, used)
        source = np.repeat(start, used) + rank
        target = np.repeat(self._col_start, used) + rank
        self._col_rows = np.zeros(size, dtype=np.int32)
        self._col_levels = np.zeros(size, dtype=np.int8)
        self._col_rows[target], self._col_levels[target] = rows[source], levels[source]

    def _refresh_rarity(self) -> None:
        """Re-derive skill rarity from the counts, after any change."""
        df = self._col_used.astype(np.float64)  # candidates holding each key
        df[: self._project_df.size] += self._project_df
        docs = int(self._alive.sum()) + self._n_projects
        # Smoothed inverse document frequency: a skill that everyone lists says little about
        # fit, a rare one says a lot. Keys never seen get the highest weight.
        self._idf = 1.0 + np.log((docs + 1.0) / (df + 1.0))
        self._idf_default = 1.0 + np.log(docs + 1.0)

    def _forget_skills(self, pos: int) -> None:
        """Take an indexed candidate's entries out of their columns (the column's last entry
        takes the place of each)."""
        for key in self._candidates[pos].skill_levels():
            j = self.relatedness.position[key]
            start, used = self._col_start[j], self._col_used[j]
            at = start + np.flatnonzero(self._col_rows[start : start + used] == pos)[0]
            last = start + used - 1
            self._col_rows[at], self._col_levels[at] = self._col_rows[last], self._col_levels[last]
            self._col_used[j] -= 1

    def _add_skills(self, pos: int, candidate: Candidate) -> None:
        """Write a candidate's entries into the free slots of their columns."""
        new = len(self.relatedness.position) - self._col_used.size
        if new:  # keys first seen in this update: empty columns, with no slot yet
            none = np.zeros(new, dtype=np.int64)
            self._col_start = np.concatenate([self._col_start, none])
            self._col_used = np.concatenate([self._col_used, none])
            self._col_room = np.concatenate([self._col_room, none])
        for key, level in candidate.skill_levels().items():
            j = self.relatedness.position[key]
            if self._col_used[j] == self._col_room[j]:
                self._make_room(j)
            at = self._col_start[j] + self._col_used[j]
            self._col_rows[at], self._col_levels[at] = pos, level
            self._col_used[j] += 1

    def _make_room(self, j: int) -> None:
        """Move a full column to the free space at the end, with room to double; lay every
        column out again when that space is used up (a copy, so rare)."""
        start, used = self._col_start[j], self._col_used[j]
        room = 2 * used + 4
        if self._free + room > self._col_rows.size:
            self._lay_out(self._col_start, self._col_used, self._col_rows, self._col_levels)
            return
        moved = slice(self._free, self._free + used)
        self._col_rows[moved] = self._col_rows[start : start + used]
        self._col_levels[moved] = self._col_levels[start : start + used]
        self._col_start[j], self._col_room[j] = self._free, room
        self._free += room

    # ----------------------------------------------------------------------------- updates

    def update_candidate(self, candidate: Candidate) -> None:
        """Insert or replace one candidate (see the module docstring for what is recomputed)."""
        self.update_candidates([candidate])

    def update_candidates(self, candidates: Iterable[Candidate]) -> None:
        """Insert or replace several candidates (thousands take a second or two)."""
        for candidate in candidates:
            self.relatedness.add_keys(sorted({k for k, _ in candidate.skills}))
            pos = self._position.get(candidate.id)
            if pos is None:
                pos = len(self._candidates)
                if pos == self._alive.size:
                    self._grow()
            elif self._alive[pos]:
                self._forget_skills(pos)
            self._set_row(pos, candidate)
            self._add_skills(pos, candidate)
        self._refresh_rarity()

    def remove_candidate(self, candidate_id: CandidateId) -> None:
        """Stop suggesting a candidate (erasure, withdrawal); unknown ids are ignored."""
        pos = self._position.get(candidate_id)
        if pos is None or not self._alive[pos]:
            return
        self._forget_skills(pos)
        self._alive[pos] = False
        self._refresh_rarity()

    # ----------------------------------------------------------------------------- queries

    def __len__(self) -> int:
        return int(self._alive.sum())

    def __contains__(self, candidate_id: object) -> bool:
        pos = self._position.get(candidate_id)  # type: ignore[arg-type]
        return pos is not None and bool(self._alive[pos])

    def candidate(self, candidate_id: CandidateId) -> Candidate:
        """The indexed candidate with this id (KeyError if absent or removed)."""
        pos = self._position[candidate_id]
        if not self._alive[pos]:
            raise KeyError(candidate_id)
        return self._candidate_at(pos)

    def _candidate_at(self, pos: int) -> Candidate:
        candidate = self._candidates[pos]
        if self._has_text[pos]:
            return _with_text(candidate, self._text[pos])
        return candidate

    def position(self, candidate_id: CandidateId) -> int:
        """Row of a candidate in the arrays returned by ``scores``."""
        return self._position[candidate_id]

    def skill_weight(self, key: str) -> float:
        """Rarity weight of a skill key (smoothed IDF over experts and projects)."""
        i = self.relatedness.position.get(key)
        return float(self._idf[i]) if i is not None and i < self._idf.size else self._idf_default

    def explain(
        self, project: ProjectNeed, candidate_id: CandidateId, today: date
    ) -> RankedCandidate:
        """Score and explain any candidate for a project, e.g. one an admin adds by hand.

        Hard constraints are reported in the explanation, not applied.
        """
        candidate = self.candidate(candidate_id)
        pair = score_pair(candidate, project, self.context, today)
        return RankedCandidate(
            candidate_id=candidate_id,
            ref=candidate.ref,
            score=pair.score,
            factors=pair.values,
            explanation=explanation(pair, self.context),
        )

    # ----------------------------------------------------------------------------- ranking

    def constraint_masks(self, project: ProjectNeed, today: date) -> dict[str, np.ndarray]:
        """Per hard constraint, which indexed positions pass it (removed candidates never do)."""
        n = self._alive.size
        cutoff = constraints.confirmation_cutoff(today).toordinal()
        language = np.ones(n, dtype=bool)
        if project.languages:
            language = np.zeros(n, dtype=bool)
            for code in project.languages:
                spoken = self._languages.get(code.lower())
                if spoken is not None:
                    language |= spoken >= constraints.MIN_LANGUAGE_RANK
        need = constraints.needed_mode_bits(project.mode)
        not_excluded = np.ones(n, dtype=bool)
        for candidate_id in project.excluded:
            pos = self._position.get(candidate_id)
            if pos is not None:
                not_excluded[pos] = False
        capacity = np.ones(n, dtype=bool)
        if project.hours_per_month and project.hours_per_month > 0:
            floor = project.hours_per_month * (1.0 - max(0.0, project.hours_margin)) - 1e-9
            # NaN (hours unknown) compares False: those candidates are not held back.
            capacity = ~(self._remaining() < floor)
        start_date = np.ones(n, dtype=bool)
        if project.starts_on is not None and not project.flexible_start:
            start_date = self._available <= project.starts_on.toordinal()  # -1: no date given
        return {
            "consent": self._consent & self._alive,
            "recently_confirmed": self._confirmed >= cutoff,
            "language": language,
            "mode": (self._modes & need) == need,
            "capacity": capacity,
            "start_date": start_date,
            "not_excluded": not_excluded,
        }

    def _remaining(self) -> np.ndarray:
        """Every candidate's monthly hours not yet committed (NaN where unknown)."""
        return np.clip(self._hours - self._committed, 0.0, None)

    def _window_table(self) -> tuple[np.ndarray, ...]:
        """Every declared on-site window as arrays: owner position, first and last day
        (ordinals), latitude and longitude (NaN when unknown)."""
        if self._window_arrays is None:
            rows = [
                (pos, w.start.toordinal(), w.end.toordinal(), w.latitude, w.longitude)
                for pos, windows in self._windows.items()
                for w in windows
            ]
            owner, start, end, lat, lon = zip(*rows, strict=True) if rows else ((),) * 5
            self._window_arrays = (
                np.array(owner, dtype=np.int64),
                np.array(start, dtype=np.int64),
                np.array(end, dtype=np.int64),
                np.array([np.nan if v is None else v for v in lat], dtype=np.float64),
                np.array([np.nan if v is None else v for v in lon], dtype=np.float64),
            )
        return self._window_arrays

    def _presence(self, project: ProjectNeed, period: tuple[int, int]) -> np.ndarray:
        """Every candidate's on-site factor for a project (see ``factors.presence``)."""
        owner, start, end, lat, lon = self._window_table()
        overlap = np.clip(np.minimum(end, period[1]) - np.maximum(start, period[0]) + 1, 0, None)
        km = np.full(owner.size, np.nan)
        if project.latitude is not None and project.longitude is not None:
            km = factors.distance_km(lat, lon, project.latitude, project.longitude)
        earned = np.bincount(
            owner, weights=overlap * factors.proximity(km), minlength=self._alive.size
        )
        return np.minimum(1.0, earned / factors.needed_days(period))

    def qualified_mask(self, project: ProjectNeed, today: date) -> np.ndarray:
        """Which positions pass every hard constraint for ``project`` but the pair's history
        (``not_excluded``): the experts who could be suggested for it at all (the baseline
        of fairness figures). Aligned with ``position``."""
        keep = self._alive.copy()
        for name, mask in self.constraint_masks(project, today).items():
            if name != "not_excluded":
                keep &= mask
        return keep

    def filter_counts(self, project: ProjectNeed, today: date) -> dict[str, int]:
        """How many candidates remain after each hard constraint in turn (for admin views)."""
        remaining = self._alive.copy()
        counts = {"indexed": int(remaining.sum())}
        for name, mask in self.constraint_masks(project, today).items():
            remaining &= mask
            counts[name] = int(remaining.sum())
        return counts

    def _coverage(self, needs: tuple[tuple[str, int], ...]) -> np.ndarray | None:
        """Weighted skill coverage of every candidate (see ``scoring.coverage``)."""
        if not needs:
            return None
        n = self._alive.size
        total = np.zeros(n)
        weight_sum = 0.0
        for key, min_level in needs:
            weight = self.skill_weight(key)
            weight_sum += weight
            by_level = self._level_table[min_level]
            # Noisy-or of the related skills' evidence: sum log(1 - credit) per candidate over
            # the neighbours' columns in one bincount, then 1 - exp(sum).
            rows_parts, logs_parts = [], []
            nb = self.relatedness.neighbours(key)
            for j, related_credit in zip(nb.index.tolist(), nb.credit.tolist(), strict=True):
                rows, levels = self._column(j)
                rows_parts.append(rows)
                logs_parts.append(np.log1p(-related_credit * by_level[levels]))
            log_missing = np.bincount(
                np.concatenate([np.empty(0, np.int32), *rows_parts]),
                weights=np.concatenate([np.empty(0), *logs_parts]),
                minlength=n,
            )
            total -= weight * np.expm1(log_missing)
            exact = self.relatedness.position.get(key)
            if exact is not None:
                rows, levels = self._column(exact)
                related = -np.expm1(log_missing[rows])
                total[rows] += weight * np.maximum(0.0, by_level[levels] - related)
        return total / weight_sum

    def _column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the candidates holding skill ``j`` (each once) and their levels."""
        start = self._col_start[j]
        end = start + self._col_used[j]
        return self._col_rows[start:end], self._col_levels[start:end]

    def _overlap(self, today: date) -> tuple[np.ndarray, np.ndarray]:
        """Every candidate's working-hours overlap with Morocco on ``today``, and where known.

        Offsets depend on the day (summer time), so the arrays are cached for one day.
        """
        cached = self._overlap_cache.get(today)
        if cached is None:
            by_name = np.array(
                [
                    np.nan if (o := factors.utc_offset_hours(name, today)) is None else o
                    for name in self._tz_names
                ]
                + [np.nan]
            )
            named = by_name[self._tz_code]  # code -1 picks the trailing NaN
            offsets = np.where(np.isnan(named), self._fixed_offset, named)
            morocco = factors.utc_offset_hours(factors.MOROCCO_TZ, today) or 0.0
            overlap = factors.overlap_fraction(np.nan_to_num(offsets), morocco)
            cached = (overlap, ~np.isnan(offsets))
            self._overlap_cache = {today: cached}
        return cached

    def scores(self, project: ProjectNeed, today: date, top_k: int | None = None) -> np.ndarray:
        """Score of every indexed position; -inf where a hard constraint fails.

        With ``top_k``, the text factor (the one dense dot product) is computed only for the
        candidates that can still reach the top k: the others keep a lower bound of their score.
        """
        eligible = self._alive.copy()
        for mask in self.constraint_masks(project, today).values():
            eligible &= mask
        return self._scored(project, today, eligible, top_k)[0]

    def _scored(
        self, project: ProjectNeed, today: date, eligible: np.ndarray, top_k: int | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """`scores` for the `eligible` positions, and every position's required-skill
        coverage (None when the project requires no skill)."""
        w = self.weights
        n = self._alive.size
        num, den = np.zeros(n), np.zeros(n)

        def add(weight: float, values: np.ndarray | float, known: np.ndarray | None = None) -> None:
            nonlocal num, den
            if weight <= 0:
                return
            if known is None:
                num += weight * values
                den += weight
            else:
                num += weight * np.where(known, values, 0.0)
                den += weight * known

        required = self._coverage(project.required)
        if required is not None and w.required_skills > 0:
            add(w.required_skills, required)
        if w.nice_skills > 0 and (nice := self._coverage(project.nice)) is not None:
            add(w.nice_skills, nice)
        if project.sector:
            bit = self._sectors.get(project.sector)
            hit = (self._sector_bits >> bit) & 1 if bit is not None else np.zeros(n, np.int64)
            add(w.sector, hit.astype(np.float64), self._sector_bits != 0)
        if project.hours_per_month and project.hours_per_month > 0:
            known = ~np.isnan(self._hours)
            remaining = np.nan_to_num(self._remaining())
            hours = factors.hours_factors(remaining, project.hours_per_month, project.hours_margin)
            add(w.hours, hours, known)
        if project.mode in factors.REMOTE_MODES:
            overlap, known = self._overlap(today)
            add(w.timezone, overlap, known)
        else:
            add(w.timezone, 1.0)
        if (period := factors.on_site_period(project)) is not None:
            add(w.onsite, self._presence(project, period))
        text_on = project.text_vector is not None and self._text is not None and w.text > 0
        if text_on:
            den += w.text * self._has_text
        safe = np.where(den > 0, den, 1.0)
        multiplier = 1.0 / (
            1.0 + self.exposure.alpha * np.maximum(0, self._pending - self.exposure.allowance)
        )
        score = np.where(den > 0, num / safe, 0.0) * multiplier
        if text_on:
            todo = eligible & self._has_text
            if top_k is not None and eligible.sum() > top_k:
                upper = np.where(den > 0, (num + w.text * self._has_text) / safe, 0.0) * multiplier
                floor = np.partition(score[eligible], -top_k)[-top_k]
                todo &= upper >= floor
            idx = np.flatnonzero(todo)
            vec = np.asarray(project.text_vector, dtype=np.float32)
            cosine = np.clip(self._text[idx] @ vec, 0.0, 1.0)
            score[idx] = (num[idx] + w.text * cosine) / safe[idx] * multiplier[idx]
        # Rounding can push a weighted mean of [0, 1] values a hair past 1.
        return np.where(eligible, np.clip(score, 0.0, 1.0), -np.inf), required

    # ----------------------------------------------------------------------------- search

    def search(
        self,
        need: ProjectNeed,
        filters: SearchFilters,
        today: date,
        offset: int = 0,
        limit: int = 20,
    ) -> SearchHits:
        """The candidates that meet some of the need's required skills (exactly or through
        related ones: every one when it requires none) and pass the filters, ranked by their
        score for the need, best first (equal scores in index order); ``limit`` of them from
        ``offset``, with the total and the facets (see ``matching.search``).

        Consent, a listed profile and a confirmation in the last twelve months are required;
        the need's languages, mode and exclusions are not (the filters say what is wanted).
        """
        found = self._findable(today)
        score, coverage = self._scored(need, today, found, None)
        if coverage is not None:
            found &= coverage > 0
        masks = self._filter_masks(filters, today)
        hits = found.copy()
        for mask in masks.values():
            hits &= mask
        positions = np.flatnonzero(hits)
        order = np.lexsort((positions, -score[positions]))
        page = positions[order[max(offset, 0) : max(offset, 0) + max(limit, 0)]]
        return SearchHits(
            total=int(positions.size),
            ranked=[(self._candidates[p].id, float(score[p])) for p in page.tolist()],
            facets=self._facets(found, masks, filters, today),
        )

    def found_among(
        self,
        need: ProjectNeed,
        filters: SearchFilters,
        today: date,
        candidate_ids: Collection[CandidateId],
    ) -> list[CandidateId]:
        """Those of ``candidate_ids`` that ``search`` finds for the need and filters (in the
        order given), without scoring, ranking or counting everyone: a saved search checked
        against the profiles that just changed."""
        ids = [c for c in candidate_ids if c in self]
        if not ids:
            return []
        at = np.array([self._position[c] for c in ids])
        kept = self._findable(today)[at]
        if (coverage := self._coverage(need.required)) is not None:
            kept &= coverage[at] > 0
        for mask in self._filter_masks(filters, today).values():
            kept &= mask[at]
        return [c for c, keep in zip(ids, kept.tolist(), strict=True) if keep]

    def _findable(self, today: date) -> np.ndarray:
        """Who a search may find: consenting, listed, confirmed in the last twelve months."""
        cutoff = constraints.confirmation_cutoff(today).toordinal()
        return self._alive & self._consent & self._listed & (self._confirmed >= cutoff)

    def _shown(self, section: str, filters: SearchFilters) -> np.ndarray | bool:
        """Where a search may read `section`: everywhere, or where it is not hidden."""
        if filters.see_hidden:
            return True
        return (self._hidden & (1 << search.HIDEABLE.index(section))) == 0

    def _filter_masks(self, filters: SearchFilters, today: date) -> dict[str, np.ndarray]:
        """Per filter that is set, the positions that pass it."""
        masks: dict[str, np.ndarray] = {}
        if filters.countries:
            codes = [self._countries[c] for c in filters.countries if c in self._countries]
            masks["countries"] = np.isin(self._country_code, codes)
        if filters.city:
            code = self._cities.get(filters.city, -2)  # -2: no candidate's code
            masks["city"] = (self._city_code == code) & self._shown(search.CITY, filters)
        if filters.modes:
            need = constraints.mode_bits(filters.modes)
            masks["modes"] = (self._modes & need) == need
        if filters.sectors:
            bits = sum(1 << self._sectors[s] for s in filters.sectors if s in self._sectors)
            masks["sectors"] = (self._sector_bits & bits) != 0
        if filters.languages:
            spoken = self._shown(search.LANGUAGES, filters) & self._alive
            for code, minimum in filters.languages:
                levels = self._languages.get(code.lower())
                spoken = spoken & (levels >= minimum if levels is not None else False)
            masks["languages"] = spoken
        if filters.min_hours is not None:
            hours = np.nan_to_num(self._hours) >= filters.min_hours
            masks["hours"] = hours & self._shown(search.AVAILABILITY, filters)
        if filters.available_by is not None:
            available = self._available <= filters.available_by.toordinal()
            masks["available"] = available & self._shown(search.AVAILABILITY, filters)
        if filters.min_overlap_hours is not None:
            hours, known = self._overlap_hours(today)
            masks["overlap"] = known & (hours >= filters.min_overlap_hours - 1e-9)
        if filters.in_morocco is not None:
            owner, start, end, _lat, _lon = self._window_table()
            first, last = (day.toordinal() for day in filters.in_morocco)
            there = np.zeros(self._alive.size, dtype=bool)
            there[owner[(start <= last) & (end >= first)]] = True
            masks["in_morocco"] = there & self._shown(search.AVAILABILITY, filters)
        return masks

    def _overlap_hours(self, today: date) -> tuple[np.ndarray, np.ndarray]:
        """Hours of the Moroccan working day inside each candidate's day, and where known."""
        overlap, known = self._overlap(today)
        return overlap * (factors.MOROCCO_DAY[1] - factors.MOROCCO_DAY[0]), known

    def _facets(
        self,
        found: np.ndarray,
        masks: dict[str, np.ndarray],
        filters: SearchFilters,
        today: date,
    ) -> Facets:
        """Counts per filter value among `found` (see ``search.Facets``)."""

        def hits_without(name: str | None) -> np.ndarray:
            kept = found.copy()
            for other, mask in masks.items():
                if other != name:
                    kept &= mask
            return kept

        every = hits_without(None)
        by_country = hits_without("countries") & (self._country_code >= 0)
        country_counts = np.bincount(self._country_code[by_country], minlength=len(self._countries))
        by_sector = self._sector_bits[hits_without("sectors")]
        spoken = every & self._shown(search.LANGUAGES, filters)
        available = self._shown(search.AVAILABILITY, filters)
        hours = np.nan_to_num(self._hours[hits_without("hours") & available])
        overlap, known = self._overlap_hours(today)
        by_overlap = hits_without("overlap") & known
        dated = self._available[hits_without("available") & available]

        def per_value(values: np.ndarray) -> dict[int, int]:
            whole = np.floor(values + 1e-9).astype(np.int64)
            numbers, counts = np.unique(whole, return_counts=True)
            return dict(zip(numbers.tolist(), counts.tolist(), strict=True))

        return Facets(
            countries={
                name: int(country_counts[code])
                for name, code in self._countries.items()
                if country_counts[code]
            },
            modes={
                mode: int(((self._modes[every] & bit) != 0).sum())
                for mode, bit in constraints.MODE_BITS.items()
            },
            sectors={
                sector: int(((by_sector >> bit) & 1).sum()) for sector, bit in self._sectors.items()
            },
            languages={
                code: int((levels[spoken] >= constraints.MIN_LANGUAGE_RANK).sum())
                for code, levels in self._languages.items()
            },
            hours=per_value(hours[hours > 0]),
            overlap_hours=per_value(overlap[by_overlap]),
            available_now=int((dated <= today.toordinal()).sum()),
        )

    def rank(self, project: ProjectNeed, top_k: int = 10, *, today: date) -> list[RankedCandidate]:
        """The best ``top_k`` eligible candidates for a project, best first, explained.

        Equal scores are ordered by candidate ref, so the result is deterministic.
        """
        if top_k <= 0:
            return []
        score = self.scores(project, today, top_k)
        idx = np.flatnonzero(np.isfinite(score))
        if idx.size > top_k:
            floor = np.partition(score[idx], -top_k)[-top_k]
            idx = idx[score[idx] >= floor]
        ranked = sorted(idx.tolist(), key=lambda p: (-score[p], self._candidates[p].ref))
        suggestions = []
        for pos in ranked[:top_k]:
            candidate = self._candidate_at(pos)
            pair = score_pair(candidate, project, self.context, today)
            suggestions.append(
                RankedCandidate(
                    candidate_id=candidate.id,
                    ref=candidate.ref,
                    score=float(score[pos]),
                    factors=pair.values,
                    explanation=explanation(pair, self.context),
                )
            )
        return suggestions

    def above(
        self, project: ProjectNeed, min_score: float, *, today: date
    ) -> list[tuple[CandidateId, float]]:
        """Every eligible candidate scoring at least ``min_score`` for a project, best first
        (ties by ref), as (id, score): everyone over a bar rather than a top k."""
        score = self.scores(project, today)
        idx = np.flatnonzero(score >= min_score)  # -inf (ineligible) never passes
        ranked = sorted(idx.tolist(), key=lambda p: (-score[p], self._candidates[p].ref))
        return [(self._candidates[p].id, float(score[p])) for p in ranked]

    def rank_all(
        self,
        projects: Sequence[ProjectNeed],
        top_k: int = 10,
        *,
        today: date,
        progress: Progress | None = None,
    ) -> dict[CandidateId, list[RankedCandidate]]:
        """``rank`` for every project; ``progress(done, total)`` is called after each one."""
        results: dict[CandidateId, list[RankedCandidate]] = {}
        for done, project in enumerate(projects, 1):
            results[project.id] = self.rank(project, top_k, today=today)
            if progress is not None:
                progress(done, len(projects))
        return results
