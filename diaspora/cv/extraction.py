"""The text of a CV file: PDF (pypdf), DOCX (python-docx) or plain text.

The kind of file is told by its first bytes, never by its name. Every way a file can be
unusable raises `Unreadable` with a reason the caller turns into a message; parsers of
untrusted files raise many exception types, so any other error of theirs means "corrupt".
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from diaspora.rules import text as text_rules

MAX_BYTES = 5 * 1024 * 1024
# A CV is a few pages: longer files are read this far, which bounds the time a file can take.
MAX_PAGES = 30
MAX_CHARS = 200_000
# A DOCX is a zip: refused past these sizes unpacked (a small zip can unpack into gigabytes), for
# all its parts (pictures included) and for the XML parts that are parsed into memory.
MAX_UNPACKED = 60 * 1024 * 1024
MAX_UNPACKED_XML = 10 * 1024 * 1024
# Fewer letters than this in a whole PDF: there is no text layer to speak of (a scan).
MIN_LETTERS = 40

REASONS = ("empty", "too_large", "wrong_type", "old_word", "corrupt", "encrypted", "no_text")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word files, and encrypted Office files
_ENCRYPTED_OFFICE = "EncryptedPackage".encode("utf-16-le")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_ARABIC_LETTERS = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
_LATIN = "0-9A-Za-z\u00c0-\u024f"
# A left-to-right run: Latin words and numbers with what stands between them.
_LTR_RUN = re.compile(f"([{_LATIN}]+(?:[^{_LATIN}{_ARABIC_LETTERS}]*[{_LATIN}]+)*)")


class Unreadable(Exception):
    """The file gives no text; ``reason`` is one of REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CvText:
    """The text of a CV, one line per line of the file; ``kind`` is pdf, docx or text.

    PDF lines are the lines of the page (a sentence may continue on the next one); DOCX and
    text lines are whole paragraphs."""

    text: str
    kind: str


def read_cv(data: bytes) -> CvText:
    """The text of a CV file's bytes, or Unreadable."""
    if len(data) > MAX_BYTES:
        raise Unreadable("too_large")
    if not data.strip():
        raise Unreadable("empty")
    if b"%PDF-" in data[:1024]:
        return CvText(_tidy(_pdf_text(data)), "pdf")
    if data.startswith(b"PK\x03\x04"):
        return CvText(_tidy(_docx_text(data)), "docx")
    if data.startswith(_OLE):
        raise Unreadable("encrypted" if _ENCRYPTED_OFFICE in data else "old_word")
    return CvText(_tidy(_plain_text(data)), "text")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _tidy(text: str) -> str:
    """Compatibility forms folded (Arabic presentation forms, ligatures such as "ﬁ"), hidden
    characters and soft hyphens dropped, spaces collapsed, empty lines removed."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).replace("\u00ad", "")
    lines = (
        _SPACES.sub(" ", text_rules.drop_hidden(line)).strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    return "\n".join(line for line in lines if line)


# -- PDF ------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opened_without_password(reader):
            raise Unreadable("encrypted")
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PAGES]:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size > MAX_CHARS:
                break
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - see the module's docstring
        raise Unreadable("corrupt") from error
    text = "\n".join(_logical_order(line) for part in parts for line in part.split("\n"))
    if _letters(text) < MIN_LETTERS:
        raise Unreadable("no_text")
    return text


def _logical_order(line: str) -> str:
    """A right-to-left line in reading order. A PDF stores a line as it is drawn, left to
    right; pypdf puts the letters of each Arabic run back in reading order but leaves the runs
    where they were drawn, so "Python" and a number in an Arabic line split it into pieces in
    the wrong order. In a line that is mostly Arabic the pieces are read right to left."""
    arabic = len(re.findall(f"[{_ARABIC_LETTERS}]", line))
    if arabic <= len(re.findall(f"[{_LATIN}]", line)):
        return line
    pieces = [piece.strip() for piece in _LTR_RUN.split(line)]
    return " ".join(piece for piece in reversed(pieces) if piece)


def _opened_without_password(reader) -> bool:
    """Many PDFs are encrypted only to restrict printing or copying, with an empty password
    to open them; those are read. AES without a cryptography library counts as locked."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - a missing cryptography dependency or a bad header
        return False


# -- DOCX -----------------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise Unreadable("corrupt") from error
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        # A spreadsheet, a presentation, an OpenDocument file or any other zip.
        raise Unreadable("wrong_type")
    too_big_xml = any(
        m.file_size > MAX_UNPACKED_XML for m in members if m.filename.endswith((".xml", ".rels"))
    )
    if too_big_xml or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise Unreadable("corrupt")
    from docx import Document

    try:
        body = Document(io.BytesIO(data)).element.body
        lines = [_paragraph_text(p) for p in body.iter(f"{_W}p") if not _in_fallback(p)]
    except Exception as error:  # noqa: BLE001 - see the module's docstring
        raise Unreadable("corrupt") from error
    text = "\n".join(lines)
    if not _letters(text):
        raise Unreadable("empty")
    return text


def _in_fallback(paragraph) -> bool:
    # A text box is stored twice, in its modern form and in a fallback for old Word: read once.
    return any(parent.tag == _FALLBACK for parent in paragraph.iterancestors())


def _paragraph_text(paragraph) -> str:
    """A paragraph's text: its runs in order (table cells and text boxes are paragraphs too),
    tabs and line breaks as spaces. Deleted text of tracked changes is not read."""
    out: list[str] = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        out.append(node.text or "" if node.tag == f"{_W}t" else " ")
    return "".join(out)


# -- plain text -----------------------------------------------------------------------------


def _plain_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16")
    elif b"\x00" in data[:4096]:
        raise Unreadable("wrong_type")  # binary: an image, an archive, a program...
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Text saved by older Windows editors in Western Europe.
            text = _decode(data, "cp1252")
    controls = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f"
    )
    if controls > len(text) / 50:
        raise Unreadable("wrong_type")
    if not _letters(text):
        raise Unreadable("empty")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Unreadable("wrong_type") from error
