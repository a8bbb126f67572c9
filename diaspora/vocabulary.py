"""The platform's fixed vocabularies: sectors, modes, CEFR levels, skill levels, languages.

Codes are stable: they are stored in the database and exchanged in the interchange format
(shared/interchange.md), so never rename one. Labels are English msgids: the web layer wraps
them with ``lazy_gettext`` (they are marked for extraction by ``babel extract`` through the
``_`` marker below). Language display names come from Babel's CLDR data.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError


def _(msgid: str) -> str:
    """Mark a string for extraction without translating it here (translated by the web layer)."""
    return msgid


SECTORS: tuple[str, ...] = (
    "health",
    "education",
    "agriculture",
    "water",
    "energy",
    "tourism",
    "sport",
    "transport",
    "industry",
    "finance",
    "public_administration",
    "justice",
    "culture_language",
    "research",
    "security",
)

SECTOR_LABELS: dict[str, str] = {
    "health": _("Health"),
    "education": _("Education"),
    "agriculture": _("Agriculture"),
    "water": _("Water"),
    "energy": _("Energy"),
    "tourism": _("Tourism"),
    "sport": _("Sport"),
    "transport": _("Transport"),
    "industry": _("Industry"),
    "finance": _("Finance"),
    "public_administration": _("Public administration"),
    "justice": _("Justice"),
    "culture_language": _("Culture and language"),
    "research": _("Research"),
    "security": _("Security"),
}

# What an expert can offer.
MODES: tuple[str, ...] = ("remote", "short_mission", "long_term")
# What a project can ask for: "hybrid" is remote work with short missions in Morocco.
PROJECT_MODES: tuple[str, ...] = (*MODES, "hybrid")

MODE_LABELS: dict[str, str] = {
    "remote": _("Remote"),
    "short_mission": _("Short mission in Morocco"),
    "long_term": _("Long term (relocation or return)"),
    "hybrid": _("Hybrid (remote with short missions)"),
}

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

CEFR_LABELS: dict[str, str] = {
    "A1": _("A1 (beginner)"),
    "A2": _("A2 (elementary)"),
    "B1": _("B1 (intermediate)"),
    "B2": _("B2 (upper intermediate)"),
    "C1": _("C1 (advanced)"),
    "C2": _("C2 (proficient)"),
    "native": _("Native"),
}

_CEFR_RANK = {level: rank for rank, level in enumerate(CEFR_LEVELS)}

SKILL_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)

SKILL_LEVEL_LABELS: dict[int, str] = {
    1: _("1 (notions)"),
    2: _("2 (working knowledge)"),
    3: _("3 (autonomous)"),
    4: _("4 (advanced)"),
    5: _("5 (expert, recognised authority)"),
}

# Languages offered in forms, most relevant to the Moroccan diaspora first. ISO 639-1 where one
# exists, else ISO 639-3 (Darija, Tamazight varieties). Imports accept any code Babel knows.
LANGUAGES: tuple[str, ...] = (
    "ar",
    "ary",  # Moroccan Arabic (Darija)
    "zgh",  # Standard Moroccan Tamazight
    "shi",  # Tachelhit
    "tzm",  # Central Atlas Tamazight
    "rif",  # Tarifit
    "fr",
    "en",
    "es",
    "de",
    "nl",
    "it",
    "pt",
    "ca",
    "sv",
    "da",
    "nb",
    "fi",
    "pl",
    "ro",
    "ru",
    "tr",
    "el",
    "he",
    "fa",
    "ur",
    "hi",
    "zh",
    "ja",
    "ko",
    "sw",
    "wo",
)

# CLDR lacks a few names for the Moroccan languages in some locales.
_LANGUAGE_NAME_GAPS: dict[tuple[str, str], str] = {
    ("ar", "ary"): "الدارجة المغربية",
    ("ar", "rif"): "تاريفيت",
}


def cefr_rank(level: str) -> int:
    """Position of a CEFR level in A1 < A2 < B1 < B2 < C1 < C2 < native; ValueError if unknown."""
    try:
        return _CEFR_RANK[level]
    except KeyError:
        raise ValueError(f"unknown CEFR level {level!r}") from None


def cefr_at_least(level: str, minimum: str) -> bool:
    """True when ``level`` is ``minimum`` or better, e.g. ``cefr_at_least("C1", "B2")``."""
    return cefr_rank(level) >= cefr_rank(minimum)


def cldr_locale(locale: str) -> Locale:
    """Babel's CLDR data for ``locale`` ("fr", "ar_MA"…): English for one it does not know."""
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@lru_cache(maxsize=8)
def _babel_languages(locale: str) -> dict[str, str]:
    return dict(cldr_locale(locale).languages)


def is_known_language(code: str) -> bool:
    """True for a lower-case language code we offer or that CLDR names (ISO 639-1/-3)."""
    return code in LANGUAGES or code in _babel_languages("en")


def language_name(code: str, locale: str = "fr") -> str:
    """Display name of a language code in ``locale`` (fr, ar, en…); the code itself if unknown."""
    gap = _LANGUAGE_NAME_GAPS.get((locale.split("_")[0], code))
    if gap:
        return gap
    names = _babel_languages(locale)
    return names.get(code) or _babel_languages("en").get(code) or code


def language_choices(locale: str = "fr") -> list[tuple[str, str]]:
    """(code, display name) for the offered languages, in the order of ``LANGUAGES``."""
    return [(code, language_name(code, locale)) for code in LANGUAGES]
