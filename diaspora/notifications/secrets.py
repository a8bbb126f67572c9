"""Which emails carry a secret: a signed link that acts for its recipient (confirms an address,
sets a password, answers an invitation). Whoever reads such a link can act as that person, so its
text is kept only until the email is delivered, and the admin outbox hides its links outside
development.

A new kind of email with a signed link belongs here; tests/notifications/test_secret_emails.py
fails until it is listed.
"""

import re
from urllib.parse import urlsplit

SECRET_KINDS = frozenset(
    {
        "verify_email",
        "reset_password",
        "invitation",
        "invitation_reminder",
        "member_invitation",
        # Their one-click unsubscribe link acts for the recipient too.
        "project_alert",
        "saved_search_alert",
        "digest",
        # The reminder's reconfirmation link confirms the profile without logging in.
        "reconfirm_reminder",
        # Every optional kind of notification (kinds.py): its unsubscribe link.
        "project_invited",
        "invitation_accepted",
        "invitation_declined",
        "invitation_expired",
        "collaboration_changed",
        "collaboration_hours_logged",
        "collaboration_update",
        "admin_daily",
    }
)

_LINK = re.compile(r"https?://\S+")


def carries_secret(kind: str) -> bool:
    """Whether emails of this kind hold a link that acts for their recipient."""
    return kind in SECRET_KINDS


def hide_links(text: str) -> str:
    """`text` with every web address cut down to its site: the rest of the link is the secret."""

    def cut(match: re.Match) -> str:
        parts = urlsplit(match.group())
        return f"{parts.scheme}://{parts.netloc}/…"

    return _LINK.sub(cut, text)
