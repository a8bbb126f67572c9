"""Measure how well free-typed names are placed, on a test set built from the taxonomy itself.

    python -m diaspora.taxonomy.evaluate [--per-category N] [--seed S] [--no-semantic]

Categories (deterministic for a seed):

- ``held_out_synonym``: an ESCO English synonym, *removed from the index* while it is tested,
  so it has to be found by typo search or by meaning, as a synonym nobody listed would be;
- ``french``: a French ESCO label (preferred or alternative);
- ``typo``: an English preferred label with one random edit (insert, delete, substitute, swap);
- ``variant``: an English label upper-cased, title-cased or with its last word pluralised;
- ``abbreviation``: an acronym, from ESCO synonyms (all capitals) or our curated aliases;
- ``nonsense``: random letters and out-of-taxonomy phrases, which must stay free skills;
- ``arabic``, ``arabic_transliterated``, ``arabic_abbreviation``: names typed in Arabic script
  the way people type them (MSA with spelling variants: no hamza, ة/ه, ى/ي, with or without
  the article; English terms and abbreviations written in Arabic letters), each with the
  concept a reader would expect. Written by hand, not drawn from the taxonomy, and not copies
  of our Arabic labels: ``tests/data/taxonomy/arabic_names.csv`` (every row, whatever
  ``--per-category``).

Each is scored against a naive baseline: exact match of the lower-cased, trimmed name over all
ESCO labels. Accuracy = the expected concept (or "free" for nonsense) is returned.
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Taxonomy, get_taxonomy
from .concepts import Normalised
from .folding import fold

CATEGORIES = (
    "held_out_synonym",
    "french",
    "typo",
    "variant",
    "abbreviation",
    "nonsense",
    "arabic",
    "arabic_transliterated",
    "arabic_abbreviation",
)
ARABIC_NAMES = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "taxonomy" / "arabic_names.csv"
)
_ARABIC_KINDS = {
    "variant": "arabic",
    "transliteration": "arabic_transliterated",
    "abbreviation": "arabic_abbreviation",
}

# Phrases no skill taxonomy should place confidently; mixed languages on purpose.
_OUT_OF_DOMAIN = [
    "cuisine marocaine",
    "favourite football team",
    "my grandmother's recipes",
    "blue sky",
    "je ne sais pas",
    "qwerty uiop",
    "hello world again",
    "chat noir",
    "summer holidays",
    "lorem ipsum dolor",
    "pizza margherita",
    "random words here",
    "n/a",
    "asdf jkl",
    "weekend plans",
    "الطقس جميل اليوم",
    "كرة القدم",
    "bonjour tout le monde",
    "the cat sat on the mat",
    "xylophone zebra",
    "banana republic",
    "vacances à la plage",
]


@dataclass(frozen=True, slots=True)
class Case:
    """One test name, the concept expected (None: must stay free) and keys to hold out."""

    category: str
    name: str
    expected: str | None
    held_out: frozenset[str] = frozenset()


def _typo(text: str, rng: random.Random) -> str:
    letters = string.ascii_lowercase
    pos = rng.randrange(len(text))
    op = rng.choice(("insert", "delete", "substitute", "swap"))
    if op == "insert":
        return text[:pos] + rng.choice(letters) + text[pos:]
    if op == "delete":
        return text[:pos] + text[pos + 1 :]
    if op == "substitute":
        return text[:pos] + rng.choice(letters.replace(text[pos].lower(), "")) + text[pos + 1 :]
    pos = min(pos, len(text) - 2)
    return text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]


def _pluralise(text: str) -> str:
    words = text.split()
    last = words[-1]
    if last.endswith("s"):
        words[-1] = last[:-1]
    elif last.endswith("y") and len(last) > 3:
        words[-1] = last[:-1] + "ies"
    else:
        words[-1] = last + "s"
    return " ".join(words)


def build_cases(tax: Taxonomy, per_category: int = 500, seed: int = 13) -> list[Case]:
    """A deterministic test set drawn from ``tax``: ``per_category`` cases per category."""
    rng = random.Random(seed)
    index = tax.normaliser.index
    concepts = [c for c in tax.concepts if c.source == "esco"]

    def owned_by_one(label: str) -> bool:
        return len({i for i, _ in index.entries(fold(label))}) == 1

    def sample(pool: list[Case]) -> list[Case]:
        return rng.sample(pool, min(per_category, len(pool)))

    cases: list[Case] = []
    synonyms = [
        Case("held_out_synonym", alt, c.id, frozenset({fold(alt)}))
        for c in concepts
        for alt in c.alt_labels.get("en", ())
        if owned_by_one(alt) and fold(alt) != fold(c.labels["en"])
    ]
    cases += sample(synonyms)
    french = [
        Case("french", label, c.id)
        for c in concepts
        for label in (c.labels.get("fr"), *c.alt_labels.get("fr", ()))
        if label and owned_by_one(label)
    ]
    cases += sample(french)
    prefs = [c for c in concepts if len(c.labels["en"]) >= 5 and owned_by_one(c.labels["en"])]
    cases += [
        Case("typo", _typo(c.labels["en"], rng), c.id)
        for c in sample_list(prefs, per_category, rng)
    ]
    variants = []
    for c in sample_list(prefs, per_category, rng):
        label = c.labels["en"]
        style = rng.choice(("upper", "title", "plural"))
        text = (
            label.upper()
            if style == "upper"
            else label.title()
            if style == "title"
            else _pluralise(label)
        )
        variants.append(Case("variant", text, c.id))
    cases += variants
    abbreviations = [
        Case("abbreviation", label, c.id)
        for c in tax.concepts
        for label in (*c.alt_labels.get("en", ()), *c.aliases)
        if 2 <= len(label) <= 6 and label.isupper() and label.isalpha() and owned_by_one(label)
    ]
    cases += sample(abbreviations)
    nonsense = [
        Case(
            "nonsense",
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12))),
            None,
        )
        for _ in range(max(per_category - len(_OUT_OF_DOMAIN), 0))
    ] + [Case("nonsense", text, None) for text in _OUT_OF_DOMAIN]
    cases += (
        nonsense[:per_category] if per_category >= len(_OUT_OF_DOMAIN) else nonsense[-per_category:]
    )
    return cases


def arabic_cases(tax: Taxonomy, path: Path = ARABIC_NAMES) -> list[Case]:
    """The hand-written Arabic names of ``path`` (columns name, id, en, kind)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    labels = {label for c in tax.concepts for label in c.all_labels()}
    cases = []
    for row in rows:
        concept = tax.get(row["id"])
        if concept is None or concept.labels["en"] != row["en"]:
            raise ValueError(f"{path.name}: {row['name']!r} expects {row['id']} ({row['en']})")
        cases.append(Case(_ARABIC_KINDS[row["kind"]], row["name"], row["id"]))
    copies = [c.name for c in cases if c.name in labels]
    if copies:
        # A name copied from our labels measures nothing; reword it in the data file.
        print(f"warning: {len(copies)} Arabic test names are labels themselves: {copies[:10]}")
    return cases


