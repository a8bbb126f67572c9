"""Render the test CVs of sources/*.txt as PDF or DOCX, byte for byte the same on every run.

    python tests/data/cvs/make_cvs.py

Needs fpdf2 with uharfbuzz (Arabic shaping) and python-docx, and the DejaVu fonts of Debian's
fonts-dejavu-core. A source is a small markup: a first line ``format: pdf`` or ``format: docx``,
``# `` the person's name, the lines after it their headline and contact, ``## `` a section,
``### `` a position, ``- `` a bullet, anything else a paragraph. Labels: labels.json.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
# Every file says it was written at this moment, so that a run changes nothing in git.
WRITTEN = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
ARABIC = re.compile(r"[\u0600-\u06ff]")


def parse(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The format and the (kind, text) blocks of a source file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fmt = lines[0].removeprefix("format:").strip()
    blocks: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        for prefix, kind in (
            ("### ", "position"),
            ("## ", "section"),
            ("# ", "name"),
            ("- ", "bullet"),
        ):
            if line.startswith(prefix):
                blocks.append((kind, line[len(prefix) :].strip()))
                break
        else:
            kind = "header" if blocks and blocks[-1][0] in ("name", "header") else "paragraph"
            blocks.append((kind, line.strip()))
    return fmt, blocks


def is_arabic(blocks: list[tuple[str, str]]) -> bool:
    return bool(ARABIC.search(blocks[0][1]))


# -- PDF ------------------------------------------------------------------------------------


def render_pdf(blocks: list[tuple[str, str]], out: Path) -> None:
    from fpdf import FPDF

    rtl = is_arabic(blocks)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(WRITTEN)
    pdf.set_producer("diaspora test CVs")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    if rtl:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    pdf.add_page()
    align = "R" if rtl else "L"
    width = pdf.epw
    for kind, text in blocks:
        if kind == "name":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(width, 9, text, align=align, new_x="LMARGIN", new_y="NEXT")
        elif kind == "header":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        elif kind == "section":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(width, 7, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
            pdf.ln(1.5)
        elif kind == "position":
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(width, 5.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        elif kind == "bullet":
            pdf.set_font("DejaVu", "", 10)
            indent = 5
            if not rtl:
                pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(
                width - indent, 5, f"• {text}", align=align, new_x="LMARGIN", new_y="NEXT"
            )
        else:
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    out.write_bytes(bytes(pdf.output()))


# -- DOCX -----------------------------------------------------------------------------------


def _right_to_left(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rpr.append(OxmlElement("w:rtl"))
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:cs"), "Arial")


def render_docx(blocks: list[tuple[str, str]], out: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    rtl = is_arabic(blocks)
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "diaspora test CVs"
    props.created = props.modified = WRITTEN.replace(tzinfo=None)
    props.revision = 1
    for kind, text in blocks:
        if kind == "name":
            paragraph = doc.add_heading(text, level=0)
        elif kind == "section":
            paragraph = doc.add_heading(text, level=1)
        elif kind == "position":
            paragraph = doc.add_heading(text, level=2)
        elif kind == "bullet":
            paragraph = doc.add_paragraph(text, style="List Bullet")
        else:
            paragraph = doc.add_paragraph(text)
            if kind == "header":
                for run in paragraph.runs:
                    run.font.size = Pt(10)
        if rtl:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _right_to_left(paragraph)
    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every member dated WRITTEN (zip members carry the save time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=WRITTEN.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def main() -> int:
    for path in sorted(SOURCES.glob("*.txt")):
        fmt, blocks = parse(path)
        out = HERE / f"{path.stem}.{fmt}"
        (render_pdf if fmt == "pdf" else render_docx)(blocks, out)
        print(out.relative_to(HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
