"""Pages under load as production serves them: gunicorn with diaspora/gunicorn_config.py on
PostgreSQL holding national-scale data, measured with wrk beside a hello-world Flask app.

    .venv/bin/python bench/web_load.py --database-url postgresql+psycopg://USER@HOST/DB
        [--experts 100000] [--projects 1000] [--reuse] [--duration 10] [--connections 16]
        [--pages home,login,...] [--redis redis://127.0.0.1:6379/13]

Prepares the database, unless --reuse keeps what a previous run left there: drops and creates
it, `flask db upgrade`, writes --experts experts and --projects projects in the interchange
format (the generator of bench/import_speed.py: the labelled dev records, with their typos and
mixed languages, copied under new refs with varied skills), imports them with `flask import`
(which rescores the open projects; the commands run without the sentence encoder, which would
take hours at this scale and which no page reads), then `flask seed-demo` adds the demo
accounts of each role and ends with `flask suggestions recompute`.

Then serves the app as `make serve` does (`gunicorn -c python:diaspora.gunicorn_config
wsgi:app`, DIASPORA_CONFIG=production, Redis for the rate limits, a new SECRET_KEY; only
SESSION_COOKIE_SECURE is off, this being plain HTTP on 127.0.0.1, and LOGIN_LIMIT raised so
that reruns may log in), logs in through the form (CSRF on) as the demo expert, member and
admin, and runs `wrk --latency` on each page for --duration seconds with --connections
clients, the session cookie passed with -H. The same wrk runs against bench/hello_world.py
under the same gunicorn settings, served beside it: just before and just after the light pages
(home, log-in), whose share of hello-world's throughput is taken from those two runs, and at
the end. Prints, per page, requests/s (and that share), p50, p99, the CPU time per request of
the server's processes and of PostgreSQL's backends (read from /proc, PostgreSQL on this
machine: figures that other jobs on the cores do not change) and the responses that were not
2xx (wrk's timeouts and socket errors with them). Exits 1 if any was not 2xx. Install wrk
with `make bench-deps`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_speed import write_file, write_projects  # noqa: E402
from bench.search import QUERIES as SEARCH_QUERIES  # noqa: E402
from bench.search import SECOND_FILTERS  # noqa: E402
from bench.search import queries as search_queries  # noqa: E402

PASSWORD = "demo-password-2026"  # diaspora.commands.demo.DEMO_PASSWORD
EXPERT, MEMBER, ADMIN = "expert@diaspora.demo", "membre@sante.gov.ma", "admin@diaspora.demo"
SKILL_QUERIES = (
    "appren", "vision par", "santé pub", "gestion de p", "python", "irrig", "données",
    "statis", "traitement du lang", "cyber", "machine le", "تعلم",
)  # fmt: skip
P99_TARGET_MS = 200
LIGHT_SHARE_TARGET = 0.30


@dataclass(frozen=True)
class Page:
    key: str  # for --pages
    name: str
    who: str | None  # the account whose session cookie is sent; None: a visitor
    paths: tuple[str, ...]  # requested in turn
    light: bool = False  # held to LIGHT_SHARE_TARGET of hello-world's throughput
    timed: bool = True  # held to P99_TARGET_MS (not the allocation: a solver run per view)


@dataclass
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    not_2xx: int
    socket_errors: int
    app_cpu_ms: float = 0.0  # CPU time per request of the server's processes
    db_cpu_ms: float | None = None  # and of PostgreSQL's backends (None: not measured)


def step(message: str, started: float) -> None:
    print(f"  {message} ({time.perf_counter() - started:.0f} s)", flush=True)


# ---------------------------------------------------------------------------------- the data


def flask_command(url: str, workdir: Path, *args: str) -> None:
    """`flask ARGS` of this checkout, development settings, against `url`; its progress bars
    go to this terminal."""
    env = dict(
        os.environ,
        FLASK_APP="wsgi.py",
        DIASPORA_CONFIG="development",
        DATABASE_URL=url,
        DIASPORA_INSTANCE_DIR=str(workdir / "instance"),
        # Without the sentence encoder: embedding 100,000 profile texts takes hours on a small
        # machine, and no page reads a vector (the server itself runs with its defaults).
        MATCH_USE_TEXT="0",
    )
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env)
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed ({done.returncode})")


def recreate_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()


def prepare(url: str, experts: int, projects: int, workdir: Path) -> None:
    """A new database holding the generated experts and projects, their stored suggestions
    and the demo accounts, filled with the project's own commands."""
    started = time.perf_counter()
    print(f"Preparing {url.rsplit('/', 1)[-1]}: {experts:,} experts, {projects:,} projects")
    recreate_database(url)
    flask_command(url, workdir, "db", "upgrade")
    step("database created and migrated", started)
    experts_file, projects_file = workdir / "experts.jsonl", workdir / "projects.jsonl"
    write_projects(projects_file, projects)
    write_file(experts_file, experts)
    step("interchange files written", started)
    flask_command(url, workdir, "import", "projects", str(projects_file))
    step("projects imported", started)
    flask_command(url, workdir, "import", "experts", str(experts_file))
    step("experts imported, open projects rescored", started)
    flask_command(url, workdir, "seed-demo")
    step("demo accounts and data seeded, suggestions recomputed", started)
    experts_file.unlink()
    projects_file.unlink()


