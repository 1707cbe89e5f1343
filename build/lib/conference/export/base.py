"""The shape every export shares (pretix's `base/exporter.py`): an identifier, a name, and
`render()` giving a file name, a media type and the bytes.

Spreadsheet exports are `Table`s rendered as CSV (`;`, UTF-8 with a byte-order mark, for German
Excel) or XLSX (openpyxl): the same rows in both, times in the event's zone without
microseconds, yes/no in the event's language ("ja"/"nein"), decimals as the language writes them
in CSV and as numbers in XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from conference.clock import aware
from conference.export.spreadsheet import csv_text, safe_cell

Cell = str | int | float | bool | dt.datetime | None
Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """What an exporter gives: a file to download."""

    filename: str
    media_type: str
    data: bytes


class Exporter(Protocol):
    identifier: str  # stable, used in URLs: "questions", "report-pdf"
    name: str  # what the console shows (marked with N_, translated where shown)


@dataclass(frozen=True, slots=True)
class Table:
    """One table: a sheet in XLSX, a block of rows in CSV."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True, slots=True)
class Style:
    """How cells are written: the event's zone and language."""

    zone: ZoneInfo
    language: str
    yes: str
    no: str

    def local(self, value: dt.datetime) -> dt.datetime:
        """A stored time in the event's zone, to the second, without its offset."""
        return aware(value).astimezone(self.zone).replace(microsecond=0, tzinfo=None)

    def text(self, value: Cell) -> str:
        """A cell as CSV writes it."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, dt.datetime):
            return self.local(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, float):
            return format_decimal(value, locale=self.language, group_separator=False)
        return str(value)


def csv_bytes(tables: Sequence[Table], style: Style) -> bytes:
    """Every table one after another (title row, header, rows, an empty row between)."""
    rows: list[list[str]] = []
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                rows.append([])
            rows.append([table.title])
        rows.append(list(table.header))
        rows.extend([style.text(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + csv_text(rows, ";")).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Tabelle"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def xlsx_bytes(tables: Sequence[Table], style: Style) -> bytes:
    """One sheet per table, header in bold and frozen, typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    date_format = "DD.MM.YYYY HH:MM:SS" if style.language == "de" else "YYYY-MM-DD HH:MM:SS"
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([_xlsx_cell(cell, style) for cell in row])
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = date_format
        for index, heading in enumerate(table.header, 1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(10, min(60, len(str(heading)) + 4))
    if not tables:
        book.create_sheet("-")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: Cell, style: Style) -> Any:
    if isinstance(value, bool):
        return style.yes if value else style.no
    if isinstance(value, dt.datetime):
        return style.local(value)
    if isinstance(value, str):
        return safe_cell(value)
    return value


def render_tables(tables: Sequence[Table], style: Style, format: Format, stem: str) -> Rendered:
    data = csv_bytes(tables, style) if format == "csv" else xlsx_bytes(tables, style)
    return Rendered(f"{stem}.{format}", MEDIA_TYPES[format], data)


Collect = Callable[[Any], Awaitable[list[Table]]]


@dataclass(frozen=True, slots=True)
class TableExport:
    """A spreadsheet export: `collect(services)` reads its tables (async, SQL); `render_tables`
    writes them as CSV or XLSX (CPU: off the event loop)."""

    identifier: str
    name: str
    collect: Collect
