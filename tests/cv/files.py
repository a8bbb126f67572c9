"""CV files for the tests: the labelled test set (tests/data/cvs) and the broken or unreadable
files people also send, made here so that each test says what its file is."""

import io
import zipfile
from pathlib import Path

from pypdf import PdfWriter

CVS = Path(__file__).resolve().parents[1] / "data" / "cvs"


def test_cv(name: str) -> bytes:
    """A CV of the labelled test set, by the start of its file name ("en01", "fr02"...)."""
    (path,) = [p for p in CVS.iterdir() if p.name.startswith(name) and p.suffix != ".py"]
    return path.read_bytes()


test_cv.__test__ = False  # a helper, not a test


def scanned_pdf() -> bytes:
    """A PDF with pages and no text layer, as a scanner makes."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    """A CV of the test set, encrypted; with an empty user password it opens without one."""
    writer = PdfWriter(clone_from=io.BytesIO(test_cv("en01")))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
ENCRYPTED_DOCX = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
)
TRUNCATED_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"
