"""The consent text's versions. CONSENT_VERSION names the text experts agree to today;
CONSENT_CHANGES says, per version and language, what changed from the one before.

An expert who consented to an older text is paused: the engine's candidates count them as not
consenting (a hard rule, services/engine_inputs.py), searches do not find them, until they accept
the new text from their dashboard. `flask notifications consent` (run on deploy, or from cron)
tells each of them once, with what changed, and refreshes the stored suggestions.

Consent given to a registry whose file we imported (REGISTRY_VERSION) is not to our text: a new
version of ours does not pause it. A consent recorded without a version (older data) neither.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import ColumnElement, or_, select

from diaspora.extensions import db
from diaspora.models import ExpertProfile, User

REGISTRY_VERSION = "import"


def current_version() -> str:
    return current_app.config["CONSENT_VERSION"]


def accepted() -> ColumnElement[bool]:
    """SQL: the profile's consent, if any, was given to a text still in force."""
    return or_(
        ExpertProfile.consent_version.is_(None),
        ExpertProfile.consent_version.in_((current_version(), REGISTRY_VERSION)),
    )


def is_paused(profile: ExpertProfile) -> bool:
    """Whether the expert consented to an older text and has not accepted the current one."""
    return bool(profile.consent_matching) and profile.consent_version not in (
        None,
        current_version(),
        REGISTRY_VERSION,
    )


def changes(locale: str, version: str | None = None) -> str:
    """What changed in `version` (the current one by default), in `locale` (else French)."""
    texts = current_app.config["CONSENT_CHANGES"].get(version or current_version(), {})
    return texts.get(locale) or texts.get("fr", "")


def changes_to_accept(profile: ExpertProfile | None, locale: str) -> str | None:
    """What changed in the text the expert has still to accept, in `locale`; None when they
    have nothing to accept (no profile, or paused by nothing)."""
    return changes(locale) if profile is not None and is_paused(profile) else None


def paused_expert_ids() -> list[int]:
    """Experts whose consent waits for the current text (accounts still open)."""
    return list(
        db.session.scalars(
            select(ExpertProfile.id)
            .join(User, User.id == ExpertProfile.user_id)
            .where(User.active, ExpertProfile.consent_matching, ~accepted())
            .order_by(ExpertProfile.id)
        )
    )
