"""Spotting the taxonomy's skills in a CV: phrase lookup over the text, in EN, FR and AR.

Every run of up to MAX_WORDS words is folded like a typed skill name and looked up in the
taxonomy's alias index (labels, synonyms, our Arabic labels and abbreviations), longest first.
A hit is proposed only when it passes the rules that keep ordinary words from being read as
skills (each says why below): a CV is prose, not a list of skill names, so the typo and
semantic steps of the normaliser are not used here.

The result says, per concept, the words of the CV that name it, the line they stand in, and the
level the CV states for it when it states one (``levels``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from diaspora import geo
from diaspora.taxonomy import Taxonomy, fold
from diaspora.taxonomy.index import Kind

from .levels import LevelCue, find_cues

# The longest phrase looked up, in words ("data extraction, transformation and loading tools").
MAX_WORDS = 8
# A word found in the labels of more concepts than this is an ordinary word of work life
# ("communication", "logistics", "translation"): alone it counts only when listed as a skill.
GENERIC_WORD = 20
# Lines are shown shortened to about this many characters around the words found.
MAX_PHRASE = 180
MAX_PROPOSALS = 60
# "CV" is an abbreviation of computer vision in the taxonomy, and the name of the document itself.
STOP_KEYS = frozenset({"cv"})

# Words, with + and # kept so that "C++" and "C#" stay themselves (as folding does). A change of
# script ends a word: PDFs of Arabic CVs often lose the space between an Arabic and a Latin word.
_ARABIC_LETTERS = "\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff"
_TOKEN = re.compile(rf"[{_ARABIC_LETTERS}]+|(?:[^\W_{_ARABIC_LETTERS}]|[+#])+")
_ELIDED = frozenset({"l", "d", "qu"})  # French l', d', qu': folding drops them too
_APOSTROPHES = "'’"
_ARABIC = re.compile(f"[{_ARABIC_LETTERS}]")
# Arabic conjunctions and prepositions written joined to the next word: "والتعلم" is "and
# the learning". Folding already drops the article; these are tried off the first word.
_PROCLITICS = "وفبكل"
# Separators of list items; commas inside parentheses do not separate ("R (expert, 12 years)").
_SEPARATORS = frozenset(",;•·|،؛▪◦●")
_DASHES = re.compile(r"\s[–—-]\s")
_BULLET = re.compile(r"^(?:[•·▪◦●*\-–—]|\d{1,2}[.)])\s*")
_TERMINAL = ".:!?؟;"

# Section headings, by folded word stems: where skills are listed, and where words are not
# claims of skill (pastimes, the languages section, referees).
_SKILL_HEADINGS = (
    "skill", "competenc", "competence", "expertise", "tool", "technolog", "programm", "outil",
    "savoir", "مهار", "كفاء", "قدرات", "برمج",
)  # fmt: skip
_IGNORED_HEADINGS = (
    "interest", "hobb", "loisir", "interet", "reference", "language", "langue", "لغات",
    "هواي", "اهتمام", "مراجع",
)  # fmt: skip
_OTHER_HEADINGS = (
    "experience", "education", "formation", "employment", "career", "parcours", "project",
    "projet", "publication", "certif", "award", "grant", "prix", "summary", "profile", "profil",
    "about", "resume", "presentation", "training", "diplome", "research", "recherche",
    "position", "poste", "qualification", "خبر", "تعليم", "مؤهل", "شهاد", "نبذ", "ملف",
    "منشور", "مشاريع", "ملخص", "تكوين", "دراس",
)  # fmt: skip
# Words that qualify a heading ("Professional experience", "Compétences clés", "الخبرة المهنية").
# A heading is made of stems and these only: "Gestion de projet" is a skill, not a heading.
_HEADING_FILLERS = frozenset(
    fold(word)
    for words in (
        "and of in & my me key core main other additional selected technical professional work",
        "personal academic areas et de des du la le les d l autres clés techniques principales",
        "professionnelle professionnelles personnels centres extra و الشخصي المهنية التقنية",
        "الأخرى الأساسية العلمية",
    )
    for word in words.split()
)
_MAX_HEADING_WORDS = 5
_HEADINGS = (
    ("skills", _SKILL_HEADINGS),
    ("ignored", _IGNORED_HEADINGS),
    ("other", _OTHER_HEADINGS),
)


@dataclass(frozen=True)
class Proposal:
    """A skill the CV names: the concept, the words naming it, the line they stand in, and the
    level the CV states (None when it states none) with the words stating it."""

    concept_id: str
    matched: str
    phrase: str
    level: int | None
    level_cue: str
    mentions: int


@dataclass
class _Token:
    raw: str
    start: int
    end: int
    forms: tuple[str, ...]  # folded, then folded without an Arabic proclitic

    @property
    def folded(self) -> str:
        return self.forms[0]


@dataclass
class _Segment:
    """A logical line: a paragraph, a bullet, or a PDF line with its continuation."""

    text: str
    section: str  # "skills", "ignored" or "other"


@dataclass
class _Mention:
    concept: int
    start: int
    end: int
    order: int
    segment: _Segment
    cue: LevelCue | None = None


class SkillSpotter:
    """Finds the taxonomy's concepts named in a text. Build once per taxonomy (``for_taxonomy``)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy
        self._concepts = taxonomy.concepts
        self._index = taxonomy.normaliser.index
        # Per folded word: the concepts whose labels hold it (how ordinary the word is), and
        # the concepts whose preferred labels hold it (who else a synonym may mean).
        in_labels: dict[str, set[int]] = defaultdict(set)
        for key in self._index.keys():  # noqa: SIM118 - an index, not a dict
            concepts = {idx for idx, _kind in self._index.entries(key)}
            for word in key.split():
                in_labels[word].update(concepts)
        self._spread = {word: len(concepts) for word, concepts in in_labels.items()}
        self._preferred: dict[str, set[int]] = defaultdict(set)
        self._preferred_keys: list[list[str]] = []
        for idx, concept in enumerate(self._concepts):
            keys = [fold(concept.labels[lang]) for lang in ("en", "fr") if lang in concept.labels]
            self._preferred_keys.append(keys)
            for key in keys:
                for word in key.split():
                    self._preferred[word].add(idx)
        # Spoken languages have their own section of the profile.
        self._languages = {
            idx
            for idx, concept in enumerate(self._concepts)
            if any(path[0] == "L" for path in concept.paths)
        }
        # Social and communication skills: "lead a team of four" tells what a job was, not a
        # skill claimed; they count where the CV lists them.
        self._soft = {
            idx
            for idx, concept in enumerate(self._concepts)
            if any(path[:2] == ("T", "T4") for path in concept.paths)
        }

    # -- what a key means -----------------------------------------------------------------

    @lru_cache(maxsize=65536)  # noqa: B019 - one spotter per process, kept for its life
    def resolve(self, key: str, written: str = "") -> int | None:
        """The concept a folded phrase names, or None when it names none or too many.

        ``written`` (a word as the CV writes it) picks, among the concepts of its key, those
        that write it so: folding makes "IFRS" and "IFR" one key. Then, as the normaliser
        does, the most authoritative reading wins. A phrase that is only a synonym is checked
        against preferred labels: one that another concept's preferred label holds is that
        concept ("remote sensing" is a synonym of GIS and of "remote sensing techniques";
        "change management" of "alter management" and the words of "apply change
        management"); one that several preferred labels hold ("survey") is too vague.
        """
        if key in STOP_KEYS:
            return None
        entries = self._index.entries(key)
        if written:
            exact = [e for e in entries if _plain(written).casefold() in self._forms_of(e[0], key)]
            if exact and len(written) > 1 and _is_upper(written):
                return exact[0][0]  # an abbreviation, written as the taxonomy writes it
            entries = exact or entries
        if not entries:
            return None
        best = entries[0][1]
        tied = [idx for idx, kind in entries if kind == best]
        if best in (Kind.EN_ALT, Kind.FR_ALT):
            holders = self._held_by_preferred(key)
            among = [idx for idx in tied if idx in holders]
            if among:
                return among[0]
            # Only labels that are the phrase and a word ("apply change management") speak for
            # it; "advise patients on infectious diseases" is about more than the phrase.
            width = len(key.split()) + 1
            others = {idx for idx in holders - set(tied) if self._label_width(idx) <= width}
            if len(key.split()) == 1:
                # One word that is only a synonym ("retrieval" of repossession, "Google" of
                # search engines and a word of "use Google Search"): counted only when the
                # taxonomy uses it for nothing else.
                return None if others or self._spread.get(key, 0) > 1 else tied[0]
            if len(others) > 1:
                return None
            if others:
                return next(iter(others))
        return tied[0]

    def _label_width(self, idx: int) -> int:
        return min(len(label.split()) for label in self._preferred_keys[idx])

    def _held_by_preferred(self, key: str) -> set[int]:
        words = key.split()
        found = set.intersection(*(self._preferred.get(w, set()) for w in words))
        padded = f" {key} "
        return {
            idx
            for idx in found
            if any(padded in f" {label} " for label in self._preferred_keys[idx])
        }

    @lru_cache(maxsize=16384)  # noqa: B019 - as above
    def _forms_of(self, idx: int, key: str) -> frozenset[str]:
        """How concept ``idx`` writes the words of ``key``, accents off, case folded."""
        return frozenset(form.casefold() for form in self._written(idx, key))

    def _written(self, idx: int, key: str) -> set[str]:
        return {
            _plain(candidate.strip())
            for label in self._concepts[idx].all_labels()
            for candidate in (label, label.split(" (")[0])
            if fold(candidate) == key
        }

    @lru_cache(maxsize=8192)  # noqa: B019 - as above
    def _forms(self, key: str) -> tuple[str, ...]:
        """How the taxonomy writes a one-word key ("SQL", "Python", "cloud"), accents off."""
        forms: set[str] = set()
        for idx, _kind in self._index.entries(key):
            forms |= self._written(idx, key)
        return tuple(sorted(forms))

    def _case_fits(self, key: str, written: str) -> bool:
        """Abbreviations and names keep their case: "ML" is not "ml" (millilitres), "SIG" not
        "sig", "R" not "r", "IFRS" not "IFR" plus a plural; "Python" and "Excel" are not
        "python" and "excel" in a sentence. The adjective is not the science: "semantic" is
        not "semantics", nor "statistic" "statistics"."""
        forms = self._forms(key)
        written = _plain(written)
        if not forms:
            return True
        if all(_is_upper(f) for f in forms):
            return any(written in (f, f + "s") for f in forms)
        lowered = written.casefold()
        if any(f.casefold().endswith("ics") for f in forms) and lowered.endswith("ic"):
            return False
        if not any(f == f.lower() for f in forms):
            return written != written.lower()
        return True

    # -- reading a text -------------------------------------------------------------------

    def spot(self, text: str, kind: str = "text") -> list[Proposal]:
        """The concepts ``text`` names, in the order they first appear. ``kind`` "pdf" joins
        lines that a page broke in the middle of a sentence."""
        mentions: list[_Mention] = []
        for segment in _segments(text, kind):
            if segment.section != "ignored":
                mentions.extend(self._mentions(segment, len(mentions)))
        return _proposals(mentions, self._concepts)

    def _mentions(self, segment: _Segment, order: int) -> list[_Mention]:
        line = segment.text
        tokens = _tokens(line)
        items = _items(line)
        listed = segment.section == "skills" or len(items) >= 3
        found: list[_Mention] = []
        i = 0
        while i < len(tokens):
            hit = self._longest_at(tokens, i, segment, items, listed)
            if hit is None:
                i += 1
                continue
            concept, n = hit
            end = tokens[i + n - 1].end
            found.append(_Mention(concept, tokens[i].start, end, order + len(found), segment))
            i += n
        if found:
            words = [(t.folded, t.start, t.end) for t in tokens]
            _attach_cues(found, find_cues(line, words), items, line)
        return found

    def _longest_at(self, tokens, i, segment, items, listed) -> tuple[int, int] | None:
        """The concept named by the longest phrase starting at token ``i``, and its length."""
        line = segment.text
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            rest = " ".join(t.folded for t in tokens[i + 1 : i + n])
            written = line[tokens[i].start : tokens[i].end] if n == 1 else ""
            for first in tokens[i].forms:
                key = f"{first} {rest}" if rest else first
                if key not in self._index:
                    continue
                concept = self.resolve(key, written)
                if concept is None or concept in self._languages:
                    continue
                if concept in self._soft and not listed:
                    continue
                if n == 1 and not self._word_counts(key, tokens[i], segment, items, listed):
                    continue
                return concept, n
        return None

    def _word_counts(self, key: str, token: _Token, segment: _Segment, items, listed) -> bool:
        """Whether a one-word hit is a skill here (the rules are in the docstrings)."""
        line = segment.text
        written = line[token.start : token.end]
        before = line[: token.start].rstrip()
        if len(written) == 1:
            # "R" the language, not an initial ("Amina R. Benali") nor "R&D" in pieces.
            after = line[token.end : token.end + 1]
            if after in (".", "&", "'", "’", "-") or before[-1:] in ("&", "-", "'"):
                return False
        if key in _places() or not self._case_fits(key, written):
            return False
        if self._spread.get(key, 0) > GENERIC_WORD:
            return listed and _whole_item(items, line, token)
        return True


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Folded one-word names of countries (EN, FR, AR) and of the cities of the time-zone
    database: "Paris" is where one lives, not "paris" (bets) of the taxonomy."""
    names = {
        fold(name) for locale in ("en", "fr", "ar") for _code, name in geo.country_choices(locale)
    }
    names.update(fold(zone.rsplit("/", 1)[-1].replace("_", " ")) for zone in available_timezones())
    return frozenset(name for name in names if name and " " not in name)


@lru_cache(maxsize=2)
def for_taxonomy(taxonomy: Taxonomy) -> SkillSpotter:
    """The spotter of a taxonomy, built on first use (about a second) and kept."""
    return SkillSpotter(taxonomy)


# -- text into segments and tokens ----------------------------------------------------------


def _plain(text: str) -> str:
    """``text`` without accents, case kept: "Méthodes" -> "Methodes"."""
    if text.isascii():
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def _is_upper(form: str) -> bool:
    letters = [ch for ch in form if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _heading(line: str) -> str | None:
    """The kind of section a heading line opens, or None when the line is not a heading."""
    if any(ch in line for ch in ",;،") or any(ch.isdigit() for ch in line):
        return None
    words = fold(line).split()
    if not words or len(words) > _MAX_HEADING_WORDS:
        return None
    kinds = []
    for word in words:
        if word in _HEADING_FILLERS:
            continue
        kind = next((k for k, stems in _HEADINGS if word.startswith(stems)), None)
        if kind is None:
            return None
        kinds.append(kind)
    # A skills heading wins over the others ("Programming languages", "Skills and interests").
    return min(kinds, key=[k for k, _s in _HEADINGS].index) if kinds else None


def _segments(text: str, kind: str) -> list[_Segment]:
    """Logical lines with the section each stands in. A PDF breaks sentences at the end of
    each printed line: a line goes on in the next when that one starts in lower case, or when
    it was a full line that ended without punctuation."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    full = sorted(len(line) for line in lines)[int(len(lines) * 0.9)] if lines else 0
    segments: list[_Segment] = []
    section = "other"
    joinable = False
    for line in lines:
        heading = _heading(line)
        if heading is not None:
            section = heading
            joinable = False
            continue
        starts_item = _BULLET.match(line) is not None
        if (
            kind == "pdf"
            and joinable
            and not starts_item
            and (line[0].islower() or segments[-1].text[-1] not in _TERMINAL)
        ):
            segments[-1].text += " " + line
        else:
            segments.append(_Segment(_BULLET.sub("", line), section))
        previous = segments[-1].text
        # Only a line filled to the margin goes on, unless the next one starts in lower case.
        joinable = len(line) >= 0.8 * full or previous[-1] in ",(/&-"
        if line[-1] in _TERMINAL:
            joinable = False
    return segments


