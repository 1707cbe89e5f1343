"""The notes as documents: Markdown as written, and DOCX with real headings and lists
(markdown-it-py parses, python-docx writes), one room or every workshop in one file."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conference.realtime.errors import N_

TITLE = N_("Workshop notes: %(event)s")  # the title of every workshop's notes in one file
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_TYPE = "text/markdown; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Section:
    """One workshop's notes in a document."""

    title: str
    text: str
    subtitle: str = ""


def markdown(sections: Iterable[Section]) -> str:
    parts = []
    for section in sections:
        head = f"# {section.title}\n"
        if section.subtitle:
            head += f"\n{section.subtitle}\n"
        parts.append(f"{head}\n{section.text.strip()}\n")
    return "\n".join(parts)


def docx(title: str, sections: Iterable[Section], *, language: str = "de") -> bytes:
    """A Word document: the title, then each section under a heading of its own, its notes'
    headings one level below."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = language
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    document.add_heading(title, level=0)
    for section in sections:
        document.add_heading(section.title, level=1)
        if section.subtitle:
            document.add_paragraph(section.subtitle, style="Subtitle")
        _render(document, section.text, top=2)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_parser = MarkdownIt("commonmark")


def _render(document: DocxDocument, text: str, *, top: int) -> None:
    """Markdown blocks to Word paragraphs: headings (the text's highest becomes level `top`,
    so no level is skipped), paragraphs, bullet and numbered lists (two levels), quotes and
    code."""
    tokens = _parser.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = top - min(levels, default=top)
    lists: list[str] = []  # "bullet" / "ordered", one per open list
    quote = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("ordered")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote = True
        elif kind == "blockquote_close":
            quote = False
        elif kind == "heading_open":
            level = min(9, int(token.tag[1]) + shift)
            paragraph = document.add_heading("", level=level)
            _inline(paragraph, tokens[index + 1])
        elif kind == "paragraph_open":
            style: str | None = None
            if lists:
                style = "List Bullet" if lists[-1] == "bullet" else "List Number"
                if len(lists) > 1:
                    style += " 2"
            elif quote:
                style = "Quote"
            paragraph = document.add_paragraph(style=style)
            _inline(paragraph, tokens[index + 1])
        elif kind in ("fence", "code_block"):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"


def _inline(paragraph: Paragraph, token: Token) -> None:
    """Text with bold, italic and code; links as their text and address."""
    bold = italic = False
    href: str | None = None
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            href = str(child.attrs.get("href") or "")
        elif kind == "link_close":
            if href:
                paragraph.add_run(f" ({href})")
            href = None
        elif kind in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"
