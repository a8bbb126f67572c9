"""Scale benchmark of the matching engine on synthetic data.

    python bench/matching.py [--experts 100000] [--projects 1000] [--skills 3000] [--seed 1]

Generates experts and projects in the interchange format (seeded; occupations drawn over a few
thousand skill keys with Zipf-like popularity, as real profiles are), builds the index, and
prints: index build time, single-project ranking p50/p95, a full recompute of every project
(progress bar on stderr), peak memory, and the speed of the vectorised path against the plain
per-pair definition of the same score (``diaspora.matching.scoring.score_pair``).
Targets at 100,000 experts: p50 <= 20 ms, full recompute of 1,000 projects <= 30 s,
peak memory <= 1.5 GB, vectorised >= 100x faster per pair.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.quality import build_inputs  # noqa: E402
from diaspora.matching import Candidate, Index, ProjectNeed  # noqa: E402
from diaspora.matching.scoring import score_pair  # noqa: E402
from diaspora.vocabulary import SECTORS  # noqa: E402

TODAY = date(2026, 6, 1)
TIMEZONES = (
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/London",
    "America/Montreal",
    "America/New_York",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Tokyo",
)
TEXT_DIM = 512  # the taxonomy's sentence encoder


def occupations(rng: np.random.Generator, n_skills: int, n_occupations: int) -> list[np.ndarray]:
    """Each occupation: 20-50 skills, common skills (low ids) shared by many occupations."""
    popularity = 1.0 / np.arange(1, n_skills + 1) ** 0.8
    popularity /= popularity.sum()
    return [
        rng.choice(n_skills, size=rng.integers(20, 51), replace=False, p=popularity)
        for _ in range(n_occupations)
    ]


def skill_name(i: int) -> str:
    return f"skill {i:05d}"


def make_experts(rng, jobs, n_skills, job_of, first) -> list[dict]:
    """Experts in the interchange format, one per entry of ``job_of`` (their occupation)."""
    experts = []
    for i, job in enumerate(job_of, first):
        pool = jobs[job]
        own = rng.choice(pool, size=max(1, int(len(pool) * rng.uniform(0.3, 0.6))), replace=False)
        extra = rng.integers(0, n_skills, size=rng.integers(2, 5))
        skills = {int(k): int(rng.integers(1, 6)) for k in (*own, *extra)}
        languages = [{"code": "ar", "level": "native"}]
        languages.append({"code": "fr", "level": str(rng.choice(["B1", "B2", "C1", "C2"]))})
        if rng.random() < 0.6:
            languages.append({"code": "en", "level": str(rng.choice(["B2", "C1"]))})
        modes = [m for m in ("remote", "short_mission", "long_term") if rng.random() < 0.6]
        experts.append(
            {
                "ref": f"E-{i:06d}",
                "full_name": f"Expert {i}",
                "email": f"expert{i}@example.org",
                "residence": {
                    "country": "FR",
                    "city": "Paris",
                    "timezone": str(rng.choice(TIMEZONES)),
                },
                "languages": languages,
                "skills": [{"name": skill_name(k), "level": lv} for k, lv in skills.items()],
                "sectors": list(rng.choice(SECTORS, size=rng.integers(0, 4), replace=False)),
                "modes": modes or ["remote"],
                "hours_per_month": int(rng.choice([4, 8, 10, 16, 20, 40])),
                "bio": "",
                "consent_matching": bool(rng.random() > 0.03),
            }
        )
    return experts


def intern_names(names: list[str]) -> list[str]:
    """The benchmark's names are already skill keys; share one string object per key."""
    return [sys.intern(n) for n in names]


def make_projects(rng, jobs, n) -> tuple[list[dict], np.ndarray]:
    job_of = rng.integers(0, len(jobs), size=n)
    projects = []
    for i, job in enumerate(job_of):
        picked = rng.choice(jobs[job], size=min(len(jobs[job]), rng.integers(4, 11)), replace=False)
        n_required = min(len(picked), int(rng.integers(4, 8)))
        projects.append(
            {
                "ref": f"P-{i:05d}",
                "title": f"Project {i}",
                "description": "",
                "sector": str(rng.choice(SECTORS)),
                "skills": [
                    {
                        "name": skill_name(int(k)),
                        "level": int(rng.integers(2, 5)),
                        "required": j < n_required,
                    }
                    for j, k in enumerate(picked)
                ],
                "languages": [str(rng.choice(["fr", "ar", "en"]))] if rng.random() < 0.8 else [],
                "mode": str(rng.choice(["remote", "remote", "hybrid", "short_mission"])),
                "hours_per_month": int(rng.choice([4, 8, 12, 20])),
                "seats": int(rng.integers(1, 4)),
            }
        )
    return projects, job_of


