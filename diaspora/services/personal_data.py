"""Personal data: everything the platform holds about a person (export), and erasure.

Experts and members of institutions get both. Erasure keeps history, not the person:

- Rows that belong to the person are found from the models, not from a list kept by hand: every
  table with a foreign key to the erased rows (users, then what goes with them) is treated as
  its foreign key's ON DELETE says (CASCADE: the rows go; SET NULL: the rows stay, unlinked).
  A table added later is covered without touching this module.
- The exceptions, each done before that walk and each listed in the privacy notice:
  - matches (``expert_id`` is SET NULL): a match an admin approved stays, with no expert and
    without its personal parts, so the project's seat and history stay true; an invitation
    still pending is closed ("expert_left"); suggestions nobody approved are deleted.
  - the outbox (``user_id`` is SET NULL): messages addressed to the person are deleted, and
    the person's name, address, LinkedIn link, reference and messages are replaced in the
    messages addressed to others.
  - the audit log (``actor_id`` is SET NULL): entries stay, to say what happened, with the
    person's details removed from them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import Table, Text, cast, delete, func, or_, select, update
from werkzeug.security import check_password_hash

from diaspora import wording
from diaspora.extensions import db
from diaspora.interchange import expert_to_dict
from diaspora.models import (
    ApiToken,
    AuditEntry,
    ExpertProfile,
    Match,
    MatchSource,
    MatchStatus,
    MemberInvitation,
    Notification,
    OutboxMessage,
    Project,
    Role,
    SavedSearch,
    User,
)
from diaspora.models.base import utcnow
from diaspora.notifications import kinds
from diaspora.services import (
    audit,
    cv,
    expert_changes,
    institution_members,
    notifications,
    rescoring,
)
from diaspora.services.errors import PermissionDenied, ValidationFailed
from diaspora.services.experts import own_profile
from diaspora.services.match_states import transition
from diaspora.services.permissions import was_approved
from diaspora.services.records import expert_record

S = MatchStatus
# Who may export and erase their own data here (admin accounts are not closed from a web page).
ROLES = (Role.EXPERT, Role.INSTITUTION)

# Audit details of a match that describe the expert: who, how they scored, and reasons written
# by them (answers) or about them (rejections). Closing and expiry reasons are the platform's.
_MATCH_DETAILS_ABOUT_EXPERT = ("expert", "score")
_REASON_ABOUT_EXPERT = frozenset({"match.accepted", "match.declined", "match.rejected"})
# What replaces the person in the audit log, which admins read in every language.
AUDIT_PLACEHOLDER = "[erased]"
# Shorter names would match ordinary words ("Al", "Li") in other people's emails.
_MIN_NAME = 3


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return value.isoformat()


def _check_role(user: User) -> None:
    if user.role not in ROLES:
        raise PermissionDenied()


def _audit_about(user: User, profile: ExpertProfile | None):
    about_profile = (
        (AuditEntry.subject_type == "expertprofile") & (AuditEntry.subject_id == profile.id)
        if profile is not None
        else False
    )
    return or_(
        AuditEntry.actor_id == user.id,
        (AuditEntry.subject_type == "user") & (AuditEntry.subject_id == user.id),
        about_profile,
    )


# -- export ---------------------------------------------------------------------------------


def _why(explanation, locale: str) -> dict:
    """The stored explanation in sentences, in the person's language (as their pages say it)."""
    with force_locale(locale):
        reasons = wording.describe(explanation)
        return {
            "skills": [str(s) for s in reasons.skills],
            "factors": [
                {"factor": str(label), "value_percent": value, "weight_percent": weight}
                for label, value, weight in reasons.factors
            ],
            "notes": [str(n) for n in reasons.notes],
        }


def _expert_part(user: User, profile: ExpertProfile) -> dict:
    part = expert_to_dict(expert_record(profile))
    part.update(
        {
            "visibility": profile.visibility,
            "hidden_from_institutions": list(profile.hidden_sections or ()),
            "consent_version": profile.consent_version,
            "consent_at": _iso(profile.consent_at),
            "created_at": _iso(profile.created_at),
            "skills_recognised": [
                {
                    "name": s.name,
                    "concept_id": s.concept_id,
                    "method": s.method,
                    "confidence": s.confidence,
                }
                for s in profile.skills
            ],
        }
    )
    return part


