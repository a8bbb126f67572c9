"""How long importing 20,000 experts takes (the target: under a minute on SQLite).

    .venv/bin/python bench/import_speed.py [--count 20000] [--database-url URL]

Builds the file from the labelled dev experts (shared/data/matching-dev), each copied with a
new ref and email, so skill names are as varied as real ones; imports it into a fresh database,
then imports it again (nothing must change) and prints both timings.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "data" / "matching-dev"
DEV_EXPERTS = DEV_SET / "experts.jsonl"
DEV_PROJECTS = DEV_SET / "projects.jsonl"


def _seeds(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _varied_skills(rng: random.Random, skills: list[dict]) -> list[dict]:
    """A copy's skills: one may be dropped, levels move by one, as two people of one trade differ
    (exact copies would tie with each other for every project)."""
    kept = [s for s in skills if len(skills) < 4 or rng.random() > 1 / len(skills)]
    return [dict(s, level=min(5, max(1, s["level"] + rng.choice((-1, 0, 0, 1))))) for s in kept]


def write_file(path: Path, count: int) -> None:
    """`count` experts in the interchange format: the labelled dev experts first, as they are,
    then copies of them under new refs and emails with slightly varied skills (seeded)."""
    seeds = _seeds(DEV_EXPERTS)
    rng = random.Random(count)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            record = dict(seeds[n % len(seeds)])
            record["ref"] = f"E-B{n:06d}"
            local, _, domain = record["email"].partition("@")
            record["email"] = f"{local}.{n}@{domain}"
            if n >= len(seeds):
                record["skills"] = _varied_skills(rng, record["skills"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_projects(path: Path, count: int) -> None:
    """`count` projects in the interchange format: copies of the dev projects under new refs,
    with slightly varied skills (seeded); the dev institutions publish them."""
    seeds = _seeds(DEV_PROJECTS)
    rng = random.Random(count)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            record = dict(seeds[n % len(seeds)])
            record["ref"] = f"P-B{n:05d}"
            record["title"] = f"{record['title']} ({n})"
            if n >= len(seeds):
                record["skills"] = _varied_skills(rng, record["skills"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.services.imports import import_records
    from diaspora.taxonomy import get_taxonomy

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    data = workdir / "experts.jsonl"
    write_file(data, args.count)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        get_taxonomy().normalise_many(["warm up"])  # loading the taxonomy is not importing
        for attempt in ("first import", "second import"):
            start = time.perf_counter()
            report = import_records(data, "experts")
            elapsed = time.perf_counter() - start
            print(
                f"{attempt}: {args.count} experts in {elapsed:.1f} s "
                f"({args.count / elapsed:.0f}/s): created {report.created}, "
                f"updated {report.updated}, unchanged {report.unchanged}, "
                f"rejected {len(report.rejected)}"
            )
        db.drop_all()
    os.remove(data)


if __name__ == "__main__":
    main()
