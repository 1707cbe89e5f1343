"""The assignment as CSV: exported for a spreadsheet, edited there, imported back.

Columns: id;name;organisation;email;first_choice;second_choice;workshop;waitlist. An import
needs `workshop` and one of `id` or `email` per row; `workshop` is a room's id or its exact
title, empty for "no workshop"; `waitlist` is ja/yes/1/x for a place on the room's waitlist.
Every row is checked first: one bad row and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person
from conference.export.base import Cell, Table, TableExport
from conference.export.spreadsheet import read_csv
from conference.realtime.errors import N_
from conference.rooms.registry import Room
from conference.workshops import seats, service

if TYPE_CHECKING:
    from conference.services import Services

COLUMNS = (
    "id",
    "name",
    "organisation",
    "email",
    "first_choice",
    "second_choice",
    "workshop",
    "waitlist",
)
MAX_BYTES = 2 * 1024 * 1024
YES = {"ja", "yes", "1", "x", "true", "wahr"}


def table(people: list[Person], by_person: dict[str, seats.Seat]) -> Table:
    """The assignment in the columns an import reads back (waitlist: yes/no)."""
    out: list[list[Cell]] = []
    for person in people:
        seat = by_person.get(person.id)
        out.append(
            [
                person.id,
                person.name,
                person.organisation,
                person.email or "",
                person.workshop_first or "",
                person.workshop_second or "",
                seat.room if seat else "",
                seat.waiting if seat else None,
            ]
        )
    return Table("workshops", COLUMNS, out)


async def assignment(services: Services) -> list[Table]:
    async with services.db.read() as conn:
        everyone = await service.participants(conn, services.event.id)
        by_person = {s.person_id: s for s in await seats.all_seats(conn, services.event.id)}
    return [table(everyone, by_person)]


EXPORT = TableExport("workshops", N_("The workshop assignment"), assignment)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str  # an English msgid, translated where it is shown
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.message) % self.params


@dataclass(frozen=True, slots=True)
class Change:
    person_id: str
    room: str | None
    waiting: bool


def parse(data: bytes, people: list[Person], rooms: list[Room]) -> list[Change] | list[Problem]:
    """The changes a file asks for, or every problem in it."""
    if len(data) > MAX_BYTES:
        return [Problem(0, N_("The file is too large (at most 2 MB)."))]
    try:
        _, records = read_csv(data)
    except UnicodeDecodeError:
        return [Problem(0, N_("The file is not UTF-8 encoded. Save it as “CSV UTF-8”."))]
    if not records:
        return [Problem(1, N_("The file is empty or has no header row."))]
    header = [cell.strip().lower() for cell in records[0]]
    if "workshop" not in header or not ({"id", "email"} & set(header)):
        return [
            Problem(
                1,
                N_("The header row needs the column workshop and the column id or email."),
            )
        ]
    by_id = {p.id: p for p in people}
    by_email = {p.email: p for p in people if p.email}
    by_room = {room.id: room for room in rooms} | {room.title: room for room in rooms}
    changes: list[Change] = []
    problems: list[Problem] = []
    for line, record in enumerate(records[1:], start=2):
        values = dict(zip(header, (cell.strip() for cell in record), strict=False))
        if not any(values.values()):
            continue
        person = by_id.get(values.get("id", "")) or by_email.get(values.get("email", "").lower())
        if person is None:
            problems.append(Problem(line, N_("No participant with this id or e-mail address.")))
            continue
        wanted = values.get("workshop", "")
        room = by_room.get(wanted) if wanted else None
        if wanted and room is None:
            problems.append(Problem(line, N_("No workshop %(room)s."), {"room": wanted}))
            continue
        waiting = values.get("waitlist", "").lower() in YES
        changes.append(Change(person.id, room.id if room else None, waiting))
    return problems or changes


async def apply(conn: AsyncConnection, event_id: str, changes: list[Change]) -> list[seats.Moved]:
    """Move everyone as the file says (a full room puts the rest on its waitlist)."""
    moved = []
    for change in changes:
        if change.waiting and change.room is not None:
            freed = await seats.take(conn, event_id, change.person_id, None, source="import")
            seat = await seats.put(
                conn, event_id, change.person_id, change.room, waiting=True, source="import"
            )
            moved.append(seats.Moved(seat=seat, promoted=freed.promoted))
        else:
            moved.append(
                await seats.take(
                    conn, event_id, change.person_id, change.room, source="import", waitlist=True
                )
            )
    return moved
