"""sqlmap over every form and every query-string address each role sees (from the crawl), with
that role's session cookie and the form's own CSRF token.

Batch mode, level 1, risk 1, a bounded time per target. sqlmap exits 0 whatever it finds: the
verdict is read from the CSV of injection points it writes to its output folder, and from the
HTTP errors it counted (a 500 answer to an injection payload is a defect too).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.security.client import Client
from bench.security.crawler import SiteMap, kind_of
from bench.security.findings import Finding

SERVER_ERRORS = re.compile(r"^(5\d\d) \(([^)]*)\) - (\d+) times", re.MULTILINE)


@dataclass
class Target:
    role: str
    name: str  # METHOD kind-of-path, for the table
    url: str  # query string included for GET
    data: str | None  # the POST body, CSRF token included
    params: list[str]  # the parameters to inject into


def _representatives(names: list[str]) -> list[str]:
    """One field per repeated row: skills-0-name stands for skills-1-name… (same code reads
    them), which keeps a 60-field profile form to a minute."""
    seen, kept = set(), []
    for name in names:
        shape = re.sub(r"-\d+-", "-N-", name)
        if shape not in seen:
            seen.add(shape)
            kept.append(name)
    return kept


def targets(site: SiteMap, base: str) -> list[Target]:
    found = []
    for form in site.forms.values():
        if "file" in form.types.values():
            continue  # multipart uploads: sqlmap cannot post them from --data; wapiti does
        params = _representatives(form.testable())
        if not params:
            continue  # nothing to inject into but the CSRF token
        body = urllib.parse.urlencode(form.ticked())
        name = f"{form.method} {kind_of(form.action)}"
        if form.method == "GET":
            path = urllib.parse.urlsplit(form.action).path
            found.append(Target(site.role, name, f"{base}{path}?{body}", None, params))
        else:
            found.append(Target(site.role, name, base + form.action, body, params))
    for page in site.query_pages():
        query = urllib.parse.urlsplit(page).query
        params = list(urllib.parse.parse_qs(query, keep_blank_values=True))
        found.append(
            Target(site.role, f"GET {kind_of(page)}?{','.join(params)}", base + page, None, params)
        )
    return found


def run(
    target: Target, client: Client, workdir: Path, seconds: float
) -> tuple[list[Finding], str | None]:
    """sqlmap on one target: its findings, and a note when it could not finish in time."""
    output = workdir / f"sqlmap-{abs(hash((target.role, target.name, target.url)))}"
    shutil.rmtree(output, ignore_errors=True)
    command = [
        "sqlmap",
        "-u",
        target.url,
        "-p",
        ",".join(target.params),
        "--cookie",
        client.cookie_header(),
        "--drop-set-cookie",
        "--batch",
        "--flush-session",
        "--disable-coloring",
        "--level=1",
        "--risk=1",
        # A time-based finding must survive ten-second delays: a machine busy with other jobs
        # answers slowly now and then, and that must not read as an injection.
        "--time-sec=10",
        "--threads=4",
        f"--output-dir={output}",
    ]
    if target.data is not None:
        command += ["--data", target.data]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
            env={**os.environ, "TERM": "dumb"},
        )
    except subprocess.TimeoutExpired:
        return [], f"sqlmap {target.role} {target.name}: stopped after {seconds:.0f} s"
    points = _injection_points(output)
    findings = [
        Finding(
            "sqlmap",
            target.name,
            target.role,
            f"{row['Place']} parameter {row['Parameter']} injectable ({row['Technique(s)']})",
            "high",
        )
        for row in points
        if not _disproved(row)
    ]
    for status, reason, count in SERVER_ERRORS.findall(done.stdout):
        findings.append(
            Finding(
                "sqlmap",
                target.name,
                target.role,
                f"{count} answers {status} {reason} to injection payloads",
                "medium",
            )
        )
    note = None
    for row in filter(_disproved, points):
        # Kept in the report: a page that changes with every submission (a list that grows)
        # can look like a boolean injection until sqlmap's own confirmation disproves it.
        note = f"sqlmap {target.role} {target.name}: {row['Parameter']}: {row['Note(s)']}"
    if (
        note is None
        and "all tested parameters do not appear to be injectable" not in done.stdout
        and not findings
    ):
        last = " / ".join(done.stdout.strip().splitlines()[-3:])
        note = f"sqlmap {target.role} {target.name}: no verdict ({last[:200]})"
    return findings, note


def _disproved(row: dict) -> bool:
    """sqlmap's own verdict after its false-positive checks (confirmation payloads) failed."""
    return "false positive" in (row.get("Note(s)") or "")


def _injection_points(output: Path) -> list[dict]:
    rows = []
    for results in output.glob("results-*.csv"):
        with results.open(newline="") as stream:
            rows += [row for row in csv.DictReader(stream) if row.get("Parameter")]
    return rows


def scan(
    sites: list[SiteMap], clients: dict[str, Client], workdir: Path, seconds: float, log
) -> tuple[list[Finding], list[str]]:
    """Every target of every role; log(line) reports progress."""
    if shutil.which("sqlmap") is None:
        return [Finding("sqlmap", "-", "-", "sqlmap is not installed", "high")], []
    findings, notes = [], []
    seen = set()
    for site in sites:
        client = clients[site.role]
        for target in targets(site, client.base):
            # A form several roles see (the language switch, the account page) posts to one
            # view: it is attacked once, as the first role that reaches it.
            key = (target.name, tuple(target.params))
            if key in seen:
                continue
            seen.add(key)
            started = time.monotonic()
            found, note = run(target, client, workdir, seconds)
            findings += found
            notes += [note] if note else []
            log(
                f"  sqlmap {site.role:9} {target.name:52} {len(target.params):3} params "
                f"{time.monotonic() - started:5.1f} s {'FOUND' if found else ''}"
            )
            if site.role != "anonymous" and not client.logged_in():
                client.login_as_role()  # a target logged this role out: go on signed in
    return findings, notes
