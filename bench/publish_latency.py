"""From publishing a project to its stored suggestions, at national scale; and the bulk work
around it (import, `flask match`, `flask suggestions recompute`).

    .venv/bin/python bench/publish_latency.py [--experts 100000] [--projects 1000] [--publish 10]
        [--database-url URL] [--reuse]

Writes experts and projects in the interchange format (the generator of bench/import_speed.py)
and imports them into a fresh database as `flask import` does (projects, then experts, then one
rescoring of every open project). With --reuse a database a previous run filled is kept as it is.

Then, in this process as in a running server whose index is built: how long keeping the index
in step costs a request when nothing changed; `projects.publish` (the commit and the rescoring
that stores the project's suggestions) for --publish projects; and, each in a process of its
own as an operator runs them, `flask match P --top 10` (time and peak memory) and `flask
suggestions recompute` twice, with the rows the second one writes in `matches` although nothing
changed (PostgreSQL's own counters). Target: a publication under 1 s at 100,000 experts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_speed import write_file, write_projects  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def fill(args, db) -> None:
    """A fresh schema holding the generated experts and projects, their suggestions stored."""
    from diaspora.services.imports import import_and_rescore

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
    experts_file, projects_file = workdir / "experts.jsonl", workdir / "projects.jsonl"
    write_file(experts_file, args.experts)
    write_projects(projects_file, args.projects)
    db.drop_all()
    db.create_all()
    start = time.perf_counter()
    import_and_rescore(projects_file, "projects")
    print(f"imported {args.projects} projects in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    report = import_and_rescore(experts_file, "experts")
    print(
        f"imported {args.experts} experts and rescored every open project in "
        f"{time.perf_counter() - start:.1f} s: {report.rescored}"
    )
    os.remove(experts_file)
    os.remove(projects_file)


def drafts_of_one_member(count: int, db):
    """`count` projects back to draft, without suggestions, of one verified institution whose
    member publishes them."""
    from diaspora.models import Match, Membership, Project, ProjectStatus, Role, User

    drafts = db.session.scalars(db.select(Project).order_by(Project.id).limit(count)).all()
    institution = drafts[0].institution
    institution.verified_at = institution.verified_at or institution.created_at
    member = db.session.scalar(db.select(User).filter_by(email="bench@example.org"))
    if member is None:
        member = User(email="bench@example.org", role=Role.INSTITUTION, full_name="Bench")
        db.session.add(Membership(user=member, institution=institution))
    for project in drafts:
        project.status = ProjectStatus.DRAFT
        project.institution_id = institution.id
        project.starts_on = date.today() + timedelta(days=60)
    ids = [p.id for p in drafts]
    db.session.execute(db.delete(Match).where(Match.project_id.in_(ids)))
    db.session.commit()
    return member, ids


def time_publications(member, ids, db) -> None:
    from diaspora.models import Match
    from diaspora.services import match_index, projects

    start = time.perf_counter()
    match_index.current_index()
    print(f"index in this process: {time.perf_counter() - start:.2f} s (built once per process)")
    syncs = []
    for _ in range(20):
        start = time.perf_counter()
        match_index.current_index()
        syncs.append(time.perf_counter() - start)
    print(f"keeping the index in step, nothing changed: p50 {_ms(statistics.median(syncs))}")
    timings = []
    for project_id in ids:
        start = time.perf_counter()
        projects.publish(member, project_id)
        timings.append(time.perf_counter() - start)
        stored = db.session.scalar(
            db.select(db.func.count()).select_from(Match).filter_by(project_id=project_id)
        )
        assert stored > 0, f"project {project_id}: no suggestion stored"
    print(
        f"publish -> stored suggestions: first {_ms(timings[0])}, "
        f"p50 {_ms(statistics.median(timings))}, max {_ms(max(timings))} "
        f"over {len(timings)} projects (target < 1000 ms)"
    )


def run_command(url: str, *command: str) -> tuple[float, float, str]:
    """Run a `flask` command of this checkout in a process of its own, as an operator would:
    (seconds, peak resident memory in GB, standard output)."""
    env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=url, MATCH_USE_TEXT="0")
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"flask {' '.join(command)} failed ({child.returncode})")
    return elapsed, usage.ru_maxrss / 1024**2, output


def matches_writes(db) -> dict[str, int]:
    """PostgreSQL's counters of rows written to `matches`, and its dead rows."""
    db.session.execute(db.text("SELECT pg_stat_clear_snapshot()"))
    row = db.session.execute(
        db.text(
            "SELECT n_tup_ins, n_tup_upd, n_tup_del, n_dead_tup FROM pg_stat_user_tables "
            "WHERE relname = 'matches'"
        )
    ).one()
    db.session.commit()
    return dict(zip(("inserted", "updated", "deleted", "dead"), row, strict=True))


def bulk_commands(url: str, project_ref: str, db) -> None:
    seconds, gb, _ = run_command(url, "match", project_ref, "--top", "10", "--json")
    print(f"flask match {project_ref} --top 10: {seconds:.1f} s, peak {gb:.2f} GB")
    postgres = url.startswith("postgresql")
    for attempt in ("first", "second, nothing changed"):
        before = matches_writes(db) if postgres else None
        seconds, gb, output = run_command(url, "suggestions", "recompute")
        line = f"flask suggestions recompute ({attempt}): {seconds:.1f} s, peak {gb:.2f} GB"
        if postgres:
            after = matches_writes(db)
            written = {k: after[k] - before[k] for k in ("inserted", "updated", "deleted")}
            line += f"; rows written in matches {written}, dead rows {after['dead']}"
        print(line + f" ({output.strip()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--publish", type=int, default=10, help="how many projects to publish")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--skip-commands", action="store_true", help="no flask match/recompute")
    args = parser.parse_args()

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import Project

    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='diaspora-bench-')}/b.sqlite"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=False)
    with app.app_context():
        if not args.reuse:
            fill(args, db)
        member, ids = drafts_of_one_member(args.publish, db)
        time_publications(member, ids, db)
        last_ref = db.session.scalar(db.select(Project.ref).order_by(Project.id.desc()).limit(1))
        db.session.remove()
        if not args.skip_commands:
            bulk_commands(url, last_ref, db)
        db.engine.dispose()


if __name__ == "__main__":
    main()
