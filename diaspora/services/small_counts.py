"""Published counts that cannot single anyone out.

A count of fewer than MIN_CELL people (but not none) is hidden and shown as "< 5". Hiding a cell
is not enough when the others and their total are published: the difference would give it back,
or narrow it down (a total that leaves 6 for a "< 5" and a "5 or more" says the small one is 1).
So whenever a table of parts hides a small cell, other cells are hidden too (shown as "5 or
more"), the smallest that will do, until every hidden small count could be any of 1 to
MIN_CELL - 1 given what is shown (complementary suppression); when no choice of cells does,
the total is hidden as well. A table whose total is itself below MIN_CELL is not broken down
at all: its parts would narrow each other down (four rows under a total of "< 5" are 1 each).
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


def _undetermined(small: list[int], big: list[int]) -> bool:
    """Whether, knowing only the sum of the hidden cells, each hidden small one (each in
    1..MIN_CELL-1, the big ones each MIN_CELL or more) could be any of 1..MIN_CELL-1."""
    if not small:
        return True
    hidden = sum(small) + sum(big)
    top = MIN_CELL - 1
    least_of_others = (len(small) - 1) + MIN_CELL * len(big)
    most_of_others = top * (len(small) - 1) if not big else hidden
    return hidden - top >= least_of_others and hidden - 1 <= most_of_others


def table(rows: Iterable[tuple[str, int]]) -> tuple[list[tuple[str, Cell]], Cell]:
    """Counts that add up to a published total, and that total: small ones hidden, and as few
    other ones as keep each small one undetermined (see the module's docstring). Keeps the
    order given."""
    rows = list(rows)
    total = sum(n for _, n in rows)
    cells = [(key, count(n)) for key, n in rows]
    if 0 < total < MIN_CELL:
        return [], count(total)
    small = [n for _, n in rows if 0 < n < MIN_CELL]
    if not small:
        return cells, count(total)
    others = sorted((n, i) for i, (_, n) in enumerate(rows) if n >= MIN_CELL)
    # At least one other cell is hidden, then the smallest one that is enough alone, or else
    # the largest ones until enough.
    chosen = next(([c] for c in others if _undetermined(small, [c[0]])), others[-1:])
    for candidate in reversed(others):
        if _undetermined(small, [n for n, _ in chosen]):
            break
        if candidate not in chosen:
            chosen.append(candidate)
    for _, i in chosen:
        cells[i] = (cells[i][0], Cell(None, at_least_min=True))
    if not _undetermined(small, [n for n, _ in chosen]):
        return cells, Cell(None, at_least_min=total >= MIN_CELL)
    return cells, count(total)


def parts(rows: Iterable[tuple[str, int]]) -> list[tuple[str, Cell]]:
    """`table`'s cells, for a table whose total is not published on its own (none when that
    total is below MIN_CELL)."""
    return table(rows)[0]
