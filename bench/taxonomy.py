"""Print timing figures of the skill taxonomy: load, index builds, normalise, autocomplete.

python bench/taxonomy.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diaspora.taxonomy.catalogue import Taxonomy  # noqa: E402

DEV_EXPERTS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "matching-dev" / "experts.jsonl"
)


def timed(label: str, fn):
    started = time.perf_counter()
    value = fn()
    print(f"{label:42} {(time.perf_counter() - started) * 1000:9.1f} ms")
    return value


def main() -> None:
    tax = timed("load data file", Taxonomy.load)
    timed("build alias index (first normalise)", lambda: tax.normaliser.index)
    timed("build autocomplete index (first suggest)", lambda: tax.suggest("a"))
    timed("label embeddings (compute or read cache)", tax.normaliser.embeddings)
    names = [
        "machine learning",
        "vision par ordinateur",
        "تعلم الآلة",
        "project managment",
        "tools for software configuration manaegment",
        "IT system programming",
        "zzzz",
    ]
    if DEV_EXPERTS.exists():
        names = sorted(
            {s["name"] for line in DEV_EXPERTS.open() for s in json.loads(line)["skills"]}
        )
    lexical = []
    for name in names:
        started = time.perf_counter()
        tax.normaliser.resolve_lexical(name)
        lexical.append((time.perf_counter() - started) * 1000)
    print(
        f"lexical steps, {len(names)} names: median {statistics.median(lexical):.3f} ms, "
        f"p95 {sorted(lexical)[int(len(lexical) * 0.95)]:.3f} ms, max {max(lexical):.1f} ms"
    )
    started = time.perf_counter()
    results = tax.normalise_many(names)
    elapsed = time.perf_counter() - started
    print(
        f"normalise_many, {len(names)} names (semantic batched): {elapsed * 1000:.0f} ms "
        f"({elapsed / len(names) * 1000:.2f} ms/name)"
    )
    free = [n for n in names if n.strip()][:1] or ["x"]
    started = time.perf_counter()
    for _ in range(20):
        tax.normalise("some skill nobody listed " + free[0])
    per_call = (time.perf_counter() - started) / 20 * 1000
    print(f"normalise one name reaching the semantic step: {per_call:.1f} ms")
    methods: dict[str, int] = {}
    for r in results:
        methods[r.method] = methods.get(r.method, 0) + 1
    print("methods:", methods)
    queries = ["a", "ma", "mach", "vision par", "python", "تعل", "gestion de", "statis", "zzzz"]
    started = time.perf_counter()
    for q in queries * 50:
        tax.suggest(q, "fr", 10)
    print(f"suggest: {(time.perf_counter() - started) / (len(queries) * 50) * 1000:.3f} ms/query")


if __name__ == "__main__":
    main()