def _matches(user: User, profile: ExpertProfile) -> list[dict]:
    # Every match, suggestions under review included: being scored by the engine is itself
    # data about the person (profiling), which the right of access covers.
    matches = db.session.scalars(
        select(Match).where(Match.expert_id == profile.id).order_by(Match.id)
    ).all()
    with force_locale(user.locale):
        under_review = _(
            "Suggested by the matching engine and waiting for an administrator's "
            "review: you were not invited."
        )
        asked = _("You expressed interest in this project; an administrator will review it.")
    return [
        {
            "project": m.project.ref,
            "title": m.project.title,
            "institution": m.project.institution.name,
            "status": m.status,
            "under_review": m.status == S.SUGGESTED,
            "note": (asked if m.source == MatchSource.EXPERT else under_review)
            if m.status == S.SUGGESTED
            else None,
            # The expert's own words when they asked for the project (never a member's note).
            "interest_note": m.proposal_note if m.source == MatchSource.EXPERT else None,
            "score": m.score,
            "suggested_at": _iso(m.created_at),
            "invited_at": _iso(m.invited_at),
            "answered_at": _iso(m.answered_at),
            "answer_reason": m.answer_reason,
            "explanation": m.explanation,
            "why": _why(m.explanation, user.locale),
        }
        for m in matches
    ]


def _member_part(user: User) -> dict:
    projects = db.session.scalars(
        select(Project).where(Project.created_by_id == user.id).order_by(Project.id)
    ).all()
    proposals = db.session.scalars(
        select(Match)
        .where(Match.proposed_by_id == user.id, Match.source == MatchSource.INSTITUTION)
        .order_by(Match.id)
    ).all()
    sent = db.session.scalars(
        select(MemberInvitation)
        .where(MemberInvitation.invited_by_id == user.id)
        .order_by(MemberInvitation.id)
    ).all()
    return {
        "institutions": [
            {"name": m.institution.name, "role": m.role, "member_since": _iso(m.created_at)}
            for m in user.memberships
        ],
        "projects_created": [
            {"ref": p.ref, "title": p.title, "status": p.status, "created_at": _iso(p.created_at)}
            for p in projects
        ],
        # The expert is named by reference only: their details are theirs, not the member's.
        "proposals_made": [
            {
                "project": m.project.ref,
                "expert": m.expert.ref if m.expert is not None else None,
                "note": m.proposal_note,
                "status": m.status,
                "proposed_at": _iso(m.created_at),
            }
            for m in proposals
        ],
        "invitations_sent": [
            {
                "institution": i.institution.name,
                "email": i.email,
                "status": i.status,
                "sent_at": _iso(i.created_at),
                "answered_at": _iso(i.answered_at),
            }
            for i in sent
        ],
    }


def _notices_part(user: User) -> dict:
    """What the notification centre holds for the person, worded in their language as the
    centre shows it, how they chose to hear of each kind, and the searches they keep."""
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()
    searches = db.session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    ).all()
    with force_locale(user.locale):
        return {
            "notifications": [
                {
                    "kind": n.kind,
                    "text": kinds.sentence(n.kind, n.params or {}),
                    "link": n.link,
                    "created_at": _iso(n.created_at),
                    "read_at": _iso(n.read_at),
                }
                for n in rows
            ],
            "notification_preferences": [
                {"kind": p.kind.name, "label": str(p.kind.label), "frequency": p.frequency}
                for p in notifications.preferences(user)
            ],
            "saved_searches": [
                {
                    "name": s.name,
                    "query": s.query_string,
                    "frequency": s.frequency,
                    "created_at": _iso(s.created_at),
                    "updated_at": _iso(s.updated_at),
                }
                for s in searches
            ],
        }


def export_personal_data(user: User) -> dict:
    """Everything the platform holds about ``user``, as JSON-ready data (the request is audited).

    An expert's profile is in the interchange format, so it can be imported elsewhere.
    """
    _check_role(user)
    user = db.session.get(User, user.id)  # the row, not a request's proxy for it
    audit.record(user, "user.data_exported", user)
    db.session.commit()
    data: dict = {
        "exported_at": _iso(utcnow()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "last_login_at": _iso(user.last_login_at),
        },
    }
    profile = own_profile(user) if user.role == Role.EXPERT else None
    if user.role == Role.EXPERT:
        data["profile"] = _expert_part(user, profile) if profile is not None else None
        data["matches"] = _matches(user, profile) if profile is not None else []
        data["attached_cv"] = cv.export_part(user)
    else:
        data.update(_member_part(user))
    data.update(_notices_part(user))
    emails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
    ).all()
    # What was written to the person, not the bodies: they may hold live sign-in links.
    data["emails"] = [
        {
            "kind": m.kind,
            "subject": m.subject,
            "status": m.status,
            "written_at": _iso(m.created_at),
            "sent_at": _iso(m.sent_at),
        }
        for m in emails
    ]
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()
    # What each token is and did, never its digest.
    data["api_tokens"] = [
        {
            "name": t.name,
            "scope": t.scope,
            "prefix": t.prefix,
            "created_at": _iso(t.created_at),
            "expires_at": _iso(t.expires_at),
            "last_used_at": _iso(t.last_used_at),
            "revoked_at": _iso(t.revoked_at),
        }
        for t in tokens
    ]
    entries = db.session.scalars(
        select(AuditEntry).where(_audit_about(user, profile)).order_by(AuditEntry.id)
    ).all()
    data["history"] = [
        {"at": _iso(e.created_at), "action": e.action, "details": e.details} for e in entries
    ]
    return data


