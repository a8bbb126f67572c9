"""Ranking quality of the matching engine on the labelled dev split.

    python bench/quality.py [--experts F] [--projects F] [--qrels F] [--out F] [--ablation]
                            [--record]

Reads experts and projects in the interchange format, normalises skill names with the taxonomy,
ranks the top 10 experts for every project, writes them as `flask match --all --top 10 --json`
would, and scores the file with shared/tools/score_matching.py (its last line is printed).
``--ablation`` also reports what each component of the engine contributes. ``--record`` keeps
the figures in diaspora/matching/measured_quality.json, the one place the public page "how
matching works" reads them from.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diaspora.matching import (  # noqa: E402
    ENGINE_VERSION,
    Candidate,
    Index,
    ProjectNeed,
    SkillSpace,
    Weights,
    factors,
    relatedness,
)
from diaspora.matching.labelled_set import TODAY, build_inputs, read_jsonl  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "matching-dev"
SCORER = SHARED / "tools" / "score_matching.py"
RECORD = ROOT / "diaspora" / "matching" / "measured_quality.json"

Normaliser = Callable[[list[str]], list[str]]


def fold(text: str) -> str:
    """Case, accents and punctuation folded away, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w+#]+", " ", plain).split())


def crude_normaliser() -> tuple[Normaliser, SkillSpace, None]:
    """Stand-in until diaspora.taxonomy exists: exact folded match on ESCO EN/FR labels."""
    esco = SHARED / "data" / "esco"
    labels: dict[str, str] = {}
    paths: dict[str, tuple] = {}
    with gzip.open(esco / "skills_en.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["type"] not in ("preferredLabel", "altLabels"):
                continue
            labels.setdefault(fold(row["description"]), row["id"])
            if row["hierarchy_levels"]:
                levels = ast.literal_eval(row["hierarchy_levels"])
                paths[row["id"]] = tuple(tuple(p) for p in levels)
    with gzip.open(esco / "skills_fr.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            concept = row["conceptUri"].rsplit("/", 1)[-1]
            for label in [row["preferredLabel"], *row["altLabels"].splitlines()]:
                labels.setdefault(fold(label), concept)

    def normalise(names: list[str]) -> list[str]:
        return [labels.get(fold(n), "free:" + fold(n)) for n in names]

    return normalise, SkillSpace(paths=paths), None


def taxonomy_normaliser() -> tuple[Normaliser, SkillSpace, Callable | None]:
    """Skill-name normaliser, skill space and text encoder from diaspora.taxonomy."""
    from diaspora.taxonomy import get_taxonomy

    tax = get_taxonomy()

    def normalise(names: list[str]) -> list[str]:
        keys = []
        for name, n in zip(names, tax.normalise_many(names), strict=True):
            keys.append(n.concept_id or "free:" + " ".join(name.casefold().split()))
        return keys

    class LazyPaths(dict):
        def __missing__(self, key: str) -> tuple:
            value = () if key.startswith("free:") else tax.paths(key)
            self[key] = value
            return value

        def get(self, key: str, default: object = None) -> object:
            return self[key]

    return normalise, SkillSpace(paths=LazyPaths()), tax.encoder


def with_label_vectors(
    space: SkillSpace, candidates: list[Candidate], needs: list[ProjectNeed], encoder: object
) -> SkillSpace:
    """The skill space plus a semantic vector per skill key (its English label, or free name)."""
    from diaspora.taxonomy import get_taxonomy

    tax = get_taxonomy()
    keys = sorted(
        {k for c in candidates for k, _ in c.skills}
        | {k for p in needs for k, _ in (*p.required, *p.nice)}
    )
    labels = [k[5:] if k.startswith("free:") else tax.label(k, lang="en") for k in keys]
    vectors = encoder.encode(labels)
    return SkillSpace(paths=space.paths, vectors=dict(zip(keys, vectors, strict=True)))


def run(
    candidates: list[Candidate],
    needs: list[ProjectNeed],
    space: SkillSpace,
    out: Path,
    qrels: Path,
    weights: Weights | None = None,
) -> str:
    """Rank, write the results file, score it; return the scorer's last line."""
    index = Index.build(candidates, projects=needs, skill_space=space, weights=weights)
    results = index.rank_all(needs, 10, today=TODAY)
    with out.open("w", encoding="utf-8") as fh:
        for need in needs:
            matches = [
                {"expert": s.ref, "score": round(s.score, 6), "explanation": s.explanation}
                for s in results[need.id]
            ]
            fh.write(json.dumps({"project": need.ref, "matches": matches}) + "\n")
    done = subprocess.run(
        [sys.executable, str(SCORER), str(qrels), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def patched(module: object, **values: object) -> Iterator[None]:
    """Temporarily change engine constants (ablation only)."""
    saved = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def ablation(experts, projects, normalise, space, encoder, out, qrels) -> None:
    """Score the engine with one component removed or replaced at a time."""
    base = build_inputs(experts, projects, normalise, encoder)
    skills_only = Weights(
        required_skills=0.8, nice_skills=0.2, text=0, sector=0, hours=0, timezone=0, onsite=0
    )
    none = contextlib.nullcontext
    variants: list[tuple[str, Callable[[], contextlib.AbstractContextManager], dict]] = [
        ("full engine, default weights", none, {}),
        ("skill factors only (weights 0.8/0.2)", none, {"weights": skills_only}),
        ("no co-occurrence (taxonomy priors for all)", lambda: patched(relatedness, SVD_DIM=0), {}),
        ("no hierarchy prior", lambda: patched(relatedness, HIERARCHY_SIMILARITY={}), {}),
        ("exact matches only", lambda: patched(relatedness, RELATED_CREDIT=0), {}),
        ("no rarity (IDF) weighting", lambda: patched(Index, skill_weight=lambda s, k: 1.0), {}),
        ("no level penalty", lambda: patched(factors, LEVEL_GAP_PENALTY=0.0), {}),
    ]
    for name, ctx, kwargs in variants:
        with ctx():
            line = run(*base, space, out, qrels, **kwargs)
        print(f"{name:45s} {line}")
    no_vectors = SkillSpace(paths=space.paths)
    print(f"{'no semantic label vectors':45s} {run(*base, no_vectors, out, qrels)}")
    if encoder is not None:
        no_text = build_inputs(experts, projects, normalise, None)
        print(f"{'no text vectors':45s} {run(*no_text, space, out, qrels)}")
    crude, crude_space, _ = crude_normaliser()
    plain = build_inputs(experts, projects, crude, None)
    print(f"{'crude normaliser (exact EN/FR labels)':45s} {run(*plain, crude_space, out, qrels)}")


def record(line: str, text: bool) -> None:
    """Write the scorer's summary line (``nDCG@10=0.944 P@10=0.967 ...``) to RECORD, with what
    produced it: the engine version, the default weights and the day."""
    figures = dict(part.split("=", 1) for part in line.split())
    data = {
        "ndcg_at_10": float(figures["nDCG@10"]),
        "precision_at_10": float(figures["P@10"]),
        "mrr": float(figures["MRR"]),
        "violations": int(figures["violations"]),
        "engine": ENGINE_VERSION,
        "weights": Weights().as_dict(),
        "text_vectors": text,
        "measured_on": date.today().isoformat(),
        "command": "python bench/quality.py --record",
        "labelled_set": "shared/data/matching-dev (experts.jsonl, projects.jsonl, qrels.json)",
    }
    RECORD.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"recorded in {RECORD.relative_to(ROOT)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--experts", type=Path, default=DEV / "experts.jsonl")
    ap.add_argument("--projects", type=Path, default=DEV / "projects.jsonl")
    ap.add_argument("--qrels", type=Path, default=DEV / "qrels.json")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "dev-results.jsonl")
    ap.add_argument("--no-text", action="store_true", help="do not compute text vectors")
    ap.add_argument("--ablation", action="store_true", help="also report each component's part")
    ap.add_argument("--record", action="store_true", help=f"keep the figures in {RECORD}")
    args = ap.parse_args(argv)

    experts, projects = read_jsonl(args.experts), read_jsonl(args.projects)
    t0 = time.perf_counter()
    try:
        normalise, space, encoder = taxonomy_normaliser()
    except ImportError:
        print("diaspora.taxonomy not available: crude label normaliser", file=sys.stderr)
        normalise, space, encoder = crude_normaliser()
    if args.no_text:
        encoder = None
    print(f"taxonomy loaded in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    t0 = time.perf_counter()
    candidates, needs = build_inputs(experts, projects, normalise, encoder)
    if encoder is not None:
        space = with_label_vectors(space, candidates, needs, encoder)
    print(f"inputs built in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    line = run(candidates, needs, space, args.out, args.qrels)
    print(line)
    if args.record:
        record(line, text=encoder is not None)
    if args.ablation:
        ablation(experts, projects, normalise, space, encoder, args.out, args.qrels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
