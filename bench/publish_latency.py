"""From publishing a project to its stored suggestions, with 20,000 experts in the database.

    .venv/bin/python bench/publish_latency.py [--experts 20000] [--database-url URL]

Imports the experts (dev-set profiles copied under new refs) and the dev projects as drafts of a
verified institution, builds this process's index once (as a running server has it), then times
`projects.publish` — the commit and the rescoring that stores the top suggestions — for several
projects, and prints the figures. Target: under 1 s per publication.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_speed import write_file  # noqa: E402

DEV_PROJECTS = Path(__file__).resolve().parents[2] / "shared/data/matching-dev/projects.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--publish", type=int, default=10, help="how many projects to publish")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import Match, Project, ProjectStatus, Role, User
    from diaspora.services import match_index, projects
    from diaspora.services.imports import import_records

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    experts_file = workdir / "experts.jsonl"
    write_file(experts_file, args.experts)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=False)
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        import_records(experts_file, "experts")
        import_records(DEV_PROJECTS, "projects")
        print(f"imported {args.experts} experts in {time.perf_counter() - start:.1f} s")

        drafts = db.session.scalars(db.select(Project).limit(args.publish)).all()
        for project in drafts:
            project.status = ProjectStatus.DRAFT
        db.session.query(Match).delete()
        member = User(email="bench@example.org", role=Role.INSTITUTION, full_name="Bench")
        db.session.add(member)
        db.session.commit()
        from diaspora.models import Membership

        db.session.add(Membership(user=member, institution=drafts[0].institution))
        for project in drafts:
            project.institution_id = drafts[0].institution_id
            project.starts_on = date.today() + timedelta(days=60)
        drafts[0].institution.verified_at = drafts[0].institution.created_at
        db.session.commit()

        start = time.perf_counter()
        match_index.current_index()
        print(
            f"index of {args.experts} experts built in {time.perf_counter() - start:.2f} s "
            "(once per process)"
        )

        if os.environ.get("PROFILE"):
            import cProfile

            cProfile.runctx(
                "projects.publish(member, drafts[-1].id)", globals(), locals(), sort="cumtime"
            )
            drafts = drafts[:-1]
        timings = []
        for project in drafts:
            start = time.perf_counter()
            projects.publish(member, project.id)
            timings.append(time.perf_counter() - start)
            stored = db.session.query(Match).filter_by(project_id=project.id).count()
            assert stored > 0, f"{project.ref}: no suggestion stored"
        print(
            f"publish -> stored suggestions: p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms over {len(timings)} projects "
            f"(target < 1000 ms)"
        )


if __name__ == "__main__":
    main()
