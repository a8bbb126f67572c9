"""How long an expert search takes at national scale, inside the app and as a page.

    .venv/bin/python bench/search.py [--experts 100000] [--runs 60] [--database-url URL]
        [--reuse]

Writes --experts experts in the interchange format (the generator of bench/import_speed.py:
copies of the labelled dev experts with varied skills, so names are as varied as real ones)
and imports them into a fresh database as `flask import` does; with --reuse a database a
previous run filled is kept. A verified institution's member then searches with three skills
(typed in English, French or Arabic) and two filters, varied from run to run:
`expert_search.search` inside the app once the process is warm (the taxonomy loaded, the index
built), and the search page through Flask's test client (routing, session, template).
Targets: p95 <= 150 ms inside the app, p95 <= 300 ms for the page.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_speed import write_file  # noqa: E402

# Three skills each, as people type them, and two filters.
QUERIES = [
    (("cyber security", "operating systems", "computer programming"), {"country": "FR"}),
    (("sécurité informatique", "débogage", "tests logiciels"), {"hours": "8"}),
    (("machine learning", "Python", "SQL"), {"language": "en", "level": "C1"}),
    (("تعلم الآلة", "الرؤية الحاسوبية", "إدارة المشاريع"), {"country": "AE"}),
    (("ICT audit", "information security strategy", "attack vectors"), {"overlap": "6"}),
    (("software testing", "debug software", "database development tools"), {"mode": "remote"}),
]
SECOND_FILTERS = [{"sector": "health"}, {"hours": "4"}, {"mode": "short_mission"}]
PASSWORD = "bench-password-2026"


def _ms(values: list[float]) -> str:
    cut = statistics.quantiles(values, n=20)[-1]
    return f"p50 {statistics.median(values) * 1000:.0f} ms, p95 {cut * 1000:.0f} ms"


def fill(count: int) -> None:
    """A fresh schema holding `count` generated experts (imported as `flask import` does)."""
    from diaspora.extensions import db
    from diaspora.services.imports import import_and_rescore

    path = Path(tempfile.mkdtemp(prefix="diaspora-bench-")) / "experts.jsonl"
    write_file(path, count)
    db.drop_all()
    db.create_all()
    start = time.perf_counter()
    report = import_and_rescore(path, "experts")
    print(f"imported {report.created} experts in {time.perf_counter() - start:.0f} s")
    path.unlink()


def searcher():
    """A member of a verified institution (created once)."""
    from werkzeug.security import generate_password_hash

    from diaspora.extensions import db
    from diaspora.models import Institution, Membership, Role, User
    from diaspora.models.base import utcnow

    member = db.session.scalar(db.select(User).filter_by(email="bench@sante.gov.ma"))
    if member is None:
        institution = Institution(name="Bench institution", kind="ministry", verified_at=utcnow())
        member = User(
            email="bench@sante.gov.ma",
            role=Role.INSTITUTION,
            full_name="Bench Member",
            password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
            email_verified_at=utcnow(),
        )
        db.session.add_all([institution, Membership(user=member, institution=institution)])
        db.session.commit()
    return member


def queries(runs: int):
    """`runs` searches: each query of QUERIES with a second filter, in turn."""
    pairs = itertools.cycle(itertools.product(QUERIES, SECOND_FILTERS))
    for _ in range(runs):
        (skills, first), second = next(pairs)
        yield {"skill": list(skills), **first, **second}


def time_service(member, runs: int) -> tuple[list[float], int]:
    from werkzeug.datastructures import MultiDict

    from diaspora.search.forms import read_query
    from diaspora.services import expert_search

    timings, found = [], 0
    for args in queries(runs):
        query, _notices = read_query(MultiDict(args))
        start = time.perf_counter()
        result = expert_search.search(member, query, "fr")
        timings.append(time.perf_counter() - start)
        found += result.total
    return timings, found


def time_page(app, runs: int) -> list[float]:
    client = app.test_client()
    login = {"email": "bench@sante.gov.ma", "password": PASSWORD}
    response = client.post("/auth/login", data=login)
    assert response.status_code == 302, response.status_code
    timings = []
    for args in queries(runs):
        start = time.perf_counter()
        response = client.get("/search/experts", query_string=args)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.services import match_index
    from diaspora.taxonomy import get_taxonomy

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='diaspora-bench-')}/b.sqlite"
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=False, RATELIMIT_ENABLED=False
    )
    with app.app_context():
        if not args.reuse:
            fill(args.experts)
        member = searcher()
        match_index.forget_index()  # the import built one: time a process's own build
        start = time.perf_counter()
        get_taxonomy().normalise_many(["warm up"])
        index = match_index.current_index()
        print(
            f"warm-up: taxonomy loaded and index of {len(index)} experts built in "
            f"{time.perf_counter() - start:.1f} s (once per process)"
        )
        time_service(member, 6)  # the first search of each query fills the normaliser's caches
        timings, found = time_service(member, args.runs)
        print(
            f"search inside the app, 3 skills + 2 filters: {_ms(timings)} over {args.runs} "
            f"searches ({found // args.runs} experts found on average; target p95 <= 150 ms)"
        )
        db.session.remove()
    with app.app_context():
        pages = time_page(app, args.runs)
        print(f"search page through the test client: {_ms(pages)} (target p95 <= 300 ms)")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
