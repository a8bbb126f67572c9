"""Print response times of the skill autocomplete endpoint, GET /api/skills, through the whole
Flask stack (routing, locale, JSON), as a person typing letter by letter would cause.

python bench/autocomplete.py

The first request builds the suggestion index and is reported apart; the rest is what every
keystroke costs once the process is warm.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diaspora import create_app  # noqa: E402

WORDS = {
    "fr": [
        "apprentissage automatique",
        "vision par ordinateur",
        "gestion de projet",
        "santé publique",
        "traitement du langage naturel",
        "irrigation",
    ],
    "ar": ["تعلم الآلة", "الرؤية الحاسوبية", "إدارة المشاريع", "الصحة العامة", "الري"],
    "en": [
        "machine learning",
        "computer vision",
        "project management",
        "public health",
        "natural language processing",
        "python",
        "data",
    ],
}
BUDGET_MS = 100


def main() -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    client = app.test_client()

    started = time.perf_counter()
    client.get("/api/skills", query_string={"q": "a", "lang": "fr"})
    print(f"first request (builds the index)   {(time.perf_counter() - started) * 1000:8.1f} ms")

    per_lang: dict[str, list[float]] = {}
    for lang, words in WORDS.items():
        for word in words:
            for end in range(2, len(word) + 1):  # the script asks from the second letter on
                started = time.perf_counter()
                response = client.get("/api/skills", query_string={"q": word[:end], "lang": lang})
                per_lang.setdefault(lang, []).append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    every = [t for times in per_lang.values() for t in times]
    print(f"{'lang':6}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for lang, times in [*per_lang.items(), ("all", every)]:
        times = sorted(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{lang:6}{len(times):10d}{statistics.median(times):10.2f}{p95:10.2f}{times[-1]:10.2f}"
        )
    slow = sum(t > BUDGET_MS for t in every)
    print(f"requests over {BUDGET_MS} ms: {slow} of {len(every)}")


if __name__ == "__main__":
    main()
