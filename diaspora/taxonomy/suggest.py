"""Autocomplete: labels that start with (or have a word starting with) what was typed.

A sorted array of folded label keys answers a prefix query with two binary searches, so the
cost does not grow with the size of the taxonomy. Keys are folded without plural reduction:
a half-typed word must stay a prefix of the label ("statis" of "statistics").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from .concepts import Completion, Concept
from .folding import fold, has_arabic, strip_arabic_article

LANGS = ("fr", "en", "ar")
# Bounds the work per keystroke on one-letter queries that match thousands of labels.
_SCAN_LIMIT = 400


ANY_LANG = "*"


class SuggestIndex:
    """Prefix index over every label, per language, plus word-start entries for preferred ones."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        # Entry: (key, rank, concept position, lang, label text). Rank orders equal keys:
        # whole-label prefix before word prefix, preferred label before synonym.
        rows: list[tuple[str, int, int, str, str]] = []
        for idx, concept in enumerate(concepts):
            for lang in LANGS:
                pref = concept.labels.get(lang)
                labels: list[tuple[str, int, str]] = []
                if pref:
                    labels.append((pref, 0, lang))
                labels.extend((alt, 1, lang) for alt in concept.alt_labels.get(lang, ()))
                if lang == "en":
                    # Our curated aliases are what people type most (ML, apprentissage
                    # automatique, تعلم الآلة): offered in every language, like a preferred label.
                    labels.extend((alias, 0, ANY_LANG) for alias in concept.aliases)
                for text, rank, row_lang in labels:
                    key = fold(text, singular=False)
                    if not key:
                        continue
                    rows.append((key, rank, idx, row_lang, text))
                    bare = strip_arabic_article(key)
                    if bare != key:
                        # "تعلم آلي" must find "التعلم الآلي": Arabic labels without the article.
                        rows.append((bare, rank, idx, row_lang, text))
                    if rank == 0:
                        # "vision" should find "computer vision": index each later word start.
                        words = key.split(" ")
                        for start in range(1, len(words)):
                            rows.append((" ".join(words[start:]), 2, idx, row_lang, text))
        rows.sort()
        self._keys = [row[0] for row in rows]
        self._rows = rows
        self._concepts = concepts

    def suggest(
        self, query: str, lang: str, limit: int, label_of: Callable[[str, str], str]
    ) -> list[Completion]:
        """Up to ``limit`` concepts whose labels match ``query``, labelled in ``lang``.

        The script the query is typed in says which labels come first, not the page: Arabic
        letters look in Arabic labels first; Latin letters in French and English ones ("ML" on
        an Arabic page is machine learning, an English abbreviation), the page's language first
        when it is one of those two.
        """
        key = fold(query, singular=False)
        if not key or limit <= 0:
            return []
        keys = [key]
        if has_arabic(key):
            own = {"ar", ANY_LANG}
            keys = _arabic_keys(key)
        else:
            own = {lang, ANY_LANG} if lang in ("fr", "en") else {"fr", "en", ANY_LANG}
        candidates = [
            ((row_lang not in own, source, *order), idx, text)
            for source, key in enumerate(keys)
            for order, idx, row_lang, text in self._prefixed(key)
        ]
        candidates.sort(key=lambda c: c[0])
        out: list[Completion] = []
        seen: set[int] = set()
        for _, idx, text in candidates:
            if idx in seen:
                continue
            seen.add(idx)
            concept_id = self._concepts[idx].id
            out.append(Completion(concept_id, label_of(concept_id, lang), text))
            if len(out) >= limit:
                break
        return out

    def _prefixed(self, key: str):
        """The rows whose key starts with `key`, each with its order: whole label equal to the
        query, then labels starting with it as a whole word, then as part of a word, then
        labels with a later word starting with it; preferred before synonyms; shorter first."""
        lo = bisect_left(self._keys, key)
        # Everything that starts with `key` sorts before `key` + the highest code point.
        hi = bisect_left(self._keys, key + "\U0010ffff", lo)
        for pos in range(lo, min(hi, lo + _SCAN_LIMIT)):
            row_key, rank, idx, row_lang, text = self._rows[pos]
            if row_key == key:
                tier = 0 if rank < 2 else 1
            elif row_key[len(key)] == " ":
                tier = 1 if rank < 2 else 3
            else:
                tier = 2 if rank < 2 else 4
            yield (tier, rank, len(row_key), row_key), idx, row_lang, text


def _arabic_keys(key: str) -> list[str]:
    """An Arabic query as typed, then as the index also holds labels: without the article on
    its words, and, while the article of a later word is being typed ("تعلم ال", "الطاقة الش"),
    without that half-typed article too (bare labels have none)."""
    bare = strip_arabic_article(key)
    keys = [key, bare]
    *done, last = bare.split(" ")
    if done and last.startswith("ا") and "ال".startswith(last[:2]):
        keys.append(" ".join([*done, last[2:]]) if len(last) > 2 else " ".join(done) + " ")
    return list(dict.fromkeys(keys))
