"""Helpers for the institutions' tests: a real PDF letter, and a sign-up that registers one."""

import io

import pytest
from pypdf import PdfWriter

from tests.conftest import PASSWORD


def pdf_bytes(padding: int = 0) -> bytes:
    """A one-page PDF, grown by `padding` bytes of metadata when asked."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signup_data(**overrides) -> dict:
    data = {
        "full_name": "Nadia Berrada",
        "email": "nadia@agri.gov.ma",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
        "join": "new",
        "institution_name": "Ministère de l'Agriculture",
        "institution_kind": "ministry",
        "email_domain": "agri.gov.ma",
        "evidence": "domain",
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(client):
    """Sign up as the manager of a new institution; `letter` bytes are uploaded."""

    def post(letter: bytes | None = None, **overrides):
        data = signup_data(**overrides)
        if letter is not None:
            data["letter"] = (io.BytesIO(letter), "letter.pdf")
        return client.post(
            "/auth/signup/institution", data=data, content_type="multipart/form-data"
        )

    return post
