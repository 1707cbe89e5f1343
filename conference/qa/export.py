"""Every question with its votes and status, as a table for the spreadsheet exports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from conference.export.base import Cell, Table, TableExport
from conference.qa import store
from conference.realtime.errors import N_

if TYPE_CHECKING:
    from conference.services import Services

HEADER = [
    "room",
    "status",
    "votes",
    "pinned",
    "question",
    "name",
    "organisation",
    "asked_at",
    "edited_at",
]


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


async def questions(services: Services) -> list[Table]:
    async with services.db.read() as conn:
        found = await store.export(conn, services.event.id)
    rows: list[list[Cell]] = []
    for q in found:
        author = q["author"] or {"name": "", "organisation": ""}
        rows.append(
            [
                q["room"],
                q["status"],
                q["votes"],
                q["pinned"],
                q["body"],
                author["name"],
                author["organisation"],
                _when(q["created_at"]),
                _when(q["edited_at"]),
            ]
        )
    return [Table("questions", HEADER, rows)]


EXPORT = TableExport("questions", N_("All questions with their votes"), questions)
