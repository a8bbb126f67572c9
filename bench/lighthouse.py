"""Lighthouse scores of the public pages, in Debian's Chromium.

    .venv/bin/python bench/lighthouse.py [--pages /,/statistics,/how-matching-works]
        [--languages fr,ar,zgh] [--base-url http://127.0.0.1:8000]

Without --base-url it prepares a demo database in a temporary instance folder (`flask db
upgrade`, `flask seed-demo`) and serves it with gunicorn as `make serve` does, on a free port.
Each page is audited in each language (the browser's Accept-Language chooses it) for
performance, accessibility, best practices and SEO, on the default mobile profile, and the
scores are printed with the audits that cost points. Targets: accessibility, best practices and
SEO 100, performance 90 or more; exits 1 when one is missed.

Lighthouse 12 comes from npm (bench/lighthouse/package.json: `npm ci --prefix
bench/lighthouse`); Chromium from Debian (CHROME_PATH, /usr/bin/chromium by default).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
PYTHON_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent", "--prefix", str(LIGHTHOUSE_DIR)],
            check=True,
        )


def serve_demo(instance: Path) -> tuple[subprocess.Popen, str]:
    """The demo data served by gunicorn on a free port; (the process, its base URL)."""
    env = {
        **os.environ,
        "DIASPORA_CONFIG": "development",
        "DIASPORA_INSTANCE_DIR": str(instance),
        "FLASK_APP": "wsgi.py",
        "MATCH_USE_TEXT": "0",  # the sentence encoder plays no part in these pages
        "LOG_LEVEL": "WARNING",
        "FLASK_DEBUG": "0",
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever the virtualenv points to
    }
    flask = str(PYTHON_BIN / "flask")
    subprocess.run(
        [str(PYTHON_BIN / "pybabel"), "compile", "-d", "diaspora/translations"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [str(PYTHON_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env={**env, "DIASPORA_WARM": "1"},
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=1)
            return server, base_url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the demo server did not start")


def audit(url: str, language: str) -> dict:
    """Lighthouse's report (JSON) of one page read in `language`."""
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--locale={'en'}",
            f"--extra-headers={json.dumps({'Accept-Language': language})}",
            "--chrome-flags=--headless --no-sandbox",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def lost_points(report: dict, category: str) -> list[str]:
    """The audits of a category that did not pass, in a few words each."""
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and (audits[ref["id"]].get("score") or 0) < 1
        and audits[ref["id"]].get("scoreDisplayMode")
        not in ("notApplicable", "manual", "informative")
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default="/,/statistics,/how-matching-works")
    parser.add_argument("--languages", default="fr,ar,zgh")
    parser.add_argument("--base-url", help="audit this running server instead of a demo one")
    args = parser.parse_args()
    install_lighthouse()

    server = None
    with tempfile.TemporaryDirectory(prefix="diaspora-lighthouse-") as instance:
        if args.base_url:
            base_url = args.base_url.rstrip("/")
        else:
            server, base_url = serve_demo(Path(instance))
        missed = False
        try:
            print(f"{'page':<24} {'lang':<4} " + " ".join(f"{c:>14}" for c in CATEGORIES))
            for path in args.pages.split(","):
                for language in args.languages.split(","):
                    report = audit(base_url + path, language)
                    if report.get("runtimeError"):
                        print(f"{path:<24} {language:<4} {report['runtimeError']['message']}")
                        missed = True
                        continue
                    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                    print(
                        f"{path:<24} {language:<4} "
                        + " ".join(f"{scores[c]:>14}" for c in CATEGORIES)
                    )
                    for category in CATEGORIES:
                        if scores[category] < TARGETS[category]:
                            missed = True
                            for line in lost_points(report, category):
                                print(f"    {category}: {line}")
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
