"""Figures counted over whole tables (accounts by role, experts by country, skills on offer)
kept a short while in each process: at national scale counting them takes from tens of
milliseconds to a second, too long for every view of the pages that show them. They are then
up to FIGURES_MAX_AGE_SECONDS old (0 counts them afresh on every view)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from time import monotonic
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def kept_a_while(count: Callable[[], T]) -> Callable[[], T]:
    """`count()` (plain values, no database objects), computed again once its last result is
    older than FIGURES_MAX_AGE_SECONDS; kept per application, so per process. One thread of
    the process counts at a time: while it counts afresh, the others show the figures it
    replaces; before the first count, they wait for its result. (Every thread counting at
    once, each for up to a second, held the page's p99 above a second under load.)"""
    counting = threading.Lock()

    def fresh(found: tuple[float, T] | None, max_age: float) -> bool:
        return found is not None and monotonic() - found[0] < max_age

    @wraps(count)
    def kept() -> T:
        max_age = current_app.config["FIGURES_MAX_AGE_SECONDS"]
        if max_age <= 0:
            return count()
        store = current_app.extensions.setdefault("diaspora.kept_figures", {})
        found = store.get(count.__qualname__)
        if fresh(found, max_age):
            return found[1]
        if not counting.acquire(blocking=found is None):
            return found[1]  # another thread is counting afresh
        try:
            found = store.get(count.__qualname__)
            if fresh(found, max_age):  # counted while this thread waited
                return found[1]
            value = count()
            store[count.__qualname__] = (monotonic(), value)
            return value
        finally:
            counting.release()

    return kept
