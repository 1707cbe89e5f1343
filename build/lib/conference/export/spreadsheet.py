"""CSV that spreadsheet programs open as they should, German Excel above all: UTF-8 with a BOM,
cells that never start like a formula (CSV injection), and files read back whatever delimiter
the program saved them with."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from starlette.responses import Response

# a cell starting with one of these is a formula to spreadsheet programs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NO_STORE = {"cache-control": "no-store"}


def safe_cell(value: Any) -> str:
    """Cells never start like a spreadsheet formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Iterable[Any]], delimiter: str = ";") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(rows: Iterable[Iterable[Any]], filename: str, delimiter: str = ";") -> Response:
    """A download; the byte-order mark makes spreadsheet programs read UTF-8."""
    return Response(
        "\ufeff" + csv_text(rows, delimiter),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"', **NO_STORE},
    )


def sniff_delimiter(header: str) -> str:
    """German Excel writes `;`, most other programs `,`: the header line decides."""
    try:
        return csv.Sniffer().sniff(header, delimiters=";,").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def read_csv(data: bytes) -> tuple[str, list[list[str]]]:
    """The delimiter and the rows of a UTF-8 file (with or without BOM); UnicodeDecodeError
    for other encodings."""
    text = data.decode("utf-8-sig")
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    return delimiter, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
