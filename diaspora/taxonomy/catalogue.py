"""The taxonomy as the application sees it: loaded once from the shipped data file."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from .concepts import Completion, Concept, Normalised
from .index import AliasIndex
from .normalise import Normaliser
from .semantic import Encoder, load_encoder
from .suggest import SuggestIndex

DATA_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json.gz"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
# Display fallbacks: Moroccan users reading Arabic usually read French before English.
_FALLBACK = {"ar": ("ar", "fr", "en"), "fr": ("fr", "en"), "en": ("en",)}


def _concept(raw: dict[str, Any]) -> Concept:
    labels = {lang: raw[lang] for lang in ("en", "fr") if raw.get(lang)}
    ar = raw.get("ar") or []
    if ar:
        labels["ar"] = ar[0]
    alt = {}
    for lang, values in (("en", raw.get("alt_en")), ("fr", raw.get("alt_fr")), ("ar", ar[1:])):
        if values:
            alt[lang] = tuple(values)
    paths = tuple(tuple(p) for p in raw.get("paths", ()))
    skill_type = raw.get("type") or (
        "knowledge" if any(p and p[0] == "K" for p in paths) else "skill"
    )
    return Concept(
        id=raw["id"],
        labels=labels,
        alt_labels=alt,
        aliases=tuple(raw.get("aliases", ())),
        paths=paths,
        skill_type=skill_type,
        source=raw.get("source", "esco"),
    )


class Taxonomy:
    """Skill concepts with their labels, hierarchy, normaliser and autocomplete.

    Indexes are built on first use, so loading stays cheap for code that only needs labels.
    """

    attribution = ATTRIBUTION

    def __init__(self, data: dict[str, Any]) -> None:
        self._concepts: list[Concept] = [_concept(raw) for raw in data["concepts"]]
        self._by_id = {c.id: c for c in self._concepts}
        self._groups: dict[str, str] = data["groups"]
        self._token_aliases: dict[str, list[str]] = data.get("token_aliases", {})
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = DATA_PATH) -> Taxonomy:
        """Read a data file written by ``python -m diaspora.taxonomy.build``."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))

    # -- lookups --------------------------------------------------------------------------

    @property
    def concept_ids(self) -> Sequence[str]:
        """Every concept id, ESCO and ours, in a stable order."""
        return [c.id for c in self._concepts]

    @property
    def concepts(self) -> Sequence[Concept]:
        return self._concepts

    def get(self, concept_id: str) -> Concept | None:
        """The concept with that id, or None."""
        return self._by_id.get(concept_id)

    def label(self, concept_id: str, lang: str = "fr") -> str:
        """Display label in ``lang`` ("fr", "en", "ar"), falling back ar -> fr -> en.

        An unknown id is returned as is, so a page never breaks on a concept removed from
        the taxonomy after a rebuild.
        """
        concept = self._by_id.get(concept_id)
        if concept is None:
            return concept_id
        for candidate in _FALLBACK.get(lang, ("en",)):
            if candidate in concept.labels:
                return concept.labels[candidate]
        return next(iter(concept.labels.values()))

    def paths(self, concept_id: str) -> tuple[tuple[str, ...], ...]:
        """Hierarchy paths of a concept, e.g. ``(("S", "S4", "S4.5", "S4.5.0"),)``."""
        concept = self._by_id.get(concept_id)
        return concept.paths if concept else ()

    def group_name(self, code: str) -> str:
        """English name of a hierarchy group code ("K0542" -> "statistics"); the code if unknown."""
        return self._groups.get(code, code)

    # -- normalising ----------------------------------------------------------------------

    @cached_property
    def _normaliser(self) -> Normaliser:
        with self._lock:
            return Normaliser(
                self._concepts, AliasIndex(self._concepts), self._token_aliases, load_encoder
            )

    @cached_property
    def _suggester(self) -> SuggestIndex:
        with self._lock:
            return SuggestIndex(self._concepts)

    @property
    def normaliser(self) -> Normaliser:
        """The normalising pipeline (for the evaluation and benchmarks)."""
        return self._normaliser

    def normalise(self, name: str) -> Normalised:
        """Place one free-typed skill name (EN/FR/AR) in the taxonomy, or keep it free."""
        return self._normaliser.normalise_many([name])[0]

    def normalise_many(self, names: Sequence[str]) -> list[Normalised]:
        """Normalise a batch; faster than one by one because the semantic step is batched."""
        return self._normaliser.normalise_many(list(names))

    def suggest(self, query: str, lang: str = "fr", limit: int = 10) -> list[Completion]:
        """Autocomplete: concepts whose labels start with (a word starting with) ``query``.

        Labels in ``lang`` come first, then the other languages; each suggestion carries the
        display label in ``lang`` and the label text that matched.
        """
        return self._suggester.suggest(query, lang, limit, self.label)

    def warm(self, semantic: bool = True) -> None:
        """Build the indexes (and label embeddings) now rather than on the first request.

        The embeddings take ~20 s to compute the first time on a machine, then ~0.4 s to read
        from the cache: call this from a CLI command or at worker start, not in a request.
        """
        self._normaliser.index.warm()
        _ = self._suggester
        if semantic:
            self._normaliser.embeddings()

    @property
    def encoder(self) -> Encoder | None:
        """The multilingual sentence encoder (``.encode(texts)``), or None if not installed."""
        return load_encoder()


_cache_lock = threading.Lock()
_cached: Taxonomy | None = None


def get_taxonomy() -> Taxonomy:
    """The shipped taxonomy, loaded once per process."""
    global _cached
    if _cached is None:
        with _cache_lock:
            if _cached is None:
                _cached = Taxonomy.load()
    return _cached
