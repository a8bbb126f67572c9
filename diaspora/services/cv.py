"""CV upload: a CV is read for the taxonomy's skills it names, the expert reviews what was
found, and only the skills they tick are added to their profile (by the profile service, so
that matching sees them at once).

The file is read and forgotten unless the expert asks to attach it to their profile; then it is
stored (table ``attached_cvs``), downloadable by them and by whoever may see their profile,
included in their data export and erased with their account.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import undefer

from diaspora import vocabulary
from diaspora.cv import extraction, spotting
from diaspora.cv.extraction import Unreadable
from diaspora.extensions import db
from diaspora.models import AttachedCv, ExpertProfile, Role, User
from diaspora.rules import text
from diaspora.services import audit, experts, permissions
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.skills import ResolvedSkill
from diaspora.taxonomy import get_taxonomy

MAX_BYTES = extraction.MAX_BYTES
# The level a proposal starts at when the CV states none: the profile form's default.
DEFAULT_LEVEL = 3
MAX_FILENAME = 150
# How a stored file is served, by the kind its content showed.
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
}
_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "text": ".txt"}


@dataclass(frozen=True)
class ProposalView:
    """A skill found in the CV, as the review page shows it."""

    concept_id: str
    label: str  # in the reader's language
    phrase: str  # the line of the CV that names it
    level: int  # proposed: the level the CV states, else DEFAULT_LEVEL
    level_cue: str  # the CV's words stating the level; empty when it states none
    have: bool  # the profile already has this skill


@dataclass(frozen=True)
class CvReview:
    """The review page: the skills found, and whether the file was attached on the way."""

    proposals: tuple[ProposalView, ...]
    attached: bool = False

    @property
    def new(self) -> tuple[ProposalView, ...]:
        return tuple(p for p in self.proposals if not p.have)


@dataclass(frozen=True)
class AttachedCvView:
    """What the pages say of an attached CV: its name, size and date, and where the
    downloader gets it (``ref`` is the profile's, empty for the expert's own page)."""

    filename: str
    size: int
    uploaded_at: datetime
    ref: str = ""


@dataclass(frozen=True)
class CvFile:
    filename: str
    mimetype: str
    content: bytes


def _messages() -> dict[str, str]:
    # Each way a file can be unusable, and what to do about it.
    return {
        "empty": _("This file is empty. Choose the file of your CV."),
        "too_large": _(
            "This file is larger than %(n)d MB. Save your CV without pictures, or as a PDF "
            "of text, and try again.",
            n=MAX_BYTES // (1024 * 1024),
        ),
        "wrong_type": _(
            "We read PDF, Word (.docx) and plain-text files only. Save your CV in one of "
            "these formats and try again."
        ),
        "old_word": _(
            "This is a Word document of the old format (.doc). Open it in your word "
            "processor, save it as .docx or PDF, and try again."
        ),
        "corrupt": _(
            "We could not open this file: it seems damaged. Save your CV again and retry."
        ),
        "encrypted": _(
            "This file is protected by a password. Save a copy without a password and try again."
        ),
        "no_text": _(
            "This PDF has no text layer (it is probably a scan or a photo), so we cannot read "
            "your skills from it. Save your CV as a PDF from your word processor, or upload "
            "the .docx, and try again."
        ),
    }


def too_large_message() -> str:
    """What an upload over MAX_BYTES is told (the page refuses it before reading it)."""
    return _messages()["too_large"]


def _require_expert(user: User) -> None:
    if not permissions.is_logged_in(user) or user.role != Role.EXPERT:
        raise PermissionDenied()


# -- reading and reviewing ------------------------------------------------------------------


def read_cv(user: User, data: bytes, filename: str, attach: bool, locale: str) -> CvReview:
    """Read an uploaded CV and return the skills it names for the expert to review; nothing
    is saved, except the file itself when ``attach`` (the expert asked). ValidationFailed on
    the field "upload" when the file cannot be read, and then nothing changes."""
    _require_expert(user)
    try:
        cv = extraction.read_cv(data)
    except Unreadable as error:
        raise ValidationFailed({"upload": [_messages()[error.reason]]}) from None
    found = spotting.for_taxonomy(get_taxonomy()).spot(cv.text, cv.kind)
    if attach:
        _attach(user, data, filename, cv.kind)
    rows = [(p.concept_id, p.phrase, p.level, p.level_cue) for p in found]
    return review(user, rows, locale, attached=attach)


def review(
    user: User,
    rows: Sequence[tuple[str, str, int | None, str]],
    locale: str,
    attached: bool = False,
) -> CvReview:
    """The review page's view model from proposals (concept, phrase, level, level cue), also
    when they come back with a confirmation that was refused. Unknown concepts are dropped."""
    _require_expert(user)
    profile = experts.own_profile(user)
    have = {s.concept_id for s in profile.skills} if profile is not None else set()
    taxonomy = get_taxonomy()
    proposals = tuple(
        ProposalView(
            concept_id=concept_id,
            label=taxonomy.label(concept_id, locale),
            phrase=text.clean_line(phrase)[: spotting.MAX_PHRASE + 2],
            level=level if level in vocabulary.SKILL_LEVELS else DEFAULT_LEVEL,
            level_cue=text.clean_line(cue)[:60],
            have=concept_id in have,
        )
        for concept_id, phrase, level, cue in rows
        if taxonomy.get(concept_id) is not None
    )
    return CvReview(proposals, attached)


def confirm(user: User, chosen: Sequence[tuple[str, int | None]], locale: str) -> int:
    """Add the proposals the expert ticked ((concept id, level) pairs) to their profile, named
    in their language; returns how many were added (skills the profile has are skipped).
    ValidationFailed, and nothing saved, when none is ticked or one is not a known skill."""
    _require_expert(user)
    if not chosen:
        raise ValidationFailed(_("Tick the skills to add to your profile."))
    taxonomy = get_taxonomy()
    skills = []
    for concept_id, level in chosen:
        concept = taxonomy.get(concept_id or "")
        if concept is None:
            raise ValidationFailed(_("A skill of this list is unknown: upload your CV again."))
        label = taxonomy.label(concept_id, locale)
        if level not in vocabulary.SKILL_LEVELS:
            raise ValidationFailed(_("Choose a level from 1 to 5 for «%(name)s».", name=label))
        exact = label == concept.labels["en"]
        where = ResolvedSkill(concept_id, concept.labels["en"], "exact" if exact else "alias", 1.0)
        skills.append((label, level, where))
    return experts.add_recognised_skills(user, skills, source="cv")


# -- the attached file ----------------------------------------------------------------------


def _safe_filename(filename: str, kind: str) -> str:
    """The name shown and offered for download: the last part of the path the browser sent,
    without hidden characters, with the extension of what the file is."""
    name = PurePosixPath(text.clean_line(filename or "").replace("\\", "/")).name
    extension = _EXTENSIONS[kind]
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    stem = stem.strip(" .")[: MAX_FILENAME - len(extension)] or "cv"
    return stem + extension


def _attach(user: User, data: bytes, filename: str, kind: str) -> None:
    db.session.execute(delete(AttachedCv).where(AttachedCv.user_id == user.id))
    db.session.add(
        AttachedCv(
            user_id=user.id,
            filename=_safe_filename(filename, kind),
            kind=kind,
            size=len(data),
            content=data,
        )
    )
    audit.record(user, "expert.cv_attached", user, kind=kind, size=len(data))
    db.session.commit()


def _attached(user_id: int, content: bool = False) -> AttachedCv | None:
    query = select(AttachedCv).where(AttachedCv.user_id == user_id)
    if content:
        query = query.options(undefer(AttachedCv.content))
    return db.session.scalar(query)


def _view(row: AttachedCv | None, ref: str = "") -> AttachedCvView | None:
    if row is None:
        return None
    return AttachedCvView(row.filename, row.size, row.uploaded_at, ref)


def own_attached_cv(user: User) -> AttachedCvView | None:
    """The expert's attached CV, or None."""
    _require_expert(user)
    return _view(_attached(user.id))


