"""Reading a CV file: every kind people send, and every way a file can be unusable."""

import io

import pytest
from docx import Document

from diaspora.cv.extraction import MAX_BYTES, read_cv
from diaspora.cv.extraction import Unreadable as U
from tests.cv.files import (
    ENCRYPTED_DOCX,
    OLD_WORD,
    PNG,
    TRUNCATED_PDF,
    encrypted_pdf,
    scanned_pdf,
    test_cv,
    zip_of,
)


def reason(data: bytes) -> str:
    with pytest.raises(U) as refused:
        read_cv(data)
    return refused.value.reason


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("en01", "pdf", "Société de transport de Montréal"),
        ("en02", "docx", "Dialect-aware intent detection"),
        ("fr01", "pdf", "Télédétection, photogrammétrie, cartographie"),
        ("fr04", "docx", "Conduite du changement"),
        ("ar02", "docx", "علم الأوبئة، الصحة العامة"),
        ("ar01", "pdf", "الذكاء الاصطناعي، التعلم الآلي، التعلم العميق"),
    ],
)
def test_each_kind_of_cv_gives_its_text(name, kind, words):
    cv = read_cv(test_cv(name))
    assert cv.kind == kind
    assert words in cv.text


def test_an_arabic_pdf_line_with_latin_words_reads_in_arabic_order():
    # Drawn right to left, the line holds "9" and "INRAE": read back, they stand where the
    # sentence has them, not where the page drew them.
    text = read_cv(test_cv("ar03")).text
    assert "مهندس زراعي بخبرة 9 سنوات في الري الموضعي" in text
    assert "باستعمال R" in text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("Expérience : SIG, télédétection".encode(), "Expérience : SIG, télédétection"),
        ("Expérience : SIG, télédétection".encode("cp1252"), "Expérience : SIG, télédétection"),
        ("\ufeffالمهارات: الإحصاء".encode(), "المهارات: الإحصاء"),
        ("Skills: NLP, statistics".encode("utf-16"), "Skills: NLP, statistics"),
    ],
    ids=["utf-8", "windows-1252", "utf-8 with BOM", "utf-16"],
)
def test_plain_text_in_any_usual_encoding(data, words):
    cv = read_cv(data)
    assert (cv.kind, cv.text) == ("text", words)


def test_a_docx_reads_tables_and_skips_nothing_in_cells():
    document = Document()
    document.add_paragraph("Compétences")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Python"
    table.cell(0, 1).text = "apprentissage automatique"
    out = io.BytesIO()
    document.save(out)
    text = read_cv(out.getvalue()).text
    assert text.split("\n") == ["Compétences", "Python", "apprentissage automatique"]


def test_a_pdf_locked_only_against_copying_is_read():
    assert "Société de transport de Montréal" in read_cv(encrypted_pdf("")).text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b" \n\t ", "empty"),
        (b"12345 ... ---", "empty"),
        (b"x" * (MAX_BYTES + 1), "too_large"),
        (PNG, "wrong_type"),
        (bytes(range(256)) * 8, "wrong_type"),
        (zip_of({"xl/workbook.xml": b"<workbook/>"}), "wrong_type"),
        (OLD_WORD, "old_word"),
        (ENCRYPTED_DOCX, "encrypted"),
        (TRUNCATED_PDF, "corrupt"),
        (zip_of({"word/document.xml": b"<not-word"}), "corrupt"),
        (b"PK\x03\x04" + b"\x00" * 100, "corrupt"),
        (scanned_pdf(), "no_text"),
        (encrypted_pdf("secret"), "encrypted"),
    ],
    ids=[
        "nothing",
        "blank",
        "no letters",
        "over 5 MB",
        "an image",
        "binary garbage",
        "a spreadsheet",
        "old Word",
        "password-protected Word",
        "truncated PDF",
        "broken DOCX",
        "broken zip",
        "scanned PDF",
        "password-protected PDF",
    ],
)
def test_unusable_files_say_why(data, expected):
    assert reason(data) == expected


@pytest.mark.parametrize(
    "members",
    [
        {"word/document.xml": b"<w/>", "word/media/big.bin": b"\x00" * (61 << 20)},
        {"word/document.xml": b"<w>" + b" " * (11 << 20) + b"</w>"},
    ],
    ids=["pictures", "text"],
)
def test_a_docx_that_unpacks_into_too_much_is_refused_unread(members):
    bomb = zip_of(members)
    assert len(bomb) < MAX_BYTES
    assert reason(bomb) == "corrupt"
