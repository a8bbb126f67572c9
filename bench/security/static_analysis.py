"""bandit over the application code: medium severity and up. A finding that is a false positive
is silenced in the code with `# nosec BXXX` and the reason beside it, never here."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.security.findings import Finding
from bench.security.server import ROOT

PATHS = ["diaspora", "config.py", "wsgi.py"]


def run(log) -> list[Finding]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--recursive",
            "--severity-level",
            "medium",
            "--format",
            "json",
            "--quiet",
            *PATHS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [
            Finding(
                "bandit",
                "-",
                "-",
                "bandit did not run: " + (done.stderr.strip()[-200:] or "no output"),
                "high",
            )
        ]
    totals = report["metrics"]["_totals"]
    log(
        f"  bandit: {totals['loc']} lines, {len(report['results'])} findings, "
        f"{totals['nosec']} nosec"
    )
    return [
        Finding(
            "bandit",
            f"{r['filename']}:{r['line_number']}",
            "-",
            f"{r['test_id']} {r['issue_text']} (confidence {r['issue_confidence'].lower()})",
            r["issue_severity"].lower(),
        )
        for r in report["results"]
    ]
