"""Registering an institution asks for evidence: an address at its official domain (never a
free-mail one) or a letter, a readable PDF of 5 MB at most, which only admins download."""

import pytest

from diaspora.models import (
    AuditEntry,
    Evidence,
    EvidenceLetter,
    Institution,
    MemberRole,
    Membership,
    Role,
    User,
)
from diaspora.services.institution_evidence import MAX_LETTER_BYTES
from tests.institutions.conftest import pdf_bytes


def test_an_address_at_the_declared_domain_registers_the_institution_with_its_creator_as_manager(
    register,
):
    assert register().status_code == 302
    institution = Institution.query.one()
    assert institution.evidence == Evidence.DOMAIN and not institution.is_verified
    membership = Membership.query.one()
    assert membership.role == MemberRole.MANAGER
    assert AuditEntry.query.filter_by(action="institution.created").one().details["evidence"] == (
        "domain"
    )


def test_an_address_at_another_domain_is_refused_and_nothing_is_created(register):
    response = register(email="nadia@agriculture.ma")
    assert response.status_code == 200
    assert "Your address must end in @agri.gov.ma" in response.get_data(as_text=True)
    assert User.query.count() == 0 and Institution.query.count() == 0


@pytest.mark.parametrize("domain", ["gmail.com", "Hotmail.FR", "mail.yahoo.fr"])
def test_a_free_mail_domain_is_refused(register, domain):
    response = register(email=f"nadia@{domain.lower()}", email_domain=domain)
    assert response.status_code == 200
    assert "free email provider" in response.get_data(as_text=True)
    assert Institution.query.count() == 0


def test_a_free_mail_domain_is_refused_even_with_a_letter(register):
    response = register(letter=pdf_bytes(), evidence="letter", email_domain="gmail.com")
    assert "free email provider" in response.get_data(as_text=True)
    assert Institution.query.count() == 0


def test_a_letter_registers_the_institution_without_a_domain(register):
    response = register(
        letter=pdf_bytes(), evidence="letter", email="nadia@gmail.com", email_domain=""
    )
    assert response.status_code == 302
    institution = Institution.query.one()
    assert institution.evidence == Evidence.LETTER and institution.email_domain is None
    assert EvidenceLetter.query.one().content.startswith(b"%PDF-")


def test_the_letter_is_required_when_chosen(register):
    response = register(evidence="letter", email_domain="")
    assert "Choose the PDF of the letter." in response.get_data(as_text=True)
    assert User.query.count() == 0


def test_a_letter_over_5_mb_is_refused(register):
    big = pdf_bytes(padding=MAX_LETTER_BYTES)
    assert len(big) > MAX_LETTER_BYTES
    response = register(letter=big, evidence="letter")
    assert response.status_code == 200
    assert "The letter is too large: 5 MB at most." in response.get_data(as_text=True)
    assert Institution.query.count() == 0 and EvidenceLetter.query.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"Hello, I work at the ministry.", b"%PDF-1.7 but then garbage", b"\x89PNG\r\n\x1a\n" * 10],
)
def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(register, content):
    response = register(letter=content, evidence="letter")
    assert "This file is not a PDF we can open." in response.get_data(as_text=True)
    assert Institution.query.count() == 0


def test_only_admins_download_the_letter(client, auth, register, make_user):
    register(letter=pdf_bytes(), evidence="letter")
    institution = Institution.query.one()
    url = f"/admin/institutions/{institution.id}/letter"
    make_user("admin@example.org", role=Role.ADMIN)
    make_user("other@autre.ma", role=Role.INSTITUTION)
    auth.login("other@autre.ma")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("admin@example.org")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert "attachment" in response.headers["Content-Disposition"]


def test_a_member_registers_a_further_institution_and_manages_it(
    client, auth, make_user, make_institution
):
    home = make_institution()
    make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=home)
    auth.login("nadia@sante.gov.ma")
    response = client.post(
        "/institutions/new",
        data={
            "institution_name": "Agence de la Santé Numérique",
            "institution_kind": "agency",
            "email_domain": "sante.gov.ma",
            "evidence": "domain",
        },
    )
    assert response.status_code == 302
    new = Institution.query.filter_by(name="Agence de la Santé Numérique").one()
    assert Membership.query.filter_by(institution_id=new.id).one().role == MemberRole.MANAGER
    assert "/institutions/" in response.headers["Location"]


def test_a_signup_joining_an_institution_without_domain_is_told_to_ask_a_manager(
    client, make_institution
):
    institution = make_institution(domain=None)
    from tests.institutions.conftest import signup_data

    response = client.post(
        "/auth/signup/institution",
        data=signup_data(join="existing", institution_id=str(institution.id)),
    )
    page = response.get_data(as_text=True)
    assert "ask one of its managers to invite you" in page
    assert "administrator only" not in page
