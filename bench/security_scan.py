"""sqlmap against the running app: the login form and the search and filter parameters.

    .venv/bin/python bench/security_scan.py [--level 1] [--risk 1] [--database-url URL]

Serves the app on 127.0.0.1 (testing settings: CSRF and throttling off, so that sqlmap's
requests reach the code that queries the database), with an admin, an expert, an institution
and a project in a fresh database, then runs sqlmap in batch mode on each target and prints one
line per target. sqlmap exits 0 whatever it finds, so the verdict is read from its output.
Needs Debian's `sqlmap` (apt-get install -y sqlmap). Not part of the test suite: a run takes
minutes. Exit status 1 when any parameter is reported injectable.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ADMIN = ("admin@scan.example", "scan password 12345")
VULNERABLE = re.compile(r"is vulnerable|appears to be .*injectable|might be injectable"
                        r"|Parameter: .+ \((GET|POST)\)", re.IGNORECASE)
CLEAN = "do not appear to be injectable"


def build_app(database_url: str):
    from flask_migrate import upgrade

    from diaspora import create_app
    from diaspora.extensions import db
    from diaspora.models import ExpertProfile, Institution, Project, Role, User
    from diaspora.models.base import utcnow
    from diaspora.services import accounts

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, MATCH_USE_TEXT=False)
    with app.app_context():
        upgrade()
        accounts.create_admin(*ADMIN)
        institution = Institution(name="Agence", kind="agency", email_domain="agence.ma",
                                  verified_at=utcnow())
        expert = User(email="salma@scan.example", full_name="Salma Bennani", role=Role.EXPERT,
                      email_verified_at=utcnow())
        db.session.add_all([
            institution, expert,
            ExpertProfile(user=expert, ref="E-1", country="AE", city="Dubai",
                          consent_matching=True),
            Project(ref="P-1", institution=institution, title="Vision", sector="health",
                    mode="remote"),
        ])
        db.session.commit()
    return app


def serve(app) -> str:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args):  # thousands of probes would bury the summary
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def admin_cookie(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"email": ADMIN[0], "password": ADMIN[1]}).encode()
    opener.open(base + "/auth/login", data=body)
    session = next(c for c in jar if c.name == "session")
    return f"session={session.value}"


def targets(base: str, cookie: str) -> list[tuple[str, list[str]]]:
    as_admin = ["--cookie", cookie, "--skip", "session"]
    return [
        ("login form", ["-u", base + "/auth/login",
                        "--data", "email=someone@example.org&password=secret"]),
        ("skill autocomplete", ["-u", base + "/api/skills?q=python&lang=fr&limit=5"]),
        ("add-expert search", ["-u", base + "/matches/review/projects/1/add?q=salma", *as_admin]),
        ("audit log filters", ["-u", base + "/admin/audit?action=user.&actor=admin"
                               "&subject=user&since=2026-01-01&page=1", *as_admin]),
        ("review queue filters", ["-u", base + "/matches/review?sector=health&institution=1"
                                  "&min_score=50&min_age=1", *as_admin]),
        ("outbox filter", ["-u", base + "/admin/mail?status=pending&page=1", *as_admin]),
    ]


def scan(name: str, args: list[str], options, output_dir: str) -> bool:
    """Run sqlmap on one target; True when it reports an injectable parameter."""
    command = ["sqlmap", *args, "--batch", "--flush-session", "--disable-coloring",
               f"--level={options.level}", f"--risk={options.risk}", "--threads=4",
               f"--output-dir={output_dir}"]
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    found = [line.strip() for line in run.stdout.splitlines() if VULNERABLE.search(line)]
    verdict = "INJECTABLE" if found else ("clean" if CLEAN in run.stdout else "no verdict")
    print(f"{name:22} {verdict:11} {time.monotonic() - started:6.1f} s")
    for line in found:
        print("    " + line)
    if verdict == "no verdict":
        print("    " + "\n    ".join(run.stdout.strip().splitlines()[-5:]))
    return bool(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", type=int, default=1, help="sqlmap --level (1-5)")
    parser.add_argument("--risk", type=int, default=1, help="sqlmap --risk (1-3)")
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    options = parser.parse_args()
    if shutil.which("sqlmap") is None:
        sys.exit("sqlmap is not installed: apt-get install -y sqlmap")

    workdir = tempfile.mkdtemp(prefix="diaspora-scan-")
    os.environ.setdefault("DIASPORA_INSTANCE_DIR", workdir)
    url = options.database_url or f"sqlite:///{workdir}/scan.sqlite"
    base = serve(build_app(url))
    cookie = admin_cookie(base)
    print(f"sqlmap level {options.level} risk {options.risk} against {base} ({url.split(':')[0]})")
    injectable = [scan(name, args, options, os.path.join(workdir, "sqlmap"))
                  for name, args in targets(base, cookie)]
    print(f"{sum(injectable)} of {len(injectable)} targets injectable")
    sys.exit(1 if any(injectable) else 0)


if __name__ == "__main__":
    main()
