"""The spreadsheet exports of the short event: XLSX opens with openpyxl and holds the same
numbers as the CSV; the CSV is for German Excel (`;`, BOM, local times, ja/nein)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import pytest

from tests.fixtures.live_server import LiveServer, logged_in
from tests.report.event import ShortEvent


def csv_blocks(data: bytes) -> list[list[list[str]]]:
    """The tables of a CSV export: blocks separated by an empty row."""
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    blocks: list[list[list[str]]] = [[]]
    for row in rows:
        if not row:
            blocks.append([])
        else:
            blocks[-1].append(row)
    return blocks


def as_text(value: Any) -> str:
    """An XLSX cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M:%S"))
    return str(value)


@pytest.mark.parametrize("name", ["polls", "questions", "attendance", "workshops"])
async def test_xlsx_and_csv_hold_the_same_rows(
    event_server: LiveServer, short_event: ShortEvent, name: str
) -> None:
    async with logged_in(event_server, short_event.moderator_token) as http:
        as_csv = await http.get(f"/moderator/exports/{name}.csv")
        as_xlsx = await http.get(f"/moderator/exports/{name}.xlsx")
    assert as_csv.status_code == as_xlsx.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    blocks = csv_blocks(as_csv.content)
    assert len(blocks) == len(book.worksheets)
    for block, sheet in zip(blocks, book.worksheets, strict=True):
        rows = block[1:] if len(blocks) > 1 else block  # a title row above each of several
        sheet_rows = [[as_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert sheet_rows == rows, sheet.title
        assert len(rows) > 1, sheet.title  # a header and at least one row


async def test_csv_is_for_german_excel(event_server: LiveServer, short_event: ShortEvent) -> None:
    async with logged_in(event_server, short_event.moderator_token) as http:
        polls = (await http.get("/moderator/exports/polls.csv")).content.decode("utf-8-sig")
        visits = (await http.get("/moderator/exports/attendance.csv")).content.decode("utf-8-sig")
        one = await http.get(f"/moderator/polls/{short_event.polls[0]['id']}/results.xlsx")
    assert polls.splitlines()[1].startswith("poll;room;kind;question;status;voters")
    # local times to the second, yes/no in the event's language, decimals with a comma
    assert re.search(r";\d{4}-\d\d-\d\d \d\d:\d\d:\d\d;", polls)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", polls + visits)
    assert ";ja;" in polls
    assert ";nein;" in polls
    assert "Fachkräfte;2;66,7" in polls
    assert ";3,75;" in polls
    assert "Erika Einverstanden;Beispiel GmbH;participant;plenary;" in visits
    # one poll as XLSX: its summary, its results, its named answers
    sheets = openpyxl.load_workbook(io.BytesIO(one.content)).sheetnames
    assert sheets == ["poll", "results", "answers"]
