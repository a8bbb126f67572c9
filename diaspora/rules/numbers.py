"""The one way to read a whole number typed in a query string (pages, filters, ids)."""

from collections.abc import Callable

LAST_PAGE = 100_000  # beyond any real list, and small enough for the database's OFFSET


def whole_number(low: int, high: int, clamp: bool = True) -> Callable[[str], int]:
    """A `type=` for `request.args.get(name, default, type=...)`: the whole number written in
    the value as int() reads it ("١٢" and "１２" are 12; "²", "1.5", "" and numbers of
    thousands of digits are none, so get() gives its default), clamped to [low, high]; with
    `clamp=False` a number outside is none either (an id: the nearest one is another thing)."""

    def convert(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            if not clamp:
                raise ValueError(f"{number} is not from {low} to {high}")
            number = min(max(number, low), high)
        return number

    return convert
