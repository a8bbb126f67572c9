"""Certificates of contribution: a PDF for the expert of a completed collaboration, and the
public check of its verification code.

The code is random and stored with the collaboration (drawn at completion), not an HMAC of
its facts: checking it reads the collaboration anyway (the page shows what the certificate
states, from the database), a stored code survives a rotation of SECRET_KEY, and a forged or
mistyped one is simply not found. Twelve characters of a 31-letter alphabet (about 2^59
codes) cannot be guessed, and the check is rate-limited.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from diaspora.extensions import db
from diaspora.models import Collaboration, CollaborationStatus, ExpertProfile, Project, User
from diaspora.notifications.links import external_url
from diaspora.services.errors import NotFound

# No 0/O, 1/I/L: a code read aloud or copied by hand comes back right.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4
FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"


def new_code() -> str:
    """A fresh random code, "XXXX-XXXX-XXXX"."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )


def normalise(code: str) -> str | None:
    """The stored form of a typed code (any case, spaces or dashes anywhere), or None when it
    cannot be one."""
    letters = "".join(ch for ch in (code or "").upper() if ch not in " -\t")
    if len(letters) != GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in letters):
        return None
    return "-".join(letters[i : i + GROUP_LENGTH] for i in range(0, len(letters), GROUP_LENGTH))


@dataclass(frozen=True)
class Certificate:
    """What a certificate states."""

    code: str
    expert_name: str
    project_title: str
    institution_name: str
    started_on: date | None
    completed_on: date
    confirmed_hours: int
    outcome: str

    @property
    def url(self) -> str:
        return external_url("collaborations.certificate", code=self.code)


def _facts(collab: Collaboration) -> Certificate:
    expert = collab.expert
    return Certificate(
        code=collab.certificate_code,
        expert_name=(expert.user.full_name or expert.ref) if expert else "",
        project_title=collab.project.title,
        institution_name=collab.project.institution.name,
        started_on=collab.started_on,
        completed_on=collab.completed_at.date(),
        confirmed_hours=collab.confirmed_hours,
        outcome=collab.outcome or "",
    )


def verify(code: str) -> Certificate:
    """What the certificate of `code` states; NotFound for a code that is malformed, forged,
    or whose expert erased their account."""
    stored = normalise(code)
    if stored is None:
        raise NotFound("certificate")
    collab = db.session.scalar(
        select(Collaboration)
        .where(
            Collaboration.certificate_code == stored,
            Collaboration.status == CollaborationStatus.COMPLETED,
        )
        .options(
            joinedload(Collaboration.project).joinedload(Project.institution),
            joinedload(Collaboration.expert).joinedload(ExpertProfile.user),
            selectinload(Collaboration.hours),
        )
    )
    if collab is None or collab.expert is None:
        raise NotFound("certificate")
    return _facts(collab)


def for_expert(user: User, collaboration_id: int) -> Certificate:
    """The certificate of the expert's own completed collaboration; NotFound otherwise."""
    collab = db.session.get(Collaboration, collaboration_id)
    if (
        collab is None
        or collab.expert is None
        or collab.expert.user_id != user.id
        or collab.status != CollaborationStatus.COMPLETED
        or not collab.certificate_code
    ):
        raise NotFound("certificate")
    return _facts(collab)


def pdf(certificate: Certificate, locale: str) -> bytes:
    """The certificate as a PDF in `locale` (Arabic shaped and right to left)."""
    locale = locale if locale in current_app.config["LANGUAGES"] else "fr"
    rtl = locale == "ar"
    with force_locale(locale):
        lines = _lines(certificate)
        title = _("Certificate of contribution")
    doc = FPDF(format="A4")
    doc.set_title(title)
    doc.set_author(_platform_name(locale))
    doc.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    if rtl:
        doc.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    else:
        doc.set_text_shaping(use_shaping_engine=True)
    align = "R" if rtl else "L"
    doc.add_page()
    doc.set_font("DejaVu", "B", 22)
    doc.cell(0, 20, title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    for bold, size, line in lines:
        doc.set_font("DejaVu", "B" if bold else "", size)
        doc.multi_cell(0, size * 0.6, line, align=align, new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
    return bytes(doc.output())


def _platform_name(locale: str) -> str:
    with force_locale(locale):
        return _("Diaspora")


def _lines(c: Certificate) -> list[tuple[bool, int, str]]:
    started = format_date(c.started_on, "long") if c.started_on else "—"
    lines = [
        (
            False,
            13,
            _(
                "The platform certifies that %(name)s contributed to the project “%(project)s” "
                "of %(institution)s.",
                name=c.expert_name,
                project=c.project_title,
                institution=c.institution_name,
            ),
        ),
        (False, 12, _("Started on: %(date)s", date=started)),
        (False, 12, _("Completed on: %(date)s", date=format_date(c.completed_on, "long"))),
        (True, 13, _("Hours confirmed by the institution: %(hours)d", hours=c.confirmed_hours)),
    ]
    if c.outcome:
        lines.append((False, 11, _("What was delivered: %(outcome)s", outcome=c.outcome)))
    lines += [
        (True, 12, _("Verification code: %(code)s", code=c.code)),
        (False, 10, _("Anyone can check this certificate at %(url)s", url=c.url)),
    ]
    return lines