# -- erasure --------------------------------------------------------------------------------


def _erase_rows(table: Table, where, seen: frozenset[str] = frozenset()) -> None:
    """Delete the rows of ``table`` that ``where`` selects, after doing to the rows referring
    to them what each foreign key's ON DELETE says (SQLite enforces none of it by default).

    A nullable reference without a rule is unlinked; a required one without a rule is a gap in
    the models, refused rather than guessed.
    """
    if table.name in seen:
        raise RuntimeError(f"erasure: foreign keys loop through {table.name}")
    for fk in [
        fk for t in db.metadata.sorted_tables for fk in t.foreign_keys if fk.column.table is table
    ]:
        column = fk.parent
        referring = column.in_(select(fk.column).where(where))
        rule = (fk.ondelete or "").upper()
        if rule == "CASCADE":
            _erase_rows(column.table, referring, seen | {table.name})
        elif rule == "SET NULL" or (not rule and column.nullable):
            db.session.execute(update(column.table).where(referring).values({column.name: None}))
        else:
            raise RuntimeError(f"erasure: {column.table.name}.{column.name} has no ON DELETE rule")
    db.session.execute(delete(table).where(where))


def _part_with_matches(profile: ExpertProfile) -> list[int]:
    """Keep approved matches as anonymous facts, close pending invitations, delete the rest.
    Returns the ids of every match the expert had, for the audit log."""
    matches = db.session.scalars(select(Match).where(Match.expert_id == profile.id)).all()
    ids = [m.id for m in matches]
    for match in matches:
        if not was_approved(match):
            db.session.delete(match)  # never approved: nobody but admins ever saw it
            continue
        if match.status == S.INVITED:
            transition(match, S.CLOSED, None, "expert_left")
        # The seat, the project, the status and the dates stay. What described the person
        # goes: why they fit (the explanation and the score, computed from their profile),
        # their rank among candidates and what they wrote.
        match.expert = None
        match.explanation = {}
        match.score = 0.0
        match.rank = None
        match.answer_reason = None
    return ids


def _variants(term: str) -> list[str]:
    """The term as stored in plain text, in HTML and in JSON (which escapes non-ASCII)."""
    return list(dict.fromkeys([term, str(escape(term)), json.dumps(term)[1:-1]]))


def _personal_terms(user: User, profile: ExpertProfile | None) -> dict[str, str]:
    """What names the person in text, each marked "name" or "detail" (how it is replaced)."""
    terms = {user.email: "detail"}
    if len(user.full_name.strip()) >= _MIN_NAME:
        terms[user.full_name.strip()] = "name"
    if profile is not None:
        terms[profile.ref] = "name"
        if profile.linkedin:
            terms[profile.linkedin] = "detail"
    return terms


def _mentions(columns, terms: dict[str, str]):
    """A condition true for rows where any column holds any term (a coarse first filter)."""
    return or_(
        *(
            column.icontains(variant, autoescape=True)
            for column in columns
            for term in terms
            for variant in _variants(term)
        )
    )


def _replacer(terms: dict[str, str], placeholders: dict[str, str]):
    """A function replacing every term, in any of its stored forms, by its placeholder."""
    found = {
        variant.casefold(): placeholders[kind]
        for term, kind in terms.items()
        for variant in _variants(term)
    }
    # The longest first, so that a message containing the name goes as a whole; a term that
    # starts or ends with a letter matches only whole words ("Sam" not inside "Samir").
    pattern = re.compile(
        "|".join(
            rf"(?<!\w){re.escape(v)}(?!\w)"
            if v[:1].isalnum() and v[-1:].isalnum()
            else re.escape(v)
            for v in sorted(found, key=len, reverse=True)
        ),
        re.IGNORECASE,
    )

    def replace(text: str) -> str:
        return pattern.sub(lambda m: found[m.group(0).casefold()], text)

    return replace


