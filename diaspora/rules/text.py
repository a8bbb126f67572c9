"""The characters typed text never keeps, and the functions that clean text of them.

One definition for pages, services and the import:

- control characters: C0 (but tab, line feed and carriage return, which are whitespace), DEL
  and C1. They mean nothing in text, and PostgreSQL refuses NUL outright.
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
  reorder how the characters after them are shown, so a name or a title can be made to read
  as something else (U+202E then "moc.live" shows as "evil.com").
- zero-width characters (U+200B, U+2060–U+2064, U+FEFF): invisible, they make two names that
  look the same differ, and one that looks harmless hide a word.
- the zero-width non-joiner and joiner (U+200C, U+200D): dropped from one-line text (names,
  titles, skills), where they mostly disguise; kept in prose (bios, descriptions), where
  Persian spelling uses the non-joiner and emoji sequences (woman, ZWJ, laptop: a woman
  technologist) need the joiner. Ordinary Arabic writing uses neither, its letters join by
  themselves; dropping a non-joiner from a Persian name shows two letters joined, it removes
  no letter.

Kept everywhere: the marks LRM, RLM and ALM (U+200E, U+200F, U+061C). People typing Arabic
mixed with Latin words or digits use them to place punctuation; unlike overrides they cannot
reverse the order of letters.

A text with nothing to see (only whitespace, those marks or other format characters, combining
marks without a letter, or the blank "filler" letters of Hangul and Braille) is cleaned to "":
a required name, title or reason made of it is missing, not an invisible one.
"""

import re
import unicodedata

_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = r"\u200b\u2060-\u2064\ufeff"
_JOINERS = r"\u200c\u200d"

# Letters and symbols that draw nothing: Hangul fillers and the blank Braille pattern.
_BLANK_SYMBOLS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Format characters, and combining marks, which show only on a letter.
_DRAWS_NOTHING = frozenset({"Cf", "Mn", "Me"})

_CONTROL_CHARACTERS = re.compile(f"[{_CONTROL}]")
_HIDDEN_IN_LINE = re.compile(f"[{_CONTROL}{_BIDI_CONTROLS}{_ZERO_WIDTH}{_JOINERS}]")
_HIDDEN_IN_PROSE = re.compile(f"[{_CONTROL}{_BIDI_CONTROLS}{_ZERO_WIDTH}]")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (tab and line breaks are not ones)."""
    return _CONTROL_CHARACTERS.search(text) is not None


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing at all (see above): empty, whitespace, direction marks…"""
    return all(
        ch.isspace() or ch in _BLANK_SYMBOLS or unicodedata.category(ch) in _DRAWS_NOTHING
        for ch in text
    )


def drop_hidden(text: str, multiline: bool = False) -> str:
    """``text`` without the characters above; whitespace, tab and line breaks included, stays
    as it is. ``multiline`` keeps the joiners of prose."""
    return (_HIDDEN_IN_PROSE if multiline else _HIDDEN_IN_LINE).sub("", text)


def clean_line(text: str) -> str:
    """One line (a name, a title, a skill): hidden characters dropped, each run of whitespace,
    line breaks included, made one space, trimmed; "" when nothing of it shows."""
    line = " ".join(drop_hidden(text).split())
    return "" if is_blank(line) else line


def clean_text(text: str) -> str:
    """Prose (a bio, a description, a reason): hidden characters dropped, line breaks made
    ``\\n``, trimmed at both ends; "" when nothing of it shows."""
    prose = drop_hidden(text.replace("\r\n", "\n").replace("\r", "\n"), multiline=True).strip()
    return "" if is_blank(prose) else prose
