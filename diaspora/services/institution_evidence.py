"""Evidence that a member acts for the institution they register: an address at its official
email domain, or a letter (a PDF of 5 MB at most). Checked here, kept for the admins who
verify the institution, and downloaded by them only."""

import io
from dataclasses import dataclass

import email_validator
from flask_babel import gettext as _

from diaspora.extensions import db
from diaspora.models import Evidence, EvidenceLetter, Institution, User
from diaspora.rules import institutions as institution_rules
from diaspora.rules import text
from diaspora.services.errors import NotFound, ValidationFailed
from diaspora.services.permissions import require_admin

MAX_LETTER_BYTES = 5 * 1024 * 1024
MAX_DOMAIN_LENGTH = 120  # the column's length


@dataclass(frozen=True)
class EvidenceInfo:
    """`kind` is an `Evidence`; `letter` the uploaded file's bytes (read up to one byte more
    than the limit, so that an oversized file is told apart)."""

    kind: str = Evidence.DOMAIN
    letter: bytes | None = None


def official_domain(typed: str) -> str | None:
    """The staff's email domain as stored (ASCII, lower case), None when left empty, or
    ValidationFailed: checked by the rule addresses follow, measured after folding (a dotted
    capital I is two characters once lower-cased), and never a free-mail provider's."""
    typed = text.clean_line(typed or "").removeprefix("@")
    if not typed:
        return None
    try:
        checked = email_validator.validate_email(f"staff@{typed}", check_deliverability=False)
    except email_validator.EmailNotValidError:
        checked = None
    domain = checked.ascii_domain.lower() if checked else ""
    if not domain or "." not in domain or len(domain) > MAX_DOMAIN_LENGTH:
        raise ValidationFailed(
            {"email_domain": [_("Give a domain such as sante.gov.ma, without the part before @.")]}
        )
    if institution_rules.is_free_mail(domain):
        raise ValidationFailed(
            {
                "email_domain": [
                    _(
                        "%(domain)s is a free email provider's: give your institution's own "
                        "domain, or upload a letter instead.",
                        domain=domain,
                    )
                ]
            }
        )
    return domain


def _is_readable_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        return False
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return False  # admins could not open it
        return len(reader.pages) > 0
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        return False


def check_letter(data: bytes | None) -> bytes:
    """The letter's bytes when it is a readable PDF within the limit, else ValidationFailed."""
    if not data:
        return _refuse_letter(_("Choose the PDF of the letter."))
    if len(data) > MAX_LETTER_BYTES:
        return _refuse_letter(
            _("The letter is too large: %(n)d MB at most.", n=MAX_LETTER_BYTES // (1024 * 1024))
        )
    if not _is_readable_pdf(data):
        return _refuse_letter(_("This file is not a PDF we can open. Upload the letter as a PDF."))
    return data


def _refuse_letter(message: str):
    raise ValidationFailed({"letter": [message]})


def check(evidence: EvidenceInfo, email: str, domain: str | None) -> None:
    """ValidationFailed unless the evidence holds: the member's own address is at the declared
    domain, or the letter is a readable PDF within the limit."""
    if evidence.kind == Evidence.LETTER:
        check_letter(evidence.letter)
        return
    if evidence.kind != Evidence.DOMAIN:
        raise ValidationFailed({"evidence": [_("Choose how you show that you work there.")]})
    if domain is None:
        raise ValidationFailed(
            {"email_domain": [_("Give your institution's official email domain.")]}
        )
    if institution_rules.address_domain(email) != domain:
        raise ValidationFailed(
            {
                "email": [
                    _(
                        "Your address must end in @%(domain)s to show that you work there, "
                        "or upload a letter instead.",
                        domain=domain,
                    )
                ]
            }
        )


def keep(institution: Institution, user: User, evidence: EvidenceInfo) -> None:
    """Record the evidence on a new institution (the caller commits)."""
    institution.evidence = evidence.kind
    if evidence.kind == Evidence.LETTER and evidence.letter:
        db.session.add(
            EvidenceLetter(
                institution=institution,
                uploaded_by_id=user.id,
                size=len(evidence.letter),
                content=evidence.letter,
            )
        )


def letter_for_admin(admin: User, institution_id: int) -> bytes:
    """The letter an institution was registered with, for an admin; NotFound when none."""
    require_admin(admin)
    letter = db.session.scalar(
        db.select(EvidenceLetter).where(EvidenceLetter.institution_id == institution_id)
    )
    if letter is None:
        raise NotFound("letter")
    return letter.content
