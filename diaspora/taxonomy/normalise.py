"""Placing a free-typed skill name in the taxonomy.

Steps, cheapest and surest first: fold -> exact/alias lookup (also with the parenthetical
dropped and with general word substitutions such as IT -> ICT) -> typo search -> semantic
nearest label -> free skill. Each answer says which step produced it and how sure it is, so
the admin UI can show and review the uncertain ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from itertools import product

from .concepts import Concept, Normalised
from .folding import fold, fold_display, strip_parenthetical
from .index import AliasIndex, Hit, Kind
from .semantic import Encoder, LabelEmbeddings

# Below this cosine the nearest label is more often wrong than right (see README, measured
# with `python -m diaspora.taxonomy.evaluate`): the name is kept as a free skill instead.
SEMANTIC_THRESHOLD = 0.75
# Embedding every ESCO synonym too (~113k labels instead of ~27.5k) places more unlisted
# synonyms (86.6% vs 72.2% on held-out synonyms) but costs ~230 MB per process instead of
# ~56 MB, 2 minutes instead of 20 s to build the cache, and places more nonsense (1.8% vs 0.4%).
EMBED_SYNONYMS = False
# Abbreviations are too short to embed meaningfully; their exact lookup already covers them.
_MIN_EMBED_LEN = 4
# Caps the variants tried by word substitution (each ambiguous word doubles them).
_MAX_VARIANTS = 16
# Answers remembered by name (`normalise_many`): ~200 bytes each, forgotten all at once past it.
_REMEMBERED = 200_000


class Normaliser:
    """Stateless apart from its indexes and the answers it remembers; safe to share between
    threads (a name answered twice at once is answered the same)."""

    def __init__(
        self,
        concepts: Sequence[Concept],
        index: AliasIndex,
        token_aliases: Mapping[str, Sequence[str]],
        encoder_factory: Callable[[], Encoder | None],
    ) -> None:
        self._concepts = concepts
        self.index = index
        self._token_aliases = {
            fold(word): [fold(s) for s in subs]
            for word, subs in token_aliases.items()
            if not word.startswith("_")
        }
        self._encoder_factory = encoder_factory
        self._embeddings: LabelEmbeddings | None = None
        self._embeddings_failed = False
        self.semantic_threshold = SEMANTIC_THRESHOLD
        self.embed_synonyms = EMBED_SYNONYMS
        self._remembered: dict[tuple[str, bool], Normalised] = {}
        self._remembered_for: tuple = ()

    # -- deterministic steps --------------------------------------------------------------

    def _variants(self, key: str) -> list[str]:
        """The key with general word substitutions applied ("it security" -> "ict security")."""
        words = key.split(" ")
        options = [[w, *self._token_aliases.get(w, ())] for w in words]
        if all(len(o) == 1 for o in options):
            return []
        out = []
        for combo in product(*options):
            variant = " ".join(w for w in combo if w)  # an empty substitution drops the word
            if variant and variant != key:
                out.append(variant)
            if len(out) >= _MAX_VARIANTS:
                break
        return out

    def _result(self, hit: Hit, method: str | None = None) -> Normalised:
        concept = self._concepts[hit.concept]
        if method is None:
            method = "exact" if hit.kind == Kind.EN_PREFERRED else "alias"
        return Normalised(concept.id, concept.labels["en"], method, hit.confidence)

    def resolve_lexical(
        self, name: str, exclude: frozenset[str] = frozenset()
    ) -> Normalised | None:
        """Exact, alias and fuzzy steps; None when none of them places the name."""
        key = fold(name)
        if not key:
            return None
        found = self._resolve_exact(name, key, exclude)
        if found is None:
            hit = self.index.fuzzy(key, exclude)
            found = self._result(hit, "fuzzy") if hit else None
        return found

    def _resolve_exact(self, name: str, key: str, exclude: frozenset[str]) -> Normalised | None:
        """Exact and alias steps (also without the parenthetical, and with word
        substitutions) for a name and its folded key."""
        hit = self.index.lookup(key, exclude)
        if hit:
            return self._result(hit)
        if "(" in name:
            bare = fold(strip_parenthetical(name))
            hit = self.index.lookup(bare, exclude) if bare else None
            if hit:
                return self._result(hit, "alias")
        for variant in self._variants(key):
            hit = self.index.lookup(variant, exclude)
            if hit:
                found = self._result(hit, "alias")
                return replace(found, confidence=round(found.confidence * 0.95, 3))
        return None

    # -- semantic step --------------------------------------------------------------------

    def semantic_labels(self) -> tuple[list[str], list[int]]:
        """The labels the semantic step compares against, and the concept of each."""
        labels: list[str] = []
        owners: list[int] = []
        for idx, concept in enumerate(self._concepts):
            texts = list(concept.labels.values())
            texts.extend(concept.alt_labels.get("ar", ()))
            texts.extend(a for a in concept.aliases if len(a) >= _MIN_EMBED_LEN)
            if self.embed_synonyms:
                texts.extend(concept.alt_labels.get("en", ()))
                texts.extend(concept.alt_labels.get("fr", ()))
            for text in dict.fromkeys(texts):
                labels.append(text)
                owners.append(idx)
        return labels, owners

    def embeddings(self) -> LabelEmbeddings | None:
        """Label embeddings, computed (or read from cache) on first use; None without encoder."""
        if self._embeddings is None and not self._embeddings_failed:
            encoder = self._encoder_factory()
            if encoder is None:
                self._embeddings_failed = True
            else:
                labels, owners = self.semantic_labels()
                self._embeddings = LabelEmbeddings(encoder, labels, owners)
        return self._embeddings

    def resolve_semantic(
        self, names: Sequence[str], exclude: Sequence[frozenset[int]] | None = None
    ) -> list[Normalised | None]:
        """Nearest label by meaning for each name, None below the threshold or without encoder."""
        embeddings = self.embeddings() if names else None
        if embeddings is None:
            return [None] * len(names)
        queries = embeddings.encoder.encode([fold_display(n) for n in names])
        out: list[Normalised | None] = []
        for _, concept_pos, score in embeddings.nearest(queries, exclude):
            if score < self.semantic_threshold:
                out.append(None)
                continue
            concept = self._concepts[concept_pos]
            out.append(Normalised(concept.id, concept.labels["en"], "semantic", round(score, 3)))
        return out

    # -- the pipeline ---------------------------------------------------------------------

    def normalise_many(self, names: Sequence[str], semantic: bool = True) -> list[Normalised]:
        """Normalise every name; the semantic step runs once for all names left unplaced.

        Answers are remembered by name as `fold_display` gives it (the answer depends on
        nothing else), for this taxonomy and these settings: names typed again, in this batch
        or a later one (a file imported again, the next file), cost a dictionary lookup.
        """
        settings = (self.semantic_threshold, self.embed_synonyms)
        if self._remembered_for != settings or len(self._remembered) > _REMEMBERED:
            self._remembered, self._remembered_for = {}, settings
        remembered = self._remembered
        shown = [fold_display(n) for n in names]
        todo = [n for n in dict.fromkeys(shown) if (n, semantic) not in remembered]
        for name, found in zip(todo, self._normalise_new(todo, semantic), strict=True):
            remembered[(name, semantic)] = found
        return [remembered[(n, semantic)] for n in shown]

    def _normalise_new(self, names: list[str], semantic: bool) -> list[Normalised]:
        keys = [fold(n) for n in names]
        results = [
            self._resolve_exact(n, k, frozenset()) if k else None
            for n, k in zip(names, keys, strict=True)
        ]
        # The fuzzy step once per folded key ("Data Minig" and "data minig" share it).
        typos = list(
            dict.fromkeys(k for k, r in zip(keys, results, strict=True) if k and r is None)
        )
        hits = dict(zip(typos, map(self.index.fuzzy, typos), strict=True))
        for i, key in enumerate(keys):
            if results[i] is None and hits.get(key):
                results[i] = self._result(hits[key], "fuzzy")
        pending = [i for i, r in enumerate(results) if r is None and keys[i]]
        if semantic and pending:
            for i, found in zip(
                pending, self.resolve_semantic([names[i] for i in pending]), strict=True
            ):
                results[i] = found
        return [
            r if r is not None else Normalised(None, names[i], "free", 0.0)
            for i, r in enumerate(results)
        ]