def attached_cv_for(viewer: User, profile: ExpertProfile) -> AttachedCvView | None:
    """The CV attached to ``profile`` as ``viewer`` may reach it (None when there is none or
    they may not download it); for the profile page."""
    if profile.user_id == viewer.id:
        return _view(_attached(viewer.id))
    if not profile.ref or not permissions.can_download_cv(viewer, profile):
        return None
    return _view(_attached(profile.user_id), ref=profile.ref)


def cv_file(viewer: User, ref: str | None = None) -> CvFile:
    """The file of the CV attached to the profile ``ref`` (the viewer's own when None), for
    download; NotFound when there is none, PermissionDenied when the viewer may not see it."""
    if ref is None:
        _require_expert(viewer)
        owner_id = viewer.id
    else:
        profile = experts.profile_for_viewer(viewer, ref)
        if not permissions.can_download_cv(viewer, profile):
            raise PermissionDenied()
        owner_id = profile.user_id
    row = _attached(owner_id, content=True)
    if row is None:
        raise NotFound("cv")
    return CvFile(row.filename, MIMETYPES[row.kind], row.content)


def remove_cv(user: User) -> bool:
    """Delete the expert's attached CV; False when there was none."""
    _require_expert(user)
    row = _attached(user.id)
    if row is None:
        return False
    db.session.delete(row)
    audit.record(user, "expert.cv_removed", user)
    db.session.commit()
    return True


def export_part(user: User) -> dict | None:
    """The attached CV in the person's data export: its name, date and the file itself
    (base64), or None."""
    row = _attached(user.id, content=True)
    if row is None:
        return None
    return {
        "filename": row.filename,
        "kind": row.kind,
        "size": row.size,
        "uploaded_at": row.uploaded_at.replace(tzinfo=UTC).isoformat(),
        "content_base64": base64.b64encode(row.content).decode("ascii"),
    }
