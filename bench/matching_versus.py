"""This checkout's matching engine against another revision's, in one process and in turns.

    python bench/matching_versus.py REV [--experts 100000] [--projects 1000] [--rounds 4]

On a shared machine two runs of bench/matching.py differ by more than two versions of the
engine do. Here both engines (REV's diaspora/matching, taken with `git archive`, and this
checkout's) build and rank bench/matching.py's synthetic data in alternation, so that both see
the same load, and CPU time is printed beside wall time. Per engine: the index build, ranking
200 projects (wall p50/p95, CPU per ranking), the same once 2,000 experts have changed their
skills, and the update of one expert. It stops if the two rank any project differently.
"""

from __future__ import annotations

import importlib.util
import io
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.matching import TODAY, sizes, synthetic  # noqa: E402
from diaspora.matching import Index  # noqa: E402

CHANGES = 2_000


def engine_at(rev: str, into: Path) -> type:
    """The ``Index`` of ``rev``'s diaspora/matching, imported under a name of its own."""
    archive = subprocess.run(
        ["git", "archive", rev, "diaspora/matching"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as files:
        files.extractall(into, filter="data")
    package = into / "diaspora" / "matching"
    spec = importlib.util.spec_from_file_location(
        "matching_then", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its relative imports find it there
    spec.loader.exec_module(module)
    return module.Index


def timed(call, *args, **kwargs):
    """What ``call`` returns, its wall time and the CPU time of every thread of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def in_turns(names: list[str], round_: int) -> list[str]:
    """Who goes first alternates from one round to the next."""
    return names if round_ % 2 == 0 else names[::-1]


def rank_all(indexes: dict, projects, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Each project ranked by each engine in turn; (wall, CPU) per ranking."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in indexes}
    for round_ in range(rounds):
        for project in projects:
            ranked = {}
            for name in in_turns(list(indexes), round_):
                result, wall, cpu = timed(indexes[name].rank, project, 10, today=TODAY)
                ranked[name] = [(r.candidate_id, r.score) for r in result]
                times[name].append((wall, cpu))
            if len({tuple(r) for r in ranked.values()}) > 1:
                raise SystemExit(f"the engines rank {project.ref} differently")
    return times


def row(what: str, cells) -> None:
    print(f"{what:<34}" + "".join(f"{cell:<36}" for cell in cells))


def ranking_row(what: str, times: dict[str, list[tuple[float, float]]]) -> None:
    cells = []
    for runs in times.values():
        walls = sorted(wall for wall, _ in runs)
        p95 = walls[min(len(walls) - 1, int(0.95 * len(walls)))]
        cpu = statistics.mean(cpu for _, cpu in runs)
        cells.append(
            f"{statistics.median(walls) * 1e3:.1f} / {p95 * 1e3:.1f} ms, CPU {cpu * 1e3:.2f} ms"
        )
    row(what, cells)


def compare(args, engines: dict[str, type]) -> None:
    candidates, projects = synthetic(args)
    builds: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
    indexes: dict[str, object] = dict.fromkeys(engines)
    for round_ in range(args.rounds):
        for name in in_turns(list(engines), round_):
            indexes[name] = None  # one index per engine alive at a time
            indexes[name], wall, cpu = timed(engines[name].build, candidates, projects=projects)
            builds[name].append((wall, cpu))
    print(f"{len(candidates):,} experts, {len(projects):,} projects, {args.rounds} rounds")
    row("", engines)
    medians = (
        (statistics.median(w for w, _ in b), statistics.median(c for _, c in b))
        for b in builds.values()
    )
    row("index build (median)", (f"{wall:.2f} s, CPU {cpu:.2f} s" for wall, cpu in medians))
    sample = projects[:200]
    ranking_row("rank p50 / p95, CPU per ranking", rank_all(indexes, sample, args.rounds))
    rng = random.Random(args.seed)
    updates: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(CHANGES):
        changed = replace(rng.choice(candidates), skills=rng.choice(candidates).skills)
        for name, index in indexes.items():
            updates[name].append(timed(index.update_candidate, changed)[1])
    ranking_row(f"the same after {CHANGES:,} changes", rank_all(indexes, sample, 1))
    row(
        "update one expert (p50)",
        (f"{statistics.median(u) * 1e3:.2f} ms" for u in updates.values()),
    )
    print("both engines ranked every project the same, before and after the changes")


def main() -> int:
    ap = sizes(__doc__)
    ap.add_argument("rev", help="the revision to compare with, e.g. a256c0e")
    ap.add_argument("--rounds", type=int, default=4, help="builds and ranking passes per engine")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        compare(args, {args.rev: engine_at(args.rev, Path(tmp)), "this checkout": Index})
    return 0


if __name__ == "__main__":
    sys.exit(main())