def sample_list(items: Sequence, k: int, rng: random.Random) -> list:
    """``rng.sample`` that tolerates ``k`` larger than the population."""
    return rng.sample(list(items), min(k, len(items)))


def naive_baseline(tax: Taxonomy) -> Callable[[Case], str | None]:
    """Exact match of the lower-cased name over every ESCO label, first concept wins."""
    table: dict[str, str] = {}
    for c in tax.concepts:
        if c.source != "esco":
            continue
        for label in (*c.labels.values(), *c.alt_labels.get("en", ()), *c.alt_labels.get("fr", ())):
            table.setdefault(" ".join(label.lower().split()), c.id)

    def resolve(case: Case) -> str | None:
        key = " ".join(case.name.lower().split())
        if case.held_out and fold(case.name) in case.held_out:
            return None  # the baseline is denied the held-out synonym too
        return table.get(key)

    return resolve


def run_pipeline(tax: Taxonomy, cases: Sequence[Case], semantic: bool = True) -> list[Normalised]:
    """Normalise every case with its held-out keys removed; semantic step batched."""
    norm = tax.normaliser
    results: list[Normalised | None] = [norm.resolve_lexical(c.name, c.held_out) for c in cases]
    pending = [i for i, r in enumerate(results) if r is None and fold(cases[i].name)]
    if semantic and pending:
        exclude = None
        embeddings = norm.embeddings()
        if embeddings is not None:
            positions: dict[str, set[int]] = defaultdict(set)
            for pos, label in enumerate(embeddings.labels):
                positions[fold(label)].add(pos)
            exclude = [
                frozenset().union(*(positions.get(k, set()) for k in cases[i].held_out))
                for i in pending
            ]
        found = norm.resolve_semantic([cases[i].name for i in pending], exclude)
        for i, hit in zip(pending, found, strict=True):
            results[i] = hit
    return [
        r if r is not None else Normalised(None, c.name, "free", 0.0)
        for r, c in zip(results, cases, strict=True)
    ]