def text_vectors(rng, job_of: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Stand-in sentence embeddings: the occupation's centroid plus noise, L2-normalised.

    Built in float32 chunks so that generating them does not dominate the peak memory.
    """
    out = np.empty((len(job_of), centroids.shape[1]), dtype=np.float32)
    for start in range(0, len(job_of), 10_000):
        rows = job_of[start : start + 10_000]
        noise = rng.standard_normal(size=(len(rows), centroids.shape[1]), dtype=np.float32)
        chunk = centroids[rows] + 0.08 * noise
        out[start : start + len(rows)] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return out


class ProgressBar:
    """A one-line progress bar on stderr, redrawn when it visibly moves."""

    width = 40

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.drawn = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total
        if filled == self.drawn and done != total:
            return
        self.drawn = filled
        elapsed = time.perf_counter() - self.started
        bar = "#" * filled + "." * (self.width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} {elapsed:.1f}s")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def synthetic(args: argparse.Namespace) -> tuple[list[Candidate], list[ProjectNeed]]:
    """The benchmark's experts and projects, seeded by ``args.seed`` (see the module doc)."""
    rng = np.random.default_rng(args.seed)
    jobs = occupations(rng, args.skills, args.occupations)
    project_records, project_jobs = make_projects(rng, jobs, args.projects)
    expert_jobs = rng.integers(0, len(jobs), size=args.experts)
    # Converted in chunks, as an import would stream a file; names interned as taxonomy ids are.
    candidates, projects = [], []
    for start in range(0, args.experts, 10_000):
        chunk = expert_jobs[start : start + 10_000]
        records = make_experts(rng, jobs, args.skills, chunk, start)
        candidates += build_inputs(records, [], intern_names, None)[0]
    projects = build_inputs([], project_records, intern_names, None)[1]
    centroids = rng.standard_normal(size=(args.occupations, TEXT_DIM), dtype=np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    days = rng.integers(0, 450, size=len(candidates))
    pending = rng.poisson(1.5, size=len(candidates))
    candidates = [
        dataclasses.replace(
            c,
            text_vector=v,
            confirmed_at=TODAY - timedelta(days=int(d)),
            pending_invitations=int(p),
        )
        for c, v, d, p in zip(
            candidates, text_vectors(rng, expert_jobs, centroids), days, pending, strict=True
        )
    ]
    projects = [
        dataclasses.replace(p, text_vector=v)
        for p, v in zip(projects, text_vectors(rng, project_jobs, centroids), strict=True)
    ]
    return candidates, projects


def sizes(description: str) -> argparse.ArgumentParser:
    """The options that size the synthetic data (shared with bench/matching_versus.py)."""
    ap = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--experts", type=int, default=100_000)
    ap.add_argument("--projects", type=int, default=1_000)
    ap.add_argument("--skills", type=int, default=3_000, help="distinct skill keys")
    ap.add_argument("--occupations", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = sizes(__doc__)
    ap.add_argument("--pairs", type=int, default=3_000, help="pairs for the per-pair timing")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    candidates, projects = synthetic(args)
    nnz = sum(len(c.skills) for c in candidates)
    print(
        f"generated {len(candidates):,} experts ({nnz:,} skills), {len(projects):,} projects, "
        f"{args.skills:,} skill keys in {time.perf_counter() - t0:.1f}s"
    )

    before_build = peak_rss_mb()
    t0 = time.perf_counter()
    index = Index.build(candidates, projects=projects)
    print(f"index build:            {time.perf_counter() - t0:6.2f} s")

    sample = projects[: min(200, len(projects))]
    timings = []
    for project in sample:
        t = time.perf_counter()
        index.rank(project, 10, today=TODAY)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(
        f"rank one project:       p50 {statistics.median(timings):6.2f} ms   "
        f"p95 {p95:6.2f} ms   ({len(sample)} projects, top 10 of {len(candidates):,})"
    )

    t0 = time.perf_counter()
    index.rank_all(projects, 10, today=TODAY, progress=ProgressBar())
    full = time.perf_counter() - t0
    print(
        f"full recompute:         {full:6.2f} s   ({len(projects):,} projects x "
        f"{len(candidates):,} experts)"
    )

    pair_rng = np.random.default_rng(args.seed + 1)
    picks = pair_rng.integers(0, len(candidates), size=args.pairs)
    context = index.context
    t0 = time.perf_counter()
    for i, c in enumerate(picks):
        score_pair(candidates[c], projects[i % len(projects)], context, TODAY)
    per_pair_plain = (time.perf_counter() - t0) / args.pairs
    project = projects[0]
    t0 = time.perf_counter()
    reps = 20
    for _ in range(reps):
        index.scores(project, TODAY)  # every candidate scored, text factor included
    per_pair_vector = (time.perf_counter() - t0) / reps / len(candidates)
    print(
        f"per pair:               plain {per_pair_plain * 1e6:8.2f} us   "
        f"vectorised {per_pair_vector * 1e6:8.4f} us   "
        f"speed-up x{per_pair_plain / per_pair_vector:,.0f}"
    )
    changed = dataclasses.replace(candidates[0], skills=candidates[1].skills)
    t0 = time.perf_counter()
    index.update_candidate(changed)
    print(
        f"update one candidate:   {(time.perf_counter() - t0) * 1000:6.1f} ms   "
        "(skill matrix re-laid out; co-occurrence kept until the next build)"
    )
    print(
        f"peak memory (RSS):      {peak_rss_mb():6.0f} MB   "
        f"(of which the generated inputs: {before_build:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