def pages_of(url: str) -> list[Page]:
    """The pages to load, their addresses read from the database: the member's published
    project with the most stored suggestions and one of its suggested experts."""
    from sqlalchemy import func, select

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import ExpertProfile, Match, Membership, Project, ProjectStatus, User

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MATCH_USE_TEXT=False)
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == MEMBER)) is None:
            sys.exit("no demo accounts in this database: run without --reuse first")
        project_id, expert_id = db.session.execute(
            select(Project.id, func.min(Match.expert_id))
            .join(Match, Match.project_id == Project.id)
            .join(Membership, Membership.institution_id == Project.institution_id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == MEMBER, Project.status == ProjectStatus.PUBLISHED)
            .group_by(Project.id)
            .order_by(func.count().desc(), Project.id)
            .limit(1)
        ).one()
        expert_ref = db.session.get(ExpertProfile, expert_id).ref
        db.session.remove()
        db.engine.dispose()
    skills = tuple(
        "/api/skills?" + urllib.parse.urlencode({"q": q, "lang": "fr"}) for q in SKILL_QUERIES
    )
    # The searches of bench/search.py: three skills in one of three languages, two filters.
    search = tuple(
        "/search/experts?" + urllib.parse.urlencode(query, doseq=True)
        for query in search_queries(len(SEARCH_QUERIES) * len(SECOND_FILTERS))
    )
    return [
        Page("home", "home", None, ("/",), light=True),
        Page("login", "log-in page", None, ("/auth/login",), light=True),
        Page("expert", "expert dashboard", "expert", ("/dashboard",)),
        Page("member", "member dashboard", "member", ("/dashboard",)),
        Page("admin", "admin dashboard", "admin", ("/admin/",)),
        Page("profile", "own expert profile", "expert", ("/expert/profile",)),
        Page("seen", "expert profile (admin)", "admin", (f"/expert/profiles/{expert_ref}",)),
        Page("project", "project page (member)", "member", (f"/projects/{project_id}",)),
        Page("review", "review queue", "admin", ("/matches/review",)),
        Page("insights", "insights", "admin", ("/admin/insights",)),
        Page("autocomplete", "skill autocomplete", None, skills),
        Page("search", "expert search (member)", "member", search),
        Page("allocation", "allocation", "admin", ("/admin/allocation",), timed=False),
    ]


# -------------------------------------------------------------------------------- the servers


