"""Memory of each app worker once the matching index is built (run it at 100,000 experts).

    .venv/bin/python bench/worker_memory.py --database-url URL [--workers 2] [--changes 50]
        [--no-freeze]

On a database that bench/publish_latency.py filled, does what `gunicorn --preload` does: builds
the taxonomy and the matching index in this process (then `gc.freeze()`, unless --no-freeze),
and forks --workers processes. Each worker, with its own database connections, ranks 20 open
projects; then this process commits --changes profile changes, as another app process would;
each worker applies them at its next ranking and ranks 20 projects again. Each prints its
resident memory (RSS), its proportional share (PSS) and what is its own (USS: the pages it no
longer shares with the master), from /proc/<pid>/smaps_rollup, after each step.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def memory() -> dict[str, float]:
    """This process's RSS, PSS and USS in MB (Linux)."""
    fields = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0]) / 1024
    own = fields["Private_Clean"] + fields["Private_Dirty"]
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": own}


def _line(who: str, step: str, mem: dict[str, float], extra: str = "") -> str:
    return (
        f"{who:<9} {step:<28} RSS {mem['rss']:7.0f} MB  PSS {mem['pss']:7.0f} MB  "
        f"own {mem['uss']:7.0f} MB {extra}"
    )


def rank_some(db, projects: list[int]) -> float:
    from diaspora.models import Project
    from diaspora.services import suggestions

    start = time.perf_counter()
    for project_id in projects:
        suggestions.rank(db.session.get(Project, project_id), 20)
    return (time.perf_counter() - start) / len(projects)


def worker(app, number: int, projects: list[int], go, done) -> None:
    """One forked worker: rank, wait for the changes, rank again; report memory each time."""
    from diaspora.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)  # the master's connections are not this process's
        for step in ("ranked 20 projects", "applied changes, ranked 20"):
            if step != "ranked 20 projects":
                os.write(done, b".")  # ready for the changes
                os.read(go, 1)  # they are committed
            per_rank = rank_some(db, projects)
            took = f"{per_rank * 1000:.0f} ms a ranking"
            print(_line(f"worker {number}", step, memory(), took), flush=True)
        db.session.remove()
    os._exit(0)


def change_profiles(db, count: int) -> None:
    """`count` experts raise a skill's level, committed as a profile save would be."""
    from diaspora.models import ExpertSkill
    from diaspora.services import expert_changes

    skills = db.session.scalars(db.select(ExpertSkill).order_by(ExpertSkill.id.desc()).limit(count))
    for skill in skills:
        skill.level = 5 if skill.level < 5 else 4
        expert_changes.note(skill.expert_id)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--no-freeze", action="store_true", help="no gc.freeze() before forking")
    args = parser.parse_args()

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import Project, ProjectStatus
    from diaspora.services import match_index
    from diaspora.taxonomy import get_taxonomy

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=args.database_url, MATCH_USE_TEXT=False)
    with app.app_context():
        print(_line("master", "started", memory()))
        get_taxonomy().warm()
        start = time.perf_counter()
        size = len(match_index.current_index())
        built = time.perf_counter() - start
        projects = db.session.scalars(
            db.select(Project.id).filter_by(status=ProjectStatus.PUBLISHED).limit(20)
        ).all()
        db.session.remove()
        db.engine.dispose()
    gc.collect()
    if not args.no_freeze:
        gc.freeze()
    print(_line("master", f"index of {size} built", memory(), f"in {built:.1f} s"), flush=True)

    pipes = []
    for number in range(1, args.workers + 1):
        go_read, go_write = os.pipe()
        done_read, done_write = os.pipe()
        if os.fork() == 0:
            worker(app, number, projects, go_read, done_write)
        pipes.append((go_write, done_read))
    for _, done_read in pipes:
        os.read(done_read, 1)
    with app.app_context():
        change_profiles(db, args.changes)
        db.session.remove()
        db.engine.dispose()
    print(f"master    committed {args.changes} profile changes", flush=True)
    for go_write, _ in pipes:
        os.write(go_write, b".")
    for _ in pipes:
        os.wait()


if __name__ == "__main__":
    main()
