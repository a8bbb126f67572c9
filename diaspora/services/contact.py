"""Messages from the contact page to the administrators.

Anyone may write, signed in or not. The answer never depends on who the address belongs to (the
page says the same for every address): nothing is looked up from it, so the form cannot tell
whether someone has an account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.i18n import N_
from diaspora.models import Role, User
from diaspora.notifications.outbox import enqueue

MESSAGE_MAX_LENGTH = 5000
TOPICS = {
    "help": N_("Help with the platform"),
    "personal_data": N_("My personal data"),
    "accessibility": N_("Accessibility"),
    "decision": N_("A decision about me"),
    "other": N_("Something else"),
}


@dataclass(frozen=True)
class ContactMessage:
    name: str
    email: str
    topic: str  # a key of TOPICS
    message: str
    sender_id: int | None = None  # the signed-in account that wrote it, if any


def send_to_admins(note: ContactMessage) -> int:
    """Write the message to every active administrator (their language), in one transaction;
    how many it was written to."""
    topic = note.topic if note.topic in TOPICS else "other"
    admins = db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    ).all()
    for admin in admins:
        enqueue(
            "contact_message",
            admin.email,
            locale=admin.locale,
            user=admin,
            note=note,
            topic=TOPICS[topic],
        )
    db.session.commit()
    return len(admins)