def cpu_by_process(wanted) -> dict[int, float]:
    """CPU seconds used so far by each process for which `wanted(pid, process_group)`, from
    /proc (user and system time)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid = int(stat.parent.name)
        if wanted(pid, int(fields[2])):  # field 5, the process group
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


class DatabaseCpu:
    """CPU time of the PostgreSQL backends serving one database, when PostgreSQL runs on this
    machine: what a page costs the database, whatever else the cores are doing."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        self.engine = create_engine(url, poolclass=NullPool)

    def backends(self) -> dict[int, float]:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            pids = set(
                connection.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            )
        return cpu_by_process(lambda pid, _group: pid in pids)

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> float:
        """Seconds used between the two readings (a backend started meanwhile counts whole)."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a process group of its own, its log in a file; stopped with SIGTERM."""

    def __init__(self, label: str, config: str, app: str, env: dict, log: Path) -> None:
        self.label, self.port, self.log = label, free_port(), log
        self.base = f"http://127.0.0.1:{self.port}"
        bind = f"127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "-c", config, "--bind", bind, app]
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )

    def wait_ready(self, path: str, timeout: float) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                sys.exit(f"{self.label} stopped ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit(f"{self.label} did not answer within {timeout:.0f} s; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (its process group)."""
        return sum(cpu_by_process(lambda pid, group: group == self.process.pid).values())

    def wait_idle(self, timeout: float = 300) -> None:
        """Wait until the server has served what clients left queued (closed connections'
        requests still run): under a tenth of a core used over half a second."""
        deadline = time.monotonic() + timeout
        used = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - used < 0.05:
                return
            used = now

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def server_env(url: str, redis: str, workdir: Path) -> dict:
    metrics = workdir / "metrics"
    metrics.mkdir(exist_ok=True)
    return dict(
        os.environ,
        DIASPORA_CONFIG="production",
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(48),
        RATELIMIT_STORAGE_URI=redis,
        SESSION_COOKIE_SECURE="false",
        LOGIN_LIMIT="1000 per minute",
        DIASPORA_INSTANCE_DIR=str(workdir / "instance"),
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
    )


def log_in(base: str, email: str) -> str:
    """Log in through the form as a browser would; the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        sys.exit("no CSRF token on the log-in page")
    form = {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    landing = opener.open(f"{base}/auth/login", urllib.parse.urlencode(form).encode(), 30)
    if "/auth/login" in landing.url:
        sys.exit(f"could not log in as {email}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(base: str, path: str, cookie: str | None) -> tuple[int, float]:
    """A page answers 200 to this session, not a redirect to the log-in page: (bytes, ms)."""
    request = urllib.request.Request(base + path, headers={"Accept-Language": "fr"})
    if cookie:
        request.add_header("Cookie", cookie)
    started = time.perf_counter()
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            size = len(response.read())
    except urllib.error.HTTPError as error:
        sys.exit(f"{path}: HTTP {error.code}")
    return size, (time.perf_counter() - started) * 1000


# ------------------------------------------------------------------------------------ wrk

# Requests the paths in turn, and counts what was not 2xx (wrk's own count lets 3xx pass: a
# redirect to the log-in page would). `bad` is global: `thread:get` reads globals.
WRK_SCRIPT = """
local paths = {%s}
local n = 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("NOT_2XX %%d\\n", total))
end
"""
SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS_MS[unit]


def wrk(base: str, paths: tuple[str, ...], cookie: str | None, args, workdir: Path) -> Result:
    script = workdir / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths), encoding="utf-8")
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    command += ["-d", f"{args.duration}s", "--latency", "--timeout", "10s", "-s", str(script)]
    command += ["-H", "Accept-Language: fr"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [base + paths[0]], capture_output=True, text=True, check=True)
    text = out.stdout

    def number(pattern: str) -> str:
        found = re.search(pattern, text)
        if found is None:
            sys.exit(f"unexpected wrk output:\n{text}{out.stderr}")
        return found.group(1)

    errors = re.search(SOCKET_ERRORS, text)
    return Result(
        requests_per_s=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=_ms(number(r"\n\s+50%\s+(\S+)")),
        p99_ms=_ms(number(r"\n\s+99%\s+(\S+)")),
        requests=int(number(r"(\d+) requests in")),
        not_2xx=int(number(r"NOT_2XX (\d+)")),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


# ----------------------------------------------------------------------------------- the run


def row(name: str, result: Result, hello: float | None, size: str = "") -> str:
    """A line of the table; `share` is the requests/s as a part of `hello`'s."""
    share = f"{result.requests_per_s / hello:6.0%}" if hello else " " * 6
    db_cpu = "" if result.db_cpu_ms is None else f"{result.db_cpu_ms:.2f}"
    return (
        f"| {name:<26} | {size:>7} | {result.requests_per_s:>10,.0f} | {share} | "
        f"{result.p50_ms:>6.1f} | {result.p99_ms:>6.1f} | {result.app_cpu_ms:>7.2f} | "
        f"{db_cpu:>6} | {result.not_2xx + result.socket_errors:>7} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to fill")
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--pages", default=None, help="comma-separated keys (default: all)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="rate-limit store")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("--database-url must name a PostgreSQL database")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: make bench-deps")
    if not list((ROOT / "diaspora" / "translations").glob("*/LC_MESSAGES/messages.mo")):
        sys.exit("the translations are not compiled: make translations")

    workdir = Path(tempfile.mkdtemp(prefix="diaspora-web-load-"))
    if not args.reuse:
        prepare(args.database_url, args.experts, args.projects, workdir)
    pages = pages_of(args.database_url)
    if args.pages:
        wanted = set(args.pages.split(","))
        unknown = wanted - {p.key for p in pages}
        if unknown:
            parser.error(f"unknown pages {sorted(unknown)}; known: {[p.key for p in pages]}")
        pages = [p for p in pages if p.key in wanted]
    env = server_env(args.database_url, args.redis, workdir)
    print(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration} s a page")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")

    # Both servers run from the start, one measured at a time: hello-world just before and
    # just after the light pages (the machine's load may drift during a run), and at the end.
    hello_server = Server(
        "hello-world", "python:bench.hello_world", "bench.hello_world:app", env,
        workdir / "hello.log",
    )  # fmt: skip
    server = Server(
        "diaspora", "python:diaspora.gunicorn_config", "wsgi:app", env, workdir / "server.log"
    )
    hellos, results = [], []
    database = DatabaseCpu(args.database_url)

    def hello_world(when: str) -> None:
        used = hello_server.cpu_seconds()
        result = wrk(hello_server.base, ("/",), None, args, workdir)
        hello_server.wait_idle()
        result.app_cpu_ms = (hello_server.cpu_seconds() - used) * 1000 / result.requests
        hellos.append((when, result))
        print(f"  hello-world ({when}): {hellos[-1][1].requests_per_s:,.0f} requests/s")

    def measure(page: Page) -> None:
        cookie = cookies.get(page.who)
        server.wait_idle()
        check(server.base, page.paths[0], cookie)  # each worker's first view of it
        size, alone_ms = check(server.base, page.paths[0], cookie)
        used, backends = server.cpu_seconds(), database.backends()
        result = wrk(server.base, page.paths, cookie, args, workdir)
        server.wait_idle()  # the requests of clients wrk closed are served, and counted
        served = max(result.requests, 1)  # none completes within wrk's timeout: the total
        result.app_cpu_ms = (server.cpu_seconds() - used) * 1000 / served
        result.db_cpu_ms = database.used(backends, database.backends()) * 1000 / served
        results.append((page, size, result))
        print(
            f"  {page.name}: alone {alone_ms:.0f} ms; {args.connections} clients: "
            f"{result.requests_per_s:,.0f} requests/s, p99 {result.p99_ms:.0f} ms; CPU per "
            f"request {result.app_cpu_ms:.1f} ms app, {result.db_cpu_ms:.1f} ms PostgreSQL",
            flush=True,
        )

    try:
        hello_server.wait_ready("/", 60)
        print(f"  diaspora ready in {server.wait_ready('/healthz', 600):.0f} s", flush=True)
        cookies = {
            who: log_in(server.base, email)
            for who, email in (("expert", EXPERT), ("member", MEMBER), ("admin", ADMIN))
        }
        hello_world("first")
        for page in (p for p in pages if p.light):
            measure(page)
        hello_world("after light")
        for page in (p for p in pages if not p.light):
            measure(page)
        server.wait_idle()
        hello_world("last")
    finally:
        hello_server.stop()
        server.stop()
    errors = sum('"level": "ERROR"' in line for line in server.log.open(encoding="utf-8"))
    # The light pages are held to the hello-world runs just around them.
    reference = (hellos[0][1].requests_per_s + hellos[1][1].requests_per_s) / 2

    print()
    print(
        f"| {'page':<26} | {'KB':>7} | {'requests/s':>10} | {'share':>6} | "
        f"{'p50 ms':>6} | {'p99 ms':>6} | {'CPU app':>7} | {'CPU db':>6} | {'non-2xx':>7} |"
    )
    widths = (7, 10, 6, 6, 6, 7, 6, 7)
    print("| " + " | ".join(["-" * 26] + [f"{'-' * (w - 1)}:" for w in widths]) + " |")
    for when, hello in hellos:
        print(row(f"hello-world, {when}", hello, None))
    for page, size, result in results:
        print(row(page.name, result, reference, f"{size / 1024:.1f}"))
    print()
    slow = [p.name for p, _, r in results if p.timed and r.p99_ms > P99_TARGET_MS]
    floor = LIGHT_SHARE_TARGET * reference
    weak = [p.name for p, _, r in results if p.light and r.requests_per_s < floor]
    failed = sum(r.not_2xx + r.socket_errors for _, _, r in results)
    print(
        f"p99 <= {P99_TARGET_MS} ms (every page but the allocation): "
        + (f"missed by {', '.join(slow)}" if slow else "yes")
    )
    if any(p.light for p, _, _ in results):
        print(
            f"light pages >= {LIGHT_SHARE_TARGET:.0%} of hello-world: "
            + (f"missed by {', '.join(weak)}" if weak else "yes")
        )
    print(f"non-2xx responses: {failed}; errors in the server's log: {errors} ({server.log})")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other processes share the cores)")
    print(
        "CPU app / db: milliseconds of CPU per request used by the server's processes and by "
        "PostgreSQL's backends (whatever the load, a page costs that much)"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
