"""Figures counted over whole tables (accounts by role, experts by country, skills on offer)
kept a short while in each process: at national scale counting them takes from tens of
milliseconds to a second, too long for every view of the pages that show them. They are then
up to FIGURES_MAX_AGE_SECONDS old (0 counts them afresh on every view)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from time import monotonic
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def kept_a_while(count: Callable[[], T]) -> Callable[[], T]:
    """`count()` (plain values, no database objects), computed again once its last result is
    older than FIGURES_MAX_AGE_SECONDS; kept per application, so per process."""

    @wraps(count)
    def kept() -> T:
        max_age = current_app.config["FIGURES_MAX_AGE_SECONDS"]
        if max_age <= 0:
            return count()
        store = current_app.extensions.setdefault("diaspora.kept_figures", {})
        now = monotonic()
        found = store.get(count.__qualname__)
        if found is not None and now - found[0] < max_age:
            return found[1]
        value = count()
        store[count.__qualname__] = (now, value)  # threads racing here both count: harmless
        return value

    return kept
