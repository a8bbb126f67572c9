"""The audit log: every change of state worth asking about later."""

from diaspora.extensions import db
from diaspora.models import AuditEntry
from diaspora.request_log import current_request_id


def _unproxied(value):
    # Flask's `current_user` is a werkzeug LocalProxy: the entry must name the object behind it
    # ("user"), not the proxy's class ("localproxy").
    return value._get_current_object() if hasattr(value, "_get_current_object") else value


def record(actor, action: str, subject=None, **details) -> AuditEntry:
    """Add an entry to the current transaction; the calling use case commits it."""
    actor, subject = _unproxied(actor), _unproxied(subject)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", actor),
        action=action,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details,
        request_id=current_request_id(),
    )
    db.session.add(entry)
    return entry
