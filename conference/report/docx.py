"""The report as an editable DOCX (python-docx): real heading styles, tables with a header row,
pictures with their alternative text (`descr` of the drawing, which python-docx has no call
for), the document's language."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from markdown_it import MarkdownIt

from conference.report.document import (
    Document,
    Facts,
    Figure,
    Heading,
    Items,
    Markdown,
    Paragraph,
    TableBlock,
)

LANGUAGES = {"de": "de-DE", "en": "en-GB"}


def _language(doc: object, tag: str) -> None:
    """The default language of every run (spell checking, screen readers)."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run.append(lang)
    lang.set(qn("w:val"), tag)


def _table(doc: object, block: TableBlock) -> None:
    caption = doc.add_paragraph(block.caption, style="Caption")  # type: ignore[attr-defined]
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Light List Accent 1"
    header = table.rows[0]
    # the header row repeats on every page and is read as the table's header
    properties = header._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
    for cell, text in zip(header.cells, block.header, strict=True):
        cell.text = text
    for row in block.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index in block.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _picture(doc: object, block: Figure) -> None:
    doc.add_picture(io.BytesIO(block.chart.png), width=Cm(15))  # type: ignore[attr-defined]
    shape = doc.inline_shapes[-1]  # type: ignore[attr-defined]
    properties = shape._inline.docPr
    properties.set("descr", block.chart.alt)
    properties.set("title", block.caption)
    doc.add_paragraph(block.caption, style="Caption")  # type: ignore[attr-defined]


def _markdown(doc: object, text: str, base_level: int) -> None:
    """Notes: headings (below the workshop's), paragraphs, lists, bold and italic."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(text)
    style = "List Bullet"
    level = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = min(9, base_level + int(token.tag[1]))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            style = "List Bullet" if token.type == "bullet_list_open" else "List Number"
        elif token.type == "inline":
            before = tokens[index - 1].type if index else ""
            in_item = index >= 2 and tokens[index - 2].type == "list_item_open"
            if before == "heading_open":
                doc.add_heading(token.content, level=level)  # type: ignore[attr-defined]
                continue
            paragraph = doc.add_paragraph(style=style if in_item else None)  # type: ignore[attr-defined]
            bold = italic = False
            for child in token.children or []:
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type == "em_open":
                    italic = True
                elif child.type == "em_close":
                    italic = False
                elif child.type in ("text", "code_inline"):
                    run = paragraph.add_run(child.content)
                    run.bold, run.italic = bold or None, italic or None
                elif child.type in ("softbreak", "hardbreak"):
                    paragraph.add_run(" ")


def docx(document: Document, organiser: str, subtitle: str) -> bytes:
    doc = new_docx()
    doc.core_properties.title = document.title
    doc.core_properties.subject = document.subtitle
    doc.core_properties.author = organiser
    doc.core_properties.language = LANGUAGES.get(document.language, document.language)
    _language(doc, LANGUAGES.get(document.language, document.language))
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_paragraph(document.subtitle, style="Subtitle")
    doc.add_heading(document.title, level=0)
    if subtitle:
        doc.add_paragraph(subtitle)
    last_level = 1
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level - 1)
            last_level = block.level - 1
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        elif isinstance(block, Facts):
            for label, value in block.items:
                paragraph = doc.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, TableBlock):
            _table(doc, block)
        elif isinstance(block, Figure):
            _picture(doc, block)
            if block.table is not None:
                _table(doc, block.table)
        elif isinstance(block, Items):
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                doc.add_paragraph(item, style=style)
        elif isinstance(block, Markdown):
            _markdown(doc, block.text, last_level)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
