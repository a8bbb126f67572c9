"""The suite asserts behaviour, never speed: a timing passes on a quiet machine and fails on a
loaded one (as a clean clone's `make test` once did). Speed is printed by bench/ instead."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = re.compile(r"\b(perf_counter|process_time|monotonic)\b|\btime\.time\(")


def test_no_test_reads_a_clock():
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in TESTS.rglob("*.py")
        if path != Path(__file__) and "node_modules" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CLOCKS.search(line)
    ]
    assert offenders == [], "timings belong in bench/, not in tests: " + ", ".join(offenders)
