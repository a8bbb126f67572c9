"""URL converters every blueprint's rules use, and the one way to read a number from the query
string."""

from collections.abc import Callable

from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns: 32-bit on PostgreSQL. SQLite refuses to even compare with an integer
# past 64 bits, so a guessed `/projects/100000000000000000000` used to end in a 500.
LARGEST_ID = 2**31 - 1
LAST_PAGE = 100_000  # beyond any real list, and small enough for the database's OFFSET


class IdConverter(IntegerConverter):
    """`<int:...>` that matches only numbers an id column can hold; larger ones are a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


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
