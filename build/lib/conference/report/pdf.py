"""The report as HTML (the Jinja templates of the pages) and as a tagged PDF (WeasyPrint,
PDF/UA-1: a structure tree, headings, alternative text for every figure, the language)."""

from __future__ import annotations

import base64
from pathlib import Path

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from conference.report.charts import Chart
from conference.report.document import Document, as_dict
from conference.web.templating import TEMPLATES

CSS = TEMPLATES / "report" / "report.css"


def markdown_html(text: str) -> Markup:
    """Notes as HTML; raw HTML in them stays text (markdown-it escapes it)."""
    return Markup(MarkdownIt("commonmark", {"html": False}).render(text))


def _image(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart.png).decode()


def html(document: Document, translations: NullTranslations, organiser: str, subtitle: str) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report/report.html").render(
        doc=as_dict(document),
        _=translations.gettext,
        css=Markup(Path(CSS).read_text()),
        image=_image,
        markdown=markdown_html,
        organiser=organiser,
        subtitle=subtitle,
    )


def pdf(page: str) -> bytes:
    from weasyprint import HTML

    data: bytes = HTML(string=page, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")
    return data
