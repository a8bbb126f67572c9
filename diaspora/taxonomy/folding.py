"""Folding: the canonical form a free-typed skill name is compared in.

Two strings that a person would consider "the same words" (case, accents, punctuation,
spacing, a simple plural, Arabic spelling variants) fold to the same key. Folding is applied
identically to taxonomy labels and to user input, so it only has to be consistent, not
linguistically perfect (``"statistics"`` and ``"statistic"`` both fold to ``"statistic"``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "fold",
    "fold_display",
    "has_arabic",
    "strip_arabic_article",
    "strip_parenthetical",
    "tokens",
]

# Arabic letters that people write interchangeably. Hamza-carrying alefs (أ إ آ) lose their
# hamza/madda through NFKD + combining-mark removal; these are the ones NFKD keeps distinct.
_ARABIC_MAP = str.maketrans(
    {
        "ٱ": "ا",  # alef wasla
        "ة": "ه",  # taa marbuta -> haa (people write either at word end)
        "ى": "ي",  # alef maqsura -> yaa
        "ـ": "",  # tatweel (kashida), purely typographic
        # Letters of Persian keyboards and of Moroccan transliteration (ڤ for v, ڭ/گ for g,
        # پ for p) that people use for the same words; mapped to the ones our labels use.
        "ی": "ي",
        "ک": "ك",
        "ڤ": "ف",
        "ڥ": "ف",
        "پ": "ب",
        "ڭ": "غ",
        "گ": "غ",
        "،": " ",  # Arabic comma
        "؛": " ",  # Arabic semicolon
        "؟": " ",
        "’": "'",
        "‘": "'",
    }
)

# Arabic-Indic digits ("ثلاثي الأبعاد ٣" typed on an Arabic keyboard) are the same numbers.
_ARABIC_MAP.update(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))

# Keep + and # so that "C++" and "C#" stay distinct from "C"; everything else that is not a
# letter or digit separates words.
_NON_WORD = re.compile(r"(?:[^\w+#]|_)+")
# French elision: "l'apprentissage" and "apprentissage" are the same word for lookup.
_ELISION = re.compile(r"\b(?:l|d|qu)['’](?=\w)", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*")
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")

# English/French word endings that must not lose their final "s" (analysis, process, corpus,
# bus, gas) – stripping those would merge unrelated words or produce nothing useful.
_KEEP_S = ("ss", "us", "is", "os", "as", "ys")


def _strip_marks(text: str) -> str:
    if text.isascii():  # most labels: nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def _singular(token: str) -> str:
    """A deliberately simple EN/FR singular: enough to merge "databases"/"database"."""
    if _ARABIC_LETTERS.search(token):
        return _strip_article(token)
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("eaux"):
        return token[:-1]
    if token.endswith("s") and not token.endswith(_KEEP_S):
        return token[:-1]
    return token


def _strip_article(word: str) -> str:
    # The Arabic definite article is glued to the word; "التعلم" and "تعلم" are the same word
    # for lookup purposes. Only strip it from words long enough to keep a root.
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


def has_arabic(text: str) -> bool:
    """Whether ``text`` contains Arabic letters (it was typed in Arabic script)."""
    return bool(_ARABIC_LETTERS.search(text))


def strip_arabic_article(key: str) -> str:
    """A folded key without the Arabic article on its words, for prefix search where plural
    reduction must not apply: ``"التعلم الآلي"`` and ``"تعلم آلي"`` share a prefix."""
    if not _ARABIC_LETTERS.search(key):
        return key
    return " ".join(_strip_article(w) for w in key.split(" "))


def fold(text: str, *, singular: bool = True) -> str:
    """Return the comparison key of ``text``.

    Lower-cases, removes accents and Arabic diacritics, unifies Arabic letter variants
    (alef forms, taa marbuta, alef maqsura, tatweel), turns punctuation into spaces, collapses
    whitespace and – unless ``singular`` is false – reduces simple plurals and the Arabic
    article so that ``"Bases de données"`` and ``"base de donnée"`` share a key.
    ``singular=False`` is used for autocomplete, where a half-typed word must stay a prefix.
    """
    if not text:
        return ""
    if "'" in text or "’" in text:
        text = _ELISION.sub("", text)
    if not text.isascii():
        text = _strip_marks(text.translate(_ARABIC_MAP))
    text = text.casefold()
    text = _NON_WORD.sub(" ", text)
    words = text.split()
    if singular:
        words = [_singular(w) for w in words]
    return " ".join(words)


def fold_display(text: str) -> str:
    """Trim and collapse whitespace and lower-case, keeping accents: a free skill's label."""
    return " ".join(text.split()).lower()


def strip_parenthetical(text: str) -> str:
    """``"Python (computer programming)"`` -> ``"Python"``; unchanged when there is none."""
    return " ".join(_PARENTHETICAL.sub(" ", text).split())


def tokens(key: str) -> list[str]:
    """Words of an already folded key."""
    return key.split()
