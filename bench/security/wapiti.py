"""wapiti3 (its own virtualenv, `.venv-wapiti`, made by `make security`) with its common modules
plus the CSRF check and without SSRF (`-m common,csrf,-ssrf`: SSRF needs an outside endpoint
that this machine cannot reach), scoped to the server, signed in by cookie as each role.

Which of its report's categories count as findings:
- every "vulnerability" (injections, XSS, open redirect, file disclosure, CSRF, missing headers,
  cookie flags) except "Secure Flag cookie": this run serves plain HTTP on loopback with
  SESSION_COOKIE_SECURE=false on purpose; production sets the flag (tests/security checks it);
- the "anomalies" "Internal Server Error" (nothing may answer 500) and "Resource consumption"
  (a payload that makes a page outlast the timeout is a denial of service);
- never the "additionals" (technology fingerprints, server metadata): information only.
Its CSRF module knows tokens by name only, and misses the prefixed ones of the account page's
three forms (`pw-csrf_token`…): a "Lack of anti CSRF token" counts only if the same form, posted
again without its token by the same signed-in user, is not refused.
"""

from __future__ import annotations

import json
import subprocess
import urllib.parse
from pathlib import Path

from bench.security.client import Client
from bench.security.findings import Finding

ROOT = Path(__file__).resolve().parents[2]
WAPITI = ROOT / ".venv-wapiti" / "bin" / "wapiti"
MODULES = "common,csrf,-ssrf"
NOT_FINDINGS = {"Secure Flag cookie"}
ANOMALIES = {"Internal Server Error": "medium", "Resource consumption": "low"}
LEVELS = {1: "low", 2: "medium", 3: "high", 4: "high"}
# Never visited: the scan's own session must survive.
EXCLUDED = ["/auth/logout*"]


def scan_role(client: Client, workdir: Path, seconds: float) -> tuple[list[Finding], str | None]:
    """One authenticated wapiti run: its findings, and a note if it was cut short."""
    report = workdir / f"wapiti-{client.role}.json"
    report.unlink(missing_ok=True)
    command = [
        str(WAPITI),
        "-u",
        client.base + "/",
        "--scope",
        "folder",
        "-m",
        MODULES,
        "-f",
        "json",
        "-o",
        str(report),
        "--flush-session",
        "--no-bugreport",
        "--store-session",
        str(workdir / "wapiti-session"),
        "--store-config",
        str(workdir / "wapiti-config"),
        "--max-scan-time",
        str(int(seconds)),
        "--max-attack-time",
        str(int(seconds / 8)),
        "--timeout",
        "30",
        "--verbose",
        "0",
    ]
    for path in EXCLUDED:
        command += ["-x", client.base + path]
    if client.role != "anonymous":
        command += ["-C", client.cookie_header()]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds * 2 + 120
    )
    if not report.exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        return [
            Finding(
                "wapiti", "-", client.role, "wapiti wrote no report: " + " / ".join(tail), "high"
            )
        ], None
    findings = parse(json.loads(report.read_text()), client.role, client)
    if not client.logged_in() and client.role != "anonymous":
        findings.append(
            Finding(
                "wapiti",
                "-",
                client.role,
                "the scan's session ended during the scan: coverage partial",
                "low",
            )
        )
    return findings, None


def _csrf_refused(item: dict, client: Client) -> bool:
    """Whether the form wapiti found "without token" is refused when really sent without one."""
    body = item.get("http_request", "").split("\n\n", 1)[-1]
    fields = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(body, keep_blank_values=True)
        if not k.endswith("csrf_token")
    ]
    return client.post(item["path"], fields).status == 400


def parse(report: dict, role: str, client: Client) -> list[Finding]:
    findings = []
    for category, items in report.get("vulnerabilities", {}).items():
        if category in NOT_FINDINGS:
            continue
        for item in items:
            if item.get("info") == "Lack of anti CSRF token" and _csrf_refused(item, client):
                continue
            findings.append(_finding(category, item, role, LEVELS.get(item.get("level"), "medium")))
    for category, items in report.get("anomalies", {}).items():
        for item in items:
            findings.append(_finding(category, item, role, ANOMALIES.get(category, "low")))
    return findings


def _finding(category: str, item: dict, role: str, severity: str) -> Finding:
    where = f"{item.get('method', '')} {item.get('path', '')}".strip()
    parameter = f" [{item['parameter']}]" if item.get("parameter") else ""
    return Finding(
        "wapiti", where, role, f"{category}{parameter}: {item.get('info', '')}", severity
    )


def scan(
    clients: dict[str, Client], roles: list[str], workdir: Path, seconds: float, log
) -> tuple[list[Finding], list[str]]:
    if not WAPITI.exists():
        return [
            Finding(
                "wapiti",
                "-",
                "-",
                f"wapiti is not installed in {WAPITI.parent.parent} (make security installs it)",
                "high",
            )
        ], []
    findings, notes = [], []
    for role in roles:
        found, note = scan_role(clients[role], workdir, seconds)
        findings += found
        notes += [note] if note else []
        log(f"  wapiti {role}: {len(found)} findings")
    return findings, notes
