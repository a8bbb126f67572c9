"""How long importing 20,000 experts takes (the target: under a minute on SQLite).

    .venv/bin/python bench/import_speed.py [--count 20000] [--database-url URL] [--realistic]

Default: the file is built from the labelled dev experts (shared/data/matching-dev), each
copied with a new ref and email; imported into a fresh database, then again (nothing must
change), timing the import alone.

--realistic: skill names typed as people type them (bench/typed_names.py: synonyms, French and
Arabic labels, abbreviations, both languages at once, case, missing accents, typos), and the
whole use case `flask import` runs (`import_and_rescore`, profile texts embedded, the dev
projects rescored), timed per phase: parse, normalise (of which fuzzy), write, embed, rescore.
Then the fuzzy step of today is timed against the one of before (`AliasIndex.fuzzy_scan`, a
scan per name) on the same names, with the share of names whose answer differs.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def write_realistic(path: Path, count: int) -> int:
    """`count` experts (the dev experts' other fields, new refs and emails) whose skills are
    typed as people type them (seeded); returns the number of distinct skill names."""
    from typed_names import TypedSkills

    from diaspora.taxonomy import get_taxonomy

    seeds = _seeds(DEV_EXPERTS)
    rng = random.Random(count)
    typed = TypedSkills(list(get_taxonomy().concepts), rng)
    names = set()
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            record = dict(seeds[n % len(seeds)], ref=f"E-R{n:06d}", skills=typed())
            local, _, domain = record["email"].partition("@")
            record["email"] = f"{local}.{n}@{domain}"
            names.update(s["name"] for s in record["skills"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(names)


class Phases:
    """Seconds spent in each phase of an import, measured by wrapping the functions that do
    them; also the keys the fuzzy step was asked about."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.fuzzy_keys: list[str] = []

    def timed(self, phase: str, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - start

        return wrapper

    def timed_iter(self, phase: str, function):
        def wrapper(*args, **kwargs):
            items = iter(function(*args, **kwargs))
            while True:
                start = time.perf_counter()
                item = next(items, None)
                self.seconds[phase] += time.perf_counter() - start
                if item is None:
                    return
                yield item

        return wrapper

    @contextmanager
    def watching(self):
        from diaspora.services import imports, rescoring, suggestions
        from diaspora.taxonomy.index import AliasIndex

        def record_keys(function):
            def wrapper(index, key, *args, **kwargs):
                self.fuzzy_keys.append(key)
                return function(index, key, *args, **kwargs)

            return wrapper

        patches = [
            (imports, "read_records", self.timed_iter("parse", imports.read_records)),
            (imports, "normalise_skills", self.timed("normalise", imports.normalise_skills)),
            (imports, "import_records", self.timed("import", imports.import_records)),
            (AliasIndex, "fuzzy", record_keys(self.timed("fuzzy", AliasIndex.fuzzy))),
            (
                suggestions,
                "embed_stale_profiles",
                self.timed("embed", suggestions.embed_stale_profiles),
            ),
            (rescoring, "rescore_all", self.timed("rescoring", rescoring.rescore_all)),
        ]
        saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
        for owner, name, value in patches:
            setattr(owner, name, value)
        try:
            yield self
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)

    def line(self, total: float) -> str:
        s = self.seconds
        phases = {
            "parse": s["parse"],
            "normalise": s["normalise"],
            "of which fuzzy": s["fuzzy"],
            "write": s["import"] - s["parse"] - s["normalise"],
            "embed": s["embed"],
            "rescore": s["rescoring"] - s["embed"],
        }
        return ", ".join(f"{name} {value:.1f} s" for name, value in phases.items()) + (
            f"; total {total:.1f} s"
        )


def compare_fuzzy(keys: list[str]) -> None:
    """Today's fuzzy step against the scan of before, on the same keys: time and answers."""
    from diaspora.taxonomy import get_taxonomy

    index = get_taxonomy().normaliser.index
    keys = list(dict.fromkeys(keys))
    if not keys:
        print("fuzzy step: no name reached it")
        return
    start = time.perf_counter()
    before = [index.fuzzy_scan(key) for key in keys]
    scan = time.perf_counter() - start
    start = time.perf_counter()
    now = [index.fuzzy(key) for key in keys]
    fast = time.perf_counter() - start
    differ = [k for k, a, b in zip(keys, before, now, strict=True) if a != b]
    print(
        f"fuzzy step on {len(keys)} names: before {scan / len(keys) * 1000:.2f} ms a name, "
        f"now {fast / len(keys) * 1000:.3f} ms a name ({scan / max(fast, 1e-9):.0f}x faster); "
        f"answers that differ: {len(differ)} ({len(differ) / len(keys):.2%})"
    )
    for key in differ[:10]:
        print(f"  {key!r}: before {index.fuzzy_scan(key)}, now {index.fuzzy(key)}")


def realistic(args, workdir: Path) -> None:
    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.services import imports
    from diaspora.taxonomy import get_taxonomy

    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    data, projects = workdir / "experts.jsonl", workdir / "projects.jsonl"
    distinct = write_realistic(data, args.count)
    write_projects(projects, len(_seeds(DEV_PROJECTS)))
    print(
        f"{args.count} experts, {distinct} distinct skill names; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        get_taxonomy().warm()  # loading the taxonomy and the encoder is not importing
        get_taxonomy().encoder.encode(["warm up"])
        imports.import_and_rescore(projects, "projects")
        fuzzy_keys = []
        for attempt in ("first import", "second import"):
            phases = Phases()
            start = time.perf_counter()
            with phases.watching():
                report = imports.import_and_rescore(data, "experts")
            elapsed = time.perf_counter() - start
            print(
                f"{attempt}: created {report.created}, updated {report.updated}, "
                f"unchanged {report.unchanged}, rejected {len(report.rejected)}, "
                f"rescored {report.rescored}"
            )
            print(f"  {phases.line(elapsed)}")
            fuzzy_keys += phases.fuzzy_keys
        compare_fuzzy(fuzzy_keys)
        print("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        db.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--realistic", action="store_true", help="names as people type them")
    args = parser.parse_args()
    if args.realistic:
        workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
        try:
            realistic(args, workdir)
        finally:
            shutil.rmtree(workdir)
        return

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