def _clean_outbox(user: User, profile: ExpertProfile | None, reasons: list[str]) -> None:
    """Delete what was addressed to the person; take them out of what others received.

    ``reasons`` (the messages they wrote with their answers) are removed from the emails that
    name them, which are the ones that quote them: a short message ("No") must not be cut out
    of unrelated emails.
    """
    db.session.execute(
        delete(OutboxMessage).where(
            or_(
                OutboxMessage.user_id == user.id,
                func.lower(OutboxMessage.to_address) == user.email.lower(),
            )
        )
    )
    terms = _personal_terms(user, profile)
    columns = (OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html)
    for row in db.session.scalars(select(OutboxMessage).where(_mentions(columns, terms))):
        with force_locale(row.locale):  # the placeholder reads in the recipient's language
            replace = _replacer(
                {**dict.fromkeys(reasons, "detail"), **terms},
                {
                    "name": _("an expert who has left the platform")
                    if user.role == Role.EXPERT
                    else _("a member who has left the platform"),
                    "detail": _("[removed]"),
                },
            )
        subject = replace(row.subject)
        row.subject = (subject[:1].upper() + subject[1:])[:255]
        row.body_text = replace(row.body_text)
        row.body_html = replace(row.body_html)


def _scrubbed(value, replace):
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_scrubbed(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, replace) for k, v in value.items()}
    return value


def _anonymise_audit(user: User, profile: ExpertProfile | None, match_ids: list[int]) -> None:
    """Entries stay, to say what happened; who it happened to goes."""
    subjects = {("user", user.id)}
    if profile is not None:
        subjects.add(("expertprofile", profile.id))
    terms = _personal_terms(user, profile)
    replace = _replacer(terms, {"name": AUDIT_PLACEHOLDER, "detail": AUDIT_PLACEHOLDER})
    entries = db.session.scalars(
        select(AuditEntry).where(
            or_(
                *(
                    (AuditEntry.subject_type == kind) & (AuditEntry.subject_id == id_)
                    for kind, id_ in subjects
                ),
                (AuditEntry.subject_type == "match") & AuditEntry.subject_id.in_(match_ids),
                AuditEntry.actor_id == user.id,
                _mentions([cast(AuditEntry.details, Text)], terms),
            )
        )
    )
    for entry in entries:
        details = dict(entry.details or {})
        entry.request_id = None  # it finds the request's log line, which names the user
        if entry.actor_id == user.id:
            entry.actor_id = None
        if (entry.subject_type, entry.subject_id) in subjects:
            entry.subject_id = None  # an id may be given again to somebody else
            details = {}  # everything in an entry about the person is about the person
        elif entry.subject_type == "match" and entry.subject_id in match_ids:
            for key in _MATCH_DETAILS_ABOUT_EXPERT:
                details.pop(key, None)
            if entry.action in _REASON_ABOUT_EXPERT:
                details.pop("reason", None)
        entry.details = _scrubbed(details, replace)


def erase_account(user: User, password: str) -> None:
    """Erase the person, keeping only the anonymous history the privacy notice lists: see the
    module's docstring. Needs the account's password."""
    _check_role(user)
    user = db.session.get(User, user.id)  # the row, not a request's proxy for it
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        raise ValidationFailed({"password": [_("This is not your current password.")]})
    problem = institution_members.erase_problem(user)
    if problem:
        raise ValidationFailed(problem)
    role = user.role
    profile = own_profile(user) if role == Role.EXPERT else None
    profile_id = profile.id if profile is not None else None
    reasons: list[str] = []
    match_ids: list[int] = []
    if profile is not None:
        reasons = list(
            db.session.scalars(
                select(Match.answer_reason).where(
                    Match.expert_id == profile.id, func.trim(Match.answer_reason) != ""
                )
            )
        )
        match_ids = _part_with_matches(profile)
    _clean_outbox(user, profile, reasons)
    _anonymise_audit(user, profile, match_ids)
    db.session.flush()
    # Rows are deleted by SQL below: the session must not hold on to them (the request still
    # reads the signed-in user to log them out).
    for row in (user, profile):
        if row is not None and row in db.session:
            db.session.expunge(row)
    _erase_rows(User.__table__, User.__table__.c.id == user.id)
    audit.record(None, "user.erased", None, role=role)
    expert_changes.note(profile_id)  # every process's index drops the expert
    db.session.commit()
    if profile_id is not None:
        rescoring.rescore_expert(profile_id)  # the expert leaves this process's index
