"""Published counts that cannot single anyone out.

A count of fewer than MIN_CELL people (but not none) is hidden and shown as "< 5". Hiding a cell
is not enough when the others and their total are published: the difference would give it back.
So whenever a table of parts hides a cell, its smallest shown cell is hidden too (shown as
"5 or more"): what the difference then gives is a sum that holds at least one unknown count of
5 or more, which says nothing about the small ones (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_CELL = 5


@dataclass(frozen=True)
class Cell:
    """A published count: `value` None when hidden, `at_least_min` telling how: below MIN_CELL
    (a small count) or MIN_CELL and more (hidden to protect a small one)."""

    value: int | None
    at_least_min: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None


def count(n: int) -> Cell:
    """One count (or a total): hidden if small."""
    return Cell(None) if 0 < n < MIN_CELL else Cell(n)


def parts(rows: Iterable[tuple[str, int]]) -> list[tuple[str, Cell]]:
    """Counts that add up to a published total: small ones hidden, and the smallest other one
    too when any is (see the module's docstring). Keeps the order given."""
    rows = list(rows)
    cells = [(key, count(n)) for key, n in rows]
    if any(cell.hidden for _, cell in cells):
        shown = [(n, i) for i, (_, n) in enumerate(rows) if n >= MIN_CELL]
        if shown:
            _, i = min(shown)
            cells[i] = (cells[i][0], Cell(None, at_least_min=True))
    return cells
