"""Attendance as a table: every visit of a room, with who it was (for the organisers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from conference.clock import aware
from conference.export.base import Cell, Table, TableExport
from conference.realtime.errors import N_
from conference.storage.tables import attendance, people

if TYPE_CHECKING:
    from conference.services import Services

HEADER = ["name", "organisation", "role", "room", "entered_at", "left_at", "minutes"]


async def visits(services: Services) -> list[Table]:
    query = (
        sa.select(
            people.c.name,
            people.c.organisation,
            attendance.c.role,
            attendance.c.room,
            attendance.c.entered_at,
            attendance.c.left_at,
        )
        .join(people, people.c.id == attendance.c.person_id)
        .where(attendance.c.event_id == services.event.id)
        .order_by(attendance.c.entered_at, attendance.c.id)
    )
    rows: list[list[Cell]] = []
    async with services.db.read() as conn:
        for row in await conn.execute(query):
            left = aware(row.left_at) if row.left_at else None
            minutes = (
                round((left - aware(row.entered_at)).total_seconds() / 60, 1) if left else None
            )
            rows.append(
                [row.name, row.organisation, row.role, row.room, row.entered_at, left, minutes]
            )
    return [Table("attendance", HEADER, rows)]


EXPORT = TableExport("attendance", N_("Attendance: every visit of a room"), visits)