def _tokens(line: str) -> list[_Token]:
    tokens = []
    for found in _TOKEN.finditer(line):
        raw = found.group(0)
        if raw.lower() in _ELIDED and line[found.end() : found.end() + 1] in _APOSTROPHES:
            continue
        folded = fold(raw)
        if not folded:
            continue
        forms = [folded]
        if _ARABIC.match(raw) and len(raw) >= 4:
            if raw.startswith("لل"):
                forms.append(fold("ال" + raw[2:]))
            elif raw[0] in _PROCLITICS:
                forms.append(fold(raw[1:]))
                if raw[0] in "وف" and raw[1] in "بكل" and len(raw) >= 5:
                    forms.append(fold(raw[2:]))
        tokens.append(_Token(raw, found.start(), found.end(), tuple(dict.fromkeys(forms))))
    return tokens


def _items(line: str) -> list[tuple[int, int]]:
    """Spans of the line's list items: split at separators outside parentheses, at spaced
    dashes, and after a short label ending in a colon ("Methods: a, b")."""
    cuts = [m.start() for m in _DASHES.finditer(line)]
    depth = 0
    label_done = False
    for pos, ch in enumerate(line):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in _SEPARATORS:
            cuts.append(pos)
        elif depth == 0 and ch == ":" and not label_done and len(line[:pos].split()) <= 4:
            cuts.append(pos)
            label_done = True
    spans = []
    start = 0
    for cut in sorted(set(cuts)):
        spans.append((start, cut))
        start = cut + 1
    spans.append((start, len(line)))
    return [(s, e) for s, e in spans if line[s:e].strip()]


