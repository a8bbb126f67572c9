"""What a CV says about how well a skill is mastered: a level word ("advanced", "notions",
"متقدم") or a duration ("8 years", "11 ans", "7 سنوات"), turned into the profile's 1–5 scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diaspora.taxonomy import fold

# Words that state a level, on the profile's scale: 1 notions, 2 working knowledge, 3
# autonomous, 4 advanced, 5 expert. Only words that state a level whatever the sentence: "good"
# or "strong" say as much about results as about mastery, French "bases" also means databases.
_WORDS = {
    "beginner": 1,
    "basic": 1,
    "notions": 1,
    "elementary": 1,
    "working knowledge": 2,
    "familiar with": 2,
    "intermediate": 3,
    "proficient": 4,
    "advanced": 4,
    "expert": 5,
    "débutant": 1,
    "débutante": 1,
    "intermédiaire": 3,
    "autonome": 3,
    "avancé": 4,
    "avancée": 4,
    "maîtrise": 4,
    "experte": 5,
    "مبتدئ": 1,
    "أساسي": 2,
    "متوسط": 3,
    "متقدم": 4,
    "خبير": 5,
    "خبيرة": 5,
}
# Compared folded, like the skills: case, accents, plurals and the Arabic article do not count.
LEVEL_WORDS: dict[str, int] = {fold(word): level for word, level in _WORDS.items()}
_LONGEST_WORDS = max(len(k.split()) for k in LEVEL_WORDS)

# A number of years: "8 years", "8+ yrs", "11 ans", "dix ans" is not read (numbers in words
# vary too much), "7 سنوات". \d matches every script's digits, and int() reads them.
_YEARS = re.compile(
    r"(?<!\w)(\d{1,2})\s*\+?\s*(?:years?|yrs?|ans|années|an|سنوات|سنة|سنين|عاما|عامًا|أعوام)(?!\w)",
    re.IGNORECASE,
)
# Past this a number is not a duration of practice (an age, a count).
_MAX_YEARS = 45


@dataclass(frozen=True)
class LevelCue:
    """Words of the CV that state a level, where they are (offsets in the line) and the level."""

    start: int
    end: int
    text: str
    level: int


def level_for_years(years: int) -> int:
    """Years of practice on the profile's scale: under 1 notions, 1–2 working knowledge, 3–5
    autonomous, 6–9 advanced, 10 and more expert."""
    if years < 1:
        return 1
    if years <= 2:
        return 2
    if years <= 5:
        return 3
    if years <= 9:
        return 4
    return 5


def find_cues(line: str, words: list[tuple[str, int, int]]) -> list[LevelCue]:
    """The level cues of one line; ``words`` are its folded words with their offsets."""
    cues = []
    for found in _YEARS.finditer(line):
        years = int(found.group(1))
        if years <= _MAX_YEARS:
            level = level_for_years(years)
            cues.append(LevelCue(found.start(), found.end(), found.group(0), level))
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST_WORDS, len(words) - i), 0, -1):
            key = " ".join(w for w, _s, _e in words[i : i + n])
            level = LEVEL_WORDS.get(key)
            if level:
                start, end = words[i][1], words[i + n - 1][2]
                cues.append(LevelCue(start, end, line[start:end], level))
                i += n
                break
        else:
            i += 1
    return sorted(cues, key=lambda c: c.start)
