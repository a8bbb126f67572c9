"""`make security`: attack the platform as production runs it, and print what was found.

    .venv/bin/python bench/security_scan.py [--redis URL] [--admin-url URL] [--keep] [--only …]

A fresh PostgreSQL database gets the demo data; gunicorn serves it with the production settings
on 127.0.0.1 (Redis for rate limits, emails to files). Then, each check in bench/security/:

- bandit over the code (medium severity and up);
- production refusals: a weak SECRET_KEY, memory:// rate limits, `flask seed-demo`;
- takeover checks with production's own rate limits: per-address limits on emails, no lock-out
  of the owner, sessions dead after logout, LinkedIn links, no live signed link in the outbox;
- the CSV formula check on `flask export … .csv`;
- with limits raised for the scanners: the no-500 crawler as each role (anonymous, expert,
  institution member, admin), sqlmap over every form and query parameter it found, wapiti3
  signed in as each role, and the crawler again over what the scanners stored.

Prints one table of findings and exits 1 if there is any. Needs Debian's sqlmap and wapiti3 in
.venv-wapiti (`make security` installs both) and Redis; the Redis database given is flushed.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.security import (  # noqa: E402
    crawler,
    csv_export,
    production,
    sqlmap,
    static_analysis,
    takeover,
    wapiti,
)
from bench.security.findings import table  # noqa: E402
from bench.security.server import ROLES, Stack, serve  # noqa: E402

CHECKS = ["bandit", "production", "takeover", "csv", "crawler", "sqlmap", "wapiti"]


def log(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL database allowed to create others",
    )
    parser.add_argument(
        "--database",
        default=f"diaspora_security_{os.getpid()}",
        help="name of the database created (and dropped) for the run",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/15",
        help="Redis database for rate limits (flushed)",
    )
    parser.add_argument("--only", default=",".join(CHECKS), help="checks to run, comma-separated")
    parser.add_argument("--sqlmap-seconds", type=float, default=120, help="per target")
    parser.add_argument("--wapiti-seconds", type=float, default=100, help="per role")
    parser.add_argument("--keep", action="store_true", help="keep the database and work folder")
    options = parser.parse_args()
    chosen = set(options.only.split(","))

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="diaspora-security-"))
    stack = Stack(options.admin_url, options.database, options.redis, workdir)
    findings, notes, timings = [], [], {}

    def timed(name, work):
        began = time.monotonic()
        log(f"{name}…")
        result = work()
        timings[name] = time.monotonic() - began
        return result

    try:
        timed("setup", lambda: (stack.create(), stack.load_demo()))
        if "bandit" in chosen:
            findings += timed("bandit", lambda: static_analysis.run(log))
        if "production" in chosen:
            findings += timed("production", lambda: production.run(stack, log))
        if "takeover" in chosen:
            with serve(stack, scan_limits=False) as server:
                findings += timed(
                    "takeover", lambda: takeover.run(server.base, stack, server.env, log)
                )
        if "csv" in chosen:
            env = {**stack.production_env(0, scan_limits=False), "DIASPORA_WARM": "0"}
            findings += timed("csv", lambda: csv_export.run(stack, env, log))
        if chosen & {"crawler", "sqlmap", "wapiti"}:
            stack.flush_limits()
            with serve(stack, scan_limits=True) as server:
                findings += scan(server.base, chosen, options, workdir, notes, timed)
    finally:
        if not options.keep:
            stack.drop()
            shutil.rmtree(workdir, ignore_errors=True)

    findings = list(dict.fromkeys(findings))  # the crawler's second pass repeats the first's
    print()
    print(table(findings) if findings else "No findings.")
    for note in notes:
        print("note:", note)
    print()
    print(
        "time: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
        + f"; total {time.monotonic() - started:.0f} s"
    )
    print(f"{len(findings)} findings" + (f"; work folder kept: {workdir}" if options.keep else ""))
    sys.exit(1 if findings else 0)


def scan(base, chosen, options, workdir, notes, timed):
    """The crawler, sqlmap and wapiti against the server with the scanners' rate limits."""
    findings, sites, clients = [], [], {}

    def crawl_all(when):
        for role in ROLES:
            walk = crawler.crawl(base, role)
            log(
                f"  crawler {when} as {role}: {len(walk.site.pages)} pages, "
                f"{len(walk.site.forms)} forms, {walk.requests} requests, "
                f"{len(walk.findings)} findings"
            )
            findings.extend(walk.findings)
            if when == "first":
                sites.append(walk.site)
                clients[role] = walk.client

    timed("crawler", lambda: crawl_all("first"))
    if "crawler" not in chosen:
        findings.clear()
    if "sqlmap" in chosen:
        found, more = timed(
            "sqlmap", lambda: sqlmap.scan(sites, clients, workdir, options.sqlmap_seconds, log)
        )
        findings += found
        notes += more
    if "wapiti" in chosen:
        found, more = timed(
            "wapiti",
            lambda: wapiti.scan(clients, list(ROLES), workdir, options.wapiti_seconds, log),
        )
        findings += found
        notes += more
    if "crawler" in chosen and chosen & {"sqlmap", "wapiti"}:
        timed("crawler again", lambda: crawl_all("after the scanners"))
    return findings


if __name__ == "__main__":
    main()
