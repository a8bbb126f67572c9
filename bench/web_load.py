"""Response times of the main pages under concurrent load, through a real HTTP server.

    .venv/bin/python bench/web_load.py [--requests 2000] [--concurrency 16] [--database-url URL]

Seeds a fresh database as `flask seed-demo` does (demo accounts, institutions, experts, projects
and the suggestions of a full recompute), serves the application with werkzeug's threaded server
on 127.0.0.1 in a process of its own, logs in as the demo expert and the demo admin (through the
login form, with its CSRF token), then sends a fixed number of requests from a bounded pool of
threads, in turn across: the home page, the login page, the expert's dashboard and profile, the
admin's review queue and the skill autocomplete API. Prints p50 / p95 / max latency per endpoint,
requests per second overall and the number of non-2xx responses (which must be 0).

Only 127.0.0.1 is contacted; the run stops sending after --max-seconds. The application runs
with the testing settings, CSRF and login throttling switched back on, and without the sentence
encoder (MATCH_USE_TEXT=False), which only seeding would use.
"""

import argparse
import multiprocessing
import re
import socket
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "demo-password-2026"  # diaspora.commands.demo.DEMO_PASSWORD
SKILL_QUERIES = (
    "appren",
    "vision par",
    "santé pub",
    "gestion de p",
    "python",
    "irrig",
    "données",
    "statis",
    "traitement du lang",
    "cyber",
)


def settings(url: str) -> dict:
    return dict(
        SQLALCHEMY_DATABASE_URI=url,
        TESTING=False,
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=True,
        MATCH_USE_TEXT=False,
    )


def seed(url: str) -> float:
    """A fresh schema with the demo data; returns the seconds it took."""
    from diaspora import create_app
    from diaspora.extensions import db

    app = create_app("testing", **settings(url))
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        if result.exit_code != 0:
            sys.exit(f"seed-demo failed:\n{result.output}\n{result.exception!r}")
        db.engine.dispose()  # the server process opens its own connections
    return time.perf_counter() - started


def serve(url: str, port: int, ready) -> None:
    """The application behind werkzeug's threaded server, until the process is terminated."""
    import logging

    from werkzeug.serving import make_server

    from diaspora import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server("127.0.0.1", port, create_app("testing", **settings(url)), threaded=True)
    ready.set()
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_in(base: str, email: str) -> str:
    """Log in through the form as a browser would; return the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        sys.exit("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    ).encode()
    landing = opener.open(f"{base}/auth/login", data=form, timeout=30)
    if "/auth/login" in landing.url:
        sys.exit(f"could not log in as {email}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def fetch(url: str, cookie: str | None) -> tuple[float, int]:
    """(seconds, HTTP status) of one GET; redirects are not followed, so they count as non-2xx."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Accept-Language": "fr"})
    if cookie:
        request.add_header("Cookie", cookie)
    started = time.perf_counter()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # refused, reset or timed out: counted with the failures
    return time.perf_counter() - started, status


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--max-seconds", type=float, default=300, help="stop sending new requests after this long"
    )
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 64:
        parser.error("--requests must be 1..100000 and --concurrency 1..64")

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    print(f"seeded the demo data in {seed(url):.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(url, port, ready), daemon=True)
    server.start()
    try:
        if not ready.wait(60):
            sys.exit("the server did not start")
        expert = log_in(base, "expert@diaspora.demo")
        admin = log_in(base, "admin@diaspora.demo")
        endpoints = {
            "home /": (lambda n: f"{base}/", None),
            "login page /auth/login": (lambda n: f"{base}/auth/login", None),
            "expert dashboard /dashboard": (lambda n: f"{base}/dashboard", expert),
            "expert profile /expert/profile": (lambda n: f"{base}/expert/profile", expert),
            "admin review queue /matches/review": (lambda n: f"{base}/matches/review", admin),
            "skill autocomplete /api/skills": (
                lambda n: (
                    f"{base}/api/skills?"
                    + urllib.parse.urlencode(
                        {"q": SKILL_QUERIES[n % len(SKILL_QUERIES)], "lang": "fr"}
                    )
                ),
                None,
            ),
        }
        # The first request of each kind loads templates, the taxonomy and its suggestion
        # index: a cost paid once per server process, reported apart.
        for name, (make_url, cookie) in endpoints.items():
            seconds, status = fetch(make_url(0), cookie)
            print(f"  first {name:<38} {seconds * 1000:7.0f} ms  HTTP {status}")

        names = list(endpoints)
        deadline = time.monotonic() + args.max_seconds

        def one(n: int) -> tuple[str, float, int] | None:
            if time.monotonic() > deadline:
                return None
            name = names[n % len(names)]
            make_url, cookie = endpoints[name]
            return (name, *fetch(make_url(n // len(names)), cookie))

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = [r for r in pool.map(one, range(args.requests)) if r is not None]
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.join(10)

    print(
        f"{len(results)} requests, {args.concurrency} at a time, in {elapsed:.1f} s: "
        f"{len(results) / elapsed:.0f} requests/s"
    )
    print(f"  {'endpoint':<38} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name in names:
        times = [seconds * 1000 for n, seconds, _ in results if n == name]
        print(
            f"  {name:<38} {len(times):>5} {statistics.median(times):>8.0f} "
            f"{percentile(times, 0.95):>8.0f} {max(times):>8.0f}"
        )
    failures = [(name, status) for name, _, status in results if not 200 <= status < 300]
    print(
        f"non-2xx responses: {len(failures)}"
        + (f" (first: {failures[0][0]} HTTP {failures[0][1]})" if failures else "")
    )
    if len(results) < args.requests:
        print(f"stopped after --max-seconds: {args.requests - len(results)} requests not sent")
    sys.exit(1 if failures or len(results) < args.requests else 0)


if __name__ == "__main__":
    main()
