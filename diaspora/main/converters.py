"""URL converters every blueprint's rules use, and the one way to read a number from the query
string."""

from werkzeug.routing import IntegerConverter

from diaspora.rules.numbers import LAST_PAGE, whole_number  # noqa: F401  (read from here too)

# Ids are INTEGER columns: 32-bit on PostgreSQL. SQLite refuses to even compare with an integer
# past 64 bits, so a guessed `/projects/100000000000000000000` used to end in a 500.
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` that matches only numbers an id column can hold; larger ones are a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
