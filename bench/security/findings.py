"""What a check found, and the one table every check's findings are printed in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str  # which check: sqlmap, wapiti, bandit, takeover, production, csv, crawler
    target: str  # the page, form, file or setting concerned
    role: str  # who was logged in (anonymous, expert, member, admin) or "-" for offline checks
    finding: str  # what is wrong, in a sentence
    severity: str  # high, medium or low


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
COLUMNS = ("check", "target", "role", "finding", "severity")
WIDTHS = {"check": 10, "target": 40, "role": 9, "finding": 120, "severity": 8}


def _cell(value: str, width: int) -> str:
    value = " ".join(str(value).split())  # one line per finding, whatever the tool printed
    return value if len(value) <= width else value[: width - 1] + "…"


def table(findings: list[Finding]) -> str:
    """The findings as a fixed-width table, the most severe first."""
    rows = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.check, f.target))
    lines = [" ".join(name.ljust(WIDTHS[name]) for name in COLUMNS)]
    lines.append(" ".join("-" * WIDTHS[name] for name in COLUMNS))
    for finding in rows:
        lines.append(
            " ".join(
                _cell(getattr(finding, name), WIDTHS[name]).ljust(WIDTHS[name]) for name in COLUMNS
            ).rstrip()
        )
    return "\n".join(lines)
