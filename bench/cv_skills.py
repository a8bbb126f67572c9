"""Precision and recall of the skills proposed from CVs, against the labelled test set.

python bench/cv_skills.py [--show] [DIR]

Reads every CV labelled in DIR/labels.json (default tests/data/cvs), extracts its text and
spots its skills as the upload does (diaspora.cv), and compares the proposed concepts with the
labels: per language and overall (micro-averaged: every proposal and every label counts once),
and the time per CV after the spotter is built. --show lists, per CV, the proposals that are
not in the labels (+) and the labels that were not proposed (-).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diaspora.cv import spotting  # noqa: E402
from diaspora.cv.extraction import read_cv  # noqa: E402
from diaspora.taxonomy import get_taxonomy  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "cvs"
TARGET_PRECISION, TARGET_RECALL = 0.8, 0.7


def concept_ids(taxonomy, names: list[str]) -> set[str]:
    """Labels are concept ids or English preferred labels; each must name one concept."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for concept in taxonomy.concepts:
        by_label[concept.labels["en"]].append(concept.id)
    ids = set()
    for name in names:
        if taxonomy.get(name) is not None:
            ids.add(name)
        elif len(by_label.get(name, ())) == 1:
            ids.add(by_label[name][0])
        else:
            raise SystemExit(f"label {name!r} names no single concept")
    return ids


def score(found: int, proposed: int, labelled: int) -> tuple[float, float]:
    return (found / proposed if proposed else 1.0, found / labelled if labelled else 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", action="store_true", help="list the misses of each CV")
    args = parser.parse_args()
    labels = json.loads((args.dir / "labels.json").read_text(encoding="utf-8"))["cvs"]
    taxonomy = get_taxonomy()

    started = time.perf_counter()
    spotter = spotting.for_taxonomy(taxonomy)
    spotter.spot("warm-up: Python, machine learning")
    print(f"spotter built in {time.perf_counter() - started:.2f} s (once per process)\n")

    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # found, proposed, labelled, n
    times: list[float] = []
    for name, wanted in labels.items():
        data = (args.dir / name).read_bytes()
        started = time.perf_counter()
        cv = read_cv(data)
        proposals = spotter.spot(cv.text, cv.kind)
        times.append(time.perf_counter() - started)
        proposed = {p.concept_id for p in proposals}
        expected = concept_ids(taxonomy, wanted)
        found = len(proposed & expected)
        for group in (name[:2], "all"):
            tally = totals[group]
            tally[0] += found
            tally[1] += len(proposed)
            tally[2] += len(expected)
            tally[3] += 1
        if args.show:
            precision, recall = score(found, len(proposed), len(expected))
            print(f"{name}: precision {precision:.2f}, recall {recall:.2f}")
            for p in proposals:
                if p.concept_id not in expected:
                    print(f"  + {taxonomy.label(p.concept_id, 'en')!r} from {p.matched!r}")
            for cid in sorted(expected - proposed):
                print(f"  - {taxonomy.label(cid, 'en')!r}")

    print(f"{'CVs':>12} {'n':>3} {'precision':>10} {'recall':>7} {'proposed':>9} {'labelled':>9}")
    for group in ("en", "fr", "ar", "all"):
        found, proposed, labelled, n = totals[group]
        precision, recall = score(found, proposed, labelled)
        print(f"{group:>12} {n:>3} {precision:>10.3f} {recall:>7.3f} {proposed:>9} {labelled:>9}")
    ms = sorted(t * 1000 for t in times)
    print(
        f"\ntime per CV (read + spot): median {statistics.median(ms):.1f} ms, "
        f"max {ms[-1]:.1f} ms over {len(ms)} CVs"
    )
    found, proposed, labelled, _n = totals["all"]
    precision, recall = score(found, proposed, labelled)
    met = precision >= TARGET_PRECISION and recall >= TARGET_RECALL
    print(
        f"targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}: "
        + ("met" if met else "NOT met")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
