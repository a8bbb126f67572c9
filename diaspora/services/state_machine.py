"""What the status machines of matches and collaborations share: the refusal of a move, the
check against a table of allowed moves, and the one write that makes a move and audits it.
Each machine (`match_states`, `collaboration_states`) keeps its own table, words and side
effects."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm.attributes import set_committed_value

from diaspora.extensions import db
from diaspora.services import audit
from diaspora.services.errors import DomainError


class IllegalTransition(DomainError):
    """The row cannot go from its status to the one asked for (or another request moved it
    first). `current` is the status it is actually in; each machine words it for people."""

    def __init__(self, current: str, wanted: str):
        self.current = current
        self.wanted = wanted
        super().__init__(f"{current} -> {wanted}")


@dataclass(frozen=True)
class StateMachine:
    """`allowed`: from each status, where it may go (absent or empty means final);
    `refusal`: the error a refused move raises; `audited`: what the audit log keeps of a row
    with each of its moves, besides who, from, to and why."""

    allowed: Mapping[str, frozenset[str]]
    refusal: type[IllegalTransition]
    audited: Callable[[object], dict]

    def can_move(self, current: str, wanted: str) -> bool:
        """Whether the table allows going from `current` to `wanted`."""
        return wanted in self.allowed.get(current, frozenset())

    def move(
        self, row, new_status: str, actor, moment: datetime, reason: str | None, **details
    ) -> str:
        """Move `row` to `new_status` inside the caller's transaction, audit it as
        "<row's type>.<new status>", and return the status it left.

        The UPDATE is conditional on the status read earlier, so of two requests racing on
        the same row one wins and the other gets the refusal and changes nothing.
        """
        old = row.status
        if not self.can_move(old, new_status):
            raise self.refusal(old, new_status)
        db.session.flush()
        table = type(row).__table__
        result = db.session.execute(
            table.update()
            .where(table.c.id == row.id, table.c.status == old)
            .values(status=new_status, updated_at=moment)
        )
        if result.rowcount != 1:
            db.session.refresh(row)
            raise self.refusal(row.status, new_status)
        set_committed_value(row, "status", new_status)
        audit.record(
            actor,
            f"{type(row).__name__.lower()}.{new_status}",
            row,
            **{"from": old, "to": new_status},
            reason=reason,
            **self.audited(row),
            **details,
        )
        return old
