"""Putting an email in the outbox, rendered in its recipient's language."""

import uuid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from diaspora.extensions import db
from diaspora.models import OutboxMessage
from diaspora.request_log import current_request_id

# Subjects carry names and titles people typed: together they can outgrow the column.
SUBJECT_LENGTH = OutboxMessage.__table__.c.subject.type.length


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut after the last whole word that fits
    and ended with an ellipsis (a single word longer than that is cut inside)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def enqueue(
    kind: str,
    to_address: str,
    locale: str = "fr",
    user=None,
    unsubscribe_url: str | None = None,
    **context,
) -> OutboxMessage:
    """Render templates/email/<kind>.{subject,txt,html} and add the message to the session.

    An optional email (an alert, the digest) gives its one-click `unsubscribe_url`: the
    templates show it and delivery sends it in the List-Unsubscribe headers.

    The caller's transaction commits it together with the change it announces, so an email is
    sent if and only if that change happened.
    """
    locale = locale if locale in current_app.config["LANGUAGES"] else "fr"
    context = {"user": user, "locale": locale, "unsubscribe_url": unsubscribe_url, **context}
    with force_locale(locale):
        subject = render_template(f"email/{kind}.subject.txt", **context).strip()
        body_text = render_template(f"email/{kind}.txt", **context)
        body_html = render_template(f"email/{kind}.html", subject=subject, **context)
    domain = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "diaspora.local"
    message = OutboxMessage(
        message_id=f"<{kind}.{uuid.uuid4().hex}@{domain}>",
        kind=kind,
        user_id=getattr(user, "id", None),
        to_address=to_address,
        locale=locale,
        subject=shorten(" ".join(subject.split()), SUBJECT_LENGTH),
        body_text=body_text,
        body_html=body_html,
        request_id=current_request_id(),
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(message)
    return message
