"""The alias index: every folded label and synonym -> the concepts it names, plus typo search.

Keys come from ESCO English and French labels, our Arabic labels and abbreviations, and a few
general derivation rules (a label without its parenthetical qualifier). A key can name several
concepts ("SQL" is a preferred label of one and a synonym of another); each entry carries a
*kind* so the most authoritative reading wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from .concepts import Concept
from .folding import fold, strip_parenthetical


class Kind(IntEnum):
    """Where a key came from; lower wins when a key names several concepts."""

    EN_PREFERRED = 0
    # Ours outrank ESCO's French labels on purpose: a curated alias is a decision we took
    # about an ambiguous short name ("ML" is machine learning here, not the ML language,
    # whose French label is "ML").
    CURATED = 1  # our Arabic labels, aliases and abbreviations
    FR_PREFERRED = 2
    EN_ALT = 3
    FR_ALT = 4
    DERIVED = 5  # produced by a general rule, e.g. parenthetical qualifier dropped


@dataclass(frozen=True, slots=True)
class Hit:
    """A concept found for a key, how it was found and how sure we are."""

    concept: int  # position in the taxonomy's concept list
    kind: Kind
    key: str
    confidence: float


def _max_typos(length: int) -> int:
    # Short strings are mostly abbreviations: one edit turns "SQL" into "SAS"-like neighbours,
    # so they get no fuzzy matching at all. Longer labels tolerate proportionally more.
    # Capped at 2 below 25 characters: three edits already turn "operating system" into
    # "operate system", a different concept.
    if length < 5:
        return 0
    if length < 10:
        return 1
    if length < 25:
        return 2
    return 3


class AliasIndex:
    """Exact lookup of folded keys and bounded-edit-distance search for typos."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        entries: dict[str, dict[int, Kind]] = defaultdict(dict)

        def add(label: str, idx: int, kind: Kind) -> None:
            key = fold(label)
            if not key:
                return
            known = entries[key].get(idx)
            if known is None or kind < known:
                entries[key][idx] = kind

        for idx, concept in enumerate(concepts):
            labels = concept.labels
            if "en" in labels:
                add(labels["en"], idx, Kind.EN_PREFERRED)
            if "fr" in labels:
                add(labels["fr"], idx, Kind.FR_PREFERRED)
            if "ar" in labels:
                add(labels["ar"], idx, Kind.CURATED)
            for alt in concept.alt_labels.get("ar", ()):
                add(alt, idx, Kind.CURATED)
            for alias in concept.aliases:
                add(alias, idx, Kind.CURATED)
            for alt in concept.alt_labels.get("en", ()):
                add(alt, idx, Kind.EN_ALT)
            for alt in concept.alt_labels.get("fr", ()):
                add(alt, idx, Kind.FR_ALT)

        # "Python (computer programming)" is typed "Python". Index the bare form only where it
        # names no other concept, so "Java (computer programming)" never steals "Java" from a
        # concept whose label really is "Java".
        derived: dict[str, set[int]] = defaultdict(set)
        for idx, concept in enumerate(concepts):
            for label in concept.all_labels():
                if "(" in label:
                    key = fold(strip_parenthetical(label))
                    if key and key not in entries:
                        derived[key].add(idx)
        for key, idxs in derived.items():
            if len(idxs) == 1:
                entries[key][next(iter(idxs))] = Kind.DERIVED

        self._entries: dict[str, tuple[tuple[int, Kind], ...]] = {
            key: (
                tuple(by_concept.items())
                if len(by_concept) == 1
                else tuple(sorted(by_concept.items(), key=lambda e: (e[1], e[0])))
            )
            for key, by_concept in entries.items()
        }
        # Typo search only compares keys of similar length: an edit distance of d implies the
        # lengths differ by at most d, so one contiguous slice of the length-sorted keys holds
        # every candidate.
        self._sorted_keys = sorted(self._entries, key=lambda k: (len(k), k))
        self._length_start: list[int] = []
        pos = 0
        longest = len(self._sorted_keys[-1]) if self._sorted_keys else 0
        for length in range(longest + 2):
            while pos < len(self._sorted_keys) and len(self._sorted_keys[pos]) < length:
                pos += 1
            self._length_start.append(pos)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> Iterable[str]:
        return self._entries.keys()

    def entries(self, key: str) -> tuple[tuple[int, Kind], ...]:
        """All ``(concept position, kind)`` pairs a folded key names, best first."""
        return self._entries.get(key, ())

    def lookup(self, key: str, exclude: frozenset[str] = frozenset()) -> Hit | None:
        """The concept a folded key names, or None. ``exclude``: keys to pretend are absent."""
        if key in exclude:
            return None
        found = self._entries.get(key)
        if not found:
            return None
        idx, kind = found[0]
        # Several concepts sharing the best kind: still answer (the first is as good a guess as
        # any), but say we are less sure so callers and admins can review it.
        ambiguous = len(found) > 1 and found[1][1] == kind
        confidence = 1.0 if kind == Kind.EN_PREFERRED else 0.95
        return Hit(idx, kind, key, confidence * (0.85 if ambiguous else 1.0))

    def fuzzy(self, key: str, exclude: frozenset[str] = frozenset()) -> Hit | None:
        """The concept of the nearest key within a small edit distance (typos), or None.

        Uses optimal string alignment distance, so a swap of two neighbouring letters
        ("manaegment") counts as one edit, like an insertion, deletion or substitution.
        Compares only the keys holding one of a few of the key's letter triples (see
        `_candidates`): the same answer as `fuzzy_scan`, over ten times faster.
        """
        max_d = _max_typos(len(key))
        if max_d == 0:
            return None
        lo, hi = self._length_slice(key, max_d)
        found = self._candidates(key, max(max_d, 2), lo, hi)
        if found is None:
            return self._nearest(key, max_d, self._sorted_keys[lo:hi], exclude)
        return self._nearest(key, max_d, self._key_array[found], exclude)

    def _candidates(self, key: str, cutoff: int, lo: int, hi: int) -> np.ndarray | None:
        """Positions in `_sorted_keys` (between lo and hi, in order) of every key that may be
        within `cutoff` edits of `key`; None when the key is too short to tell.

        An edit changes one letter triple of the key, or none; so of `cutoff` + 1 triples that
        do not overlap, a key within `cutoff` edits holds one at least. The rarest such triples
        are chosen, and only the keys holding one of them are compared.
        """
        padded = f"^{key}$"
        postings = self._postings
        triples = [padded[i : i + 3] for i in range(len(padded) - 2)]
        sizes = [len(postings.get(triple, ())) for triple in triples]
        starts = sorted(range(len(triples)), key=sizes.__getitem__)
        chosen: list[int] = []
        for start in starts:
            if all(abs(start - other) >= 3 for other in chosen):
                chosen.append(start)
                if len(chosen) > cutoff:
                    break
        if len(chosen) <= cutoff:
            chosen = list(range(0, len(padded) - 2, 3))[: cutoff + 1]  # side by side
            if len(chosen) <= cutoff:
                return None
        held = [postings[triple] for triple in {triples[i] for i in chosen} if triple in postings]
        found = [
            positions[np.searchsorted(positions, lo) : np.searchsorted(positions, hi)]
            for positions in held
        ]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def warm(self) -> None:
        """Build the typo search's index now (~2 s) rather than on the first typo."""
        _ = self._postings, self._key_array

    def fuzzy_scan(self, key: str, exclude: frozenset[str] = frozenset()) -> Hit | None:
        """`fuzzy` by comparing every key of a similar length: the reference it is checked
        against (tests, `bench/import_speed.py`), ~1-10 ms a key."""
        max_d = _max_typos(len(key))
        if max_d == 0:
            return None
        lo, hi = self._length_slice(key, max_d)
        return self._nearest(key, max_d, self._sorted_keys[lo:hi], exclude)

    def _length_slice(self, key: str, max_d: int) -> tuple[int, int]:
        """Where the keys of a length within `max_d` of the key's are in `_sorted_keys`."""
        starts = self._length_start
        lo = starts[min(max(len(key) - max_d, 0), len(starts) - 1)]
        hi = starts[min(len(key) + max_d + 1, len(starts) - 1)]
        return lo, hi

    @cached_property
    def _key_array(self) -> np.ndarray:
        """`_sorted_keys` as an array, to pick candidates by position in one step."""
        return np.array(self._sorted_keys, dtype=object)

    @cached_property
    def _postings(self) -> dict[str, np.ndarray]:
        """Each letter triple (of keys marked at both ends: "^da", "dat", "ata", "ta$") ->
        the positions in `_sorted_keys` of the keys holding it, in order."""
        found: dict[str, list[int]] = defaultdict(list)
        for pos, key in enumerate(self._sorted_keys):
            padded = f"^{key}$"
            for triple in {padded[i : i + 3] for i in range(len(padded) - 2)}:
                found[triple].append(pos)
        return {triple: np.array(positions, dtype=np.int32) for triple, positions in found.items()}

    def _nearest(
        self, key: str, max_d: int, choices: Sequence[str], exclude: frozenset[str]
    ) -> Hit | None:
        # Levenshtein is the fastest bounded search; a transposition costs it 2, so short keys
        # (one typo allowed) search at 2 and the few survivors are re-scored with OSA, where a
        # transposition costs 1.
        found = process.extract(
            key, choices, scorer=Levenshtein.distance, score_cutoff=max(max_d, 2), limit=8
        )
        best: list[tuple[int, str]] = []
        for choice, _, _ in found:
            dist = OSA.distance(key, choice)
            if 0 < dist <= max_d and choice not in exclude:
                best.append((dist, choice))
        if not best:
            return None
        best.sort(key=lambda item: (item[0], self._entries[item[1]][0][1], item[1]))
        dist, choice = best[0]
        idx, kind = self._entries[choice][0]
        rivals = {self._entries[c][0][0] for d, c in best if d == dist}
        confidence = max(0.5, 1.0 - dist / max(len(key), 1) * 1.5)
        if len(rivals) > 1:
            confidence *= 0.8
        return Hit(idx, kind, choice, round(confidence, 3))