_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# An item longer than this is a sentence, not one skill listed (and is not folded again).
_LONGEST_ITEM = 120


def _whole_item(items, line: str, token: _Token) -> bool:
    """Whether the word is a list item by itself ("Logistics, supply chain management"), as a
    level or a detail in parentheses aside ("Excel (advanced)")."""
    n = _item_of(items, token.start)
    if n < 0 or items[n][1] - items[n][0] > _LONGEST_ITEM:
        return False
    start, end = items[n]
    return fold(_PARENTHESES.sub(" ", line[start:end])) in token.forms


# -- levels and proposals -------------------------------------------------------------------


def _item_of(items: list[tuple[int, int]], position: int) -> int:
    """The number of the item holding ``position`` (items are in order), or -1."""
    n = bisect_right(items, (position, float("inf"))) - 1
    return n if n >= 0 and items[n][0] <= position < items[n][1] else -1


def _attach_cues(mentions: list[_Mention], cues: list[LevelCue], items, line: str) -> None:
    """A cue states the level of the skills of its list item ("Python (advanced, 8 years)",
    "5 years of Python and SQL"); a cue alone in its item continues the item before it
    ("SIG – niveau expert, 11 ans"); a cue in a label before a colon, the whole line
    ("Advanced: Python, SQL"). Words state a level more exactly than years do."""
    by_item: dict[int, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        by_item[_item_of(items, mention.start)].append(mention)
    label_end = items[0][1] if items and line[items[0][1] : items[0][1] + 1] == ":" else -1
    for cue in sorted(cues, key=lambda c: (c.text[0].isdigit(), c.start)):
        item = _item_of(items, cue.start)
        if item in by_item:
            targets = by_item[item]
        elif cue.start < label_end:
            targets = mentions
        elif item - 1 in by_item:
            targets = by_item[item - 1]
        else:
            continue
        for mention in targets:
            if mention.cue is None:
                mention.cue = cue


def _phrase(segment: _Segment, start: int, end: int) -> str:
    """The line, shortened around [start, end) to about MAX_PHRASE characters at word ends."""
    text = segment.text
    if len(text) <= MAX_PHRASE:
        return text
    room = max((MAX_PHRASE - (end - start)) // 2, 20)
    left = max(start - room, 0)
    right = min(end + room, len(text))
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text):
        right = text.rfind(" ", end, right) if text.rfind(" ", end, right) > 0 else right
    return ("…" if left > 0 else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _proposals(mentions: Sequence[_Mention], concepts) -> list[Proposal]:
    by_concept: dict[int, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        by_concept[mention.concept].append(mention)
    out = []
    for concept, found in sorted(by_concept.items(), key=lambda item: item[1][0].order):
        cued = [m for m in found if m.cue is not None]
        shown = max(cued, key=lambda m: m.cue.level) if cued else found[0]
        out.append(
            Proposal(
                concept_id=concepts[concept].id,
                matched=shown.segment.text[shown.start : shown.end],
                phrase=_phrase(shown.segment, shown.start, shown.end),
                level=shown.cue.level if shown.cue else None,
                level_cue=shown.cue.text if shown.cue else "",
                mentions=len(found),
            )
        )
    return out[:MAX_PROPOSALS]