def report(
    tax: Taxonomy, cases: Sequence[Case], semantic: bool = True
) -> dict[str, dict[str, float]]:
    """Accuracy per category for the pipeline and the naive baseline; prints a table."""
    baseline = naive_baseline(tax)
    started = time.perf_counter()
    results = run_pipeline(tax, cases, semantic)
    elapsed = time.perf_counter() - started
    per: dict[str, Counter[str]] = defaultdict(Counter)
    methods: dict[str, Counter[str]] = defaultdict(Counter)
    for case, result in zip(cases, results, strict=True):
        counts = per[case.category]
        counts["n"] += 1
        counts["ok"] += result.concept_id == case.expected
        counts["base"] += baseline(case) == case.expected
        methods[case.category][result.method] += 1
        if result.method == "semantic":
            counts["sem"] += 1
            counts["sem_ok"] += result.concept_id == case.expected
    table: dict[str, dict[str, float]] = {}
    print(f"{'category':22} {'n':>5} {'ours':>7} {'naive':>7}  methods")
    for category in [*CATEGORIES, "overall"]:
        counts = sum(per.values(), Counter()) if category == "overall" else per.get(category)
        if not counts:
            continue
        n = counts["n"]
        row = {"n": n, "accuracy": counts["ok"] / n, "naive": counts["base"] / n}
        if counts["sem"]:
            row["semantic_precision"] = counts["sem_ok"] / counts["sem"]
        table[category] = row
        how = (
            ", ".join(f"{m} {k}" for m, k in methods[category].most_common())
            if category != "overall"
            else ""
        )
        print(f"{category:22} {n:5d} {row['accuracy']:7.1%} {row['naive']:7.1%}  {how}")
    semantic_rows = {k: v for k, v in table.items() if "semantic_precision" in v}
    for category, row in semantic_rows.items():
        print(f"  semantic answers in {category}: precision {row['semantic_precision']:.1%}")
    print(
        f"{len(cases)} names in {elapsed:.2f} s ({elapsed / len(cases) * 1000:.2f} ms/name, "
        f"semantic {'on' if semantic else 'off'})"
    )
    return table


def threshold_sweep(tax: Taxonomy, cases: Sequence[Case]) -> None:
    """Print, per cosine threshold, what the semantic step would add and what it would break."""
    norm = tax.normaliser
    saved = norm.semantic_threshold
    norm.semantic_threshold = -1.0  # let every nearest label through, then filter here
    try:
        results = run_pipeline(tax, cases, semantic=True)
    finally:
        norm.semantic_threshold = saved
    rows = [
        (r.confidence, r.concept_id == c.expected, c.category)
        for r, c in zip(results, cases, strict=True)
        if r.method == "semantic"
    ]
    print("semantic threshold sweep (names not placed lexically):")
    print(f"{'threshold':>9} {'placed':>7} {'correct':>8} {'precision':>9} {'nonsense placed':>16}")
    for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        kept = [(ok, cat) for score, ok, cat in rows if score >= threshold]
        correct = sum(ok for ok, _ in kept)
        junk = sum(cat == "nonsense" for _, cat in kept)
        precision = correct / len(kept) if kept else 0.0
        print(f"{threshold:9.2f} {len(kept):7d} {correct:8d} {precision:9.1%} {junk:16d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate skill-name normalisation.")
    parser.add_argument("--per-category", type=int, default=500)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="also sweep the semantic threshold")
    parser.add_argument(
        "--embed-synonyms", action="store_true", help="embed ESCO synonyms too (slow, large)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="a taxonomy.json.gz other than the shipped one (built with "
        "python -m diaspora.taxonomy.build --arabic DIR --out DIR)",
    )
    parser.add_argument(
        "--only", choices=CATEGORIES, nargs="+", help="report only these categories"
    )
    args = parser.parse_args(argv)
    tax = Taxonomy.load(args.data) if args.data else get_taxonomy()
    tax.normaliser.embed_synonyms = args.embed_synonyms
    cases = build_cases(tax, args.per_category, args.seed) + arabic_cases(tax)
    if args.only:
        cases = [c for c in cases if c.category in args.only]
    report(tax, cases, semantic=False)
    if not args.no_semantic:
        print()
        report(tax, cases, semantic=True)
        if args.sweep:
            print()
            threshold_sweep(tax, cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
