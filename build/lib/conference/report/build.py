"""Building the report: read the records, draw the charts, lay out the PDF or the DOCX.

The exporters (`PDF`, `DOCX`) share the shape of every export (conference/export/base.py). A
build reports its progress as steps (one for reading, one per chart, one for the layout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from conference.events.model import Event
from conference.export.base import MEDIA_TYPES, Rendered
from conference.realtime.errors import N_
from conference.report import document as composing
from conference.report.data import ReportData, gather
from conference.storage.db import Database
from conference.web.i18n import I18n

ReportFormat = Literal["pdf", "docx"]
# (step, steps, stage): stage is "reading", "charts", "layout" or "done"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class ReportExporter:
    identifier: str
    name: str
    format: ReportFormat

    def render(self, data: ReportData, i18n: I18n, progress: Progress | None = None) -> Rendered:
        """The document of `data` (CPU-bound: call it off the event loop)."""
        return render(data, self.format, i18n, progress)


PDF = ReportExporter("report-pdf", N_("The event report (PDF, accessible)"), "pdf")
DOCX = ReportExporter("report-docx", N_("The event report (DOCX, editable)"), "docx")
EXPORTERS = {"pdf": PDF, "docx": DOCX}


def filename(event: Event, format: ReportFormat, names: bool) -> str:
    suffix = "-names" if names else ""
    return f"{event.id}-report{suffix}.{format}"


def steps(data: ReportData) -> int:
    return composing.chart_count(data) + 2


def render(
    data: ReportData, format: ReportFormat, i18n: I18n, progress: Progress | None = None
) -> Rendered:
    event = data.event
    translations = i18n.translations(event.language)
    total = steps(data)
    done = 1  # the records were read

    def chart(stage: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done, total - 1), total, stage)

    doc = composing.compose(data, translations, chart)
    if progress:
        progress(total - 1, total, "layout")
    if format == "pdf":
        from conference.report import pdf

        page = pdf.html(doc, translations, event.organiser, event.subtitle)
        payload = pdf.pdf(page)
    else:
        from conference.report import docx

        payload = docx.docx(doc, event.organiser, event.subtitle)
    if progress:
        progress(total, total, "done")
    return Rendered(filename(event, format, data.names), MEDIA_TYPES[format], payload)


async def build(
    db: Database,
    event: Event,
    format: ReportFormat,
    *,
    names: bool,
    i18n: I18n | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Rendered:
    """Read and render in this process (the CLI; the server runs conference.report.worker)."""
    i18n = i18n or I18n()
    data = await gather(db, event, names=names, now=now)
    if progress:
        progress(1, steps(data), "reading")
    return render(data, format, i18n, progress)
