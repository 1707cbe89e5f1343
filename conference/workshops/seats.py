"""Seats in workshop rooms, counted by the database.

Taking a seat locks the room's row (`SELECT … FOR UPDATE`; SQLite has one writer anyway), then
counts the seats taken in a new statement and inserts or moves the person's seat in the same
transaction. On PostgreSQL under READ COMMITTED the count runs after the lock was granted, so
it sees every seat committed by whoever held the lock before: two people can never both take
the last seat, on any number of processes. Freeing a seat gives it to the first person on the
room's waitlist in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import iso, utcnow
from conference.realtime.errors import Refused
from conference.storage.batched import BatchedLookup
from conference.storage.db import Database
from conference.storage.tables import rooms, workshop_seats
from conference.storage.upsert import upsert

Source = Literal["auto", "manual", "choice", "import"]


@dataclass(frozen=True, slots=True)
class Seat:
    person_id: str
    room: str
    waiting: bool
    source: str
    updated_at: dt.datetime

    def public(self, position: int | None = None) -> dict[str, Any]:
        return {
            "room": self.room,
            "waiting": self.waiting,
            "position": position,
            "source": self.source,
            "updated_at": iso(self.updated_at),
        }


def _seat(row: Any) -> Seat:
    return Seat(
        person_id=row.person_id,
        room=row.room,
        waiting=bool(row.waiting),
        source=row.source,
        updated_at=row.updated_at,
    )


async def of_person(conn: AsyncConnection, event_id: str, person_id: str) -> Seat | None:
    query = sa.select(workshop_seats).where(
        workshop_seats.c.event_id == event_id, workshop_seats.c.person_id == person_id
    )
    row = (await conn.execute(query)).first()
    return _seat(row) if row else None


async def of_people(conn: AsyncConnection, event_id: str, person_ids: list[str]) -> dict[str, Seat]:
    query = sa.select(workshop_seats).where(
        workshop_seats.c.event_id == event_id, workshop_seats.c.person_id.in_(person_ids)
    )
    return {row.person_id: _seat(row) for row in await conn.execute(query)}


class SeatLookup(BatchedLookup[str, Seat]):
    """Seats looked up in batches: everyone entering their workshop at once costs a handful
    of queries (conference/storage/batched.py)."""

    def __init__(self, db: Database, event_id: str) -> None:
        async def fetch(conn: AsyncConnection, person_ids: list[str]) -> dict[str, Seat]:
            return await of_people(conn, event_id, person_ids)

        super().__init__(db, fetch)


async def all_seats(conn: AsyncConnection, event_id: str) -> list[Seat]:
    query = (
        sa.select(workshop_seats)
        .where(workshop_seats.c.event_id == event_id)
        .order_by(workshop_seats.c.updated_at, workshop_seats.c.person_id)
    )
    return [_seat(row) for row in await conn.execute(query)]


async def counts(conn: AsyncConnection, event_id: str) -> dict[str, dict[str, int]]:
    """Per room: seats taken and people waiting."""
    query = (
        sa.select(workshop_seats.c.room, workshop_seats.c.waiting, sa.func.count())
        .where(workshop_seats.c.event_id == event_id)
        .group_by(workshop_seats.c.room, workshop_seats.c.waiting)
    )
    found: dict[str, dict[str, int]] = {}
    for room, waiting, count in await conn.execute(query):
        found.setdefault(room, {"taken": 0, "waiting": 0})["waiting" if waiting else "taken"] = (
            count
        )
    return found


async def waitlist_position(conn: AsyncConnection, event_id: str, seat: Seat) -> int | None:
    """1 for the first person waiting for the room, None when the seat is not a wait."""
    if not seat.waiting:
        return None
    ahead = await conn.execute(
        sa.select(sa.func.count()).where(
            workshop_seats.c.event_id == event_id,
            workshop_seats.c.room == seat.room,
            workshop_seats.c.waiting.is_(True),
            sa.or_(
                workshop_seats.c.updated_at < seat.updated_at,
                sa.and_(
                    workshop_seats.c.updated_at == seat.updated_at,
                    workshop_seats.c.person_id < seat.person_id,
                ),
            ),
        )
    )
    return int(ahead.scalar_one()) + 1


async def lock_rooms(conn: AsyncConnection, event_id: str, room_ids: list[str]) -> dict[str, int]:
    """Lock the rows of these rooms (in one order, so two writers cannot deadlock) and return
    their capacities."""
    query = (
        sa.select(rooms.c.id, rooms.c.capacity)
        .where(rooms.c.event_id == event_id, rooms.c.id.in_(sorted(set(room_ids))))
        .order_by(rooms.c.id)
        .with_for_update()
    )
    return {row.id: row.capacity for row in await conn.execute(query)}


async def taken(conn: AsyncConnection, event_id: str, room: str) -> int:
    query = sa.select(sa.func.count()).where(
        workshop_seats.c.event_id == event_id,
        workshop_seats.c.room == room,
        workshop_seats.c.waiting.is_(False),
    )
    return int((await conn.execute(query)).scalar_one())


async def put(
    conn: AsyncConnection,
    event_id: str,
    person_id: str,
    room: str,
    *,
    waiting: bool,
    source: Source,
    now: dt.datetime | None = None,
) -> Seat:
    now = now or utcnow()
    await upsert(
        conn,
        workshop_seats,
        {
            "event_id": event_id,
            "person_id": person_id,
            "room": room,
            "waiting": waiting,
            "source": source,
            "updated_at": now,
        },
        keys=("event_id", "person_id"),
    )
    return Seat(person_id=person_id, room=room, waiting=waiting, source=source, updated_at=now)


async def remove(conn: AsyncConnection, event_id: str, person_id: str) -> None:
    await conn.execute(
        workshop_seats.delete().where(
            workshop_seats.c.event_id == event_id, workshop_seats.c.person_id == person_id
        )
    )


@dataclass(frozen=True, slots=True)
class Moved:
    """What one seat change did: the person's new seat (None: no seat), and whoever moved up
    from a waitlist into a seat it freed."""

    seat: Seat | None
    promoted: list[Seat]


async def take(
    conn: AsyncConnection,
    event_id: str,
    person_id: str,
    room: str | None,
    *,
    source: Source,
    waitlist: bool = False,
) -> Moved:
    """Give the person a seat in `room` (None: no seat at all), freeing their old one.

    A full room refuses with `workshop.full`, or with `waitlist` puts the person on its list.
    """
    before = await of_person(conn, event_id, person_id)
    capacities: dict[str, int] = {}
    while True:
        if before is not None and room == before.room and (not before.waiting or waitlist):
            return Moved(seat=before, promoted=[])
        wanted = [r for r in (room, before.room if before else None) if r is not None]
        capacities |= await lock_rooms(conn, event_id, [r for r in wanted if r not in capacities])
        # the person's own seat may have moved (the same person choosing twice at once, on
        # two processes) between the read and the locks: then the room it is in now is locked
        # too, so that freeing it still promotes whoever waits there
        now = await of_person(conn, event_id, person_id)
        if now == before or (now is not None and now.room in capacities):
            before = now
            break
        before = now
    if room is not None and room not in capacities:
        raise Refused("room.unknown")
    seat: Seat | None = None
    if room is not None:
        full = await taken(conn, event_id, room) >= capacities[room]
        if full and not waitlist:
            raise Refused("workshop.full")
        seat = await put(conn, event_id, person_id, room, waiting=full, source=source)
    else:
        await remove(conn, event_id, person_id)
    promoted: list[Seat] = []
    if before is not None and not before.waiting and before.room != room:
        promoted = await fill_from_waitlist(conn, event_id, before.room, capacities)
    return Moved(seat=seat, promoted=promoted)


async def fill_from_waitlist(
    conn: AsyncConnection, event_id: str, room: str, capacities: dict[str, int]
) -> list[Seat]:
    """Give the room's free seats to the people waiting longest (the room's row is locked)."""
    capacity = capacities.get(room)
    if capacity is None:
        return []
    free = capacity - await taken(conn, event_id, room)
    if free <= 0:
        return []
    query = (
        sa.select(workshop_seats)
        .where(
            workshop_seats.c.event_id == event_id,
            workshop_seats.c.room == room,
            workshop_seats.c.waiting.is_(True),
        )
        .order_by(workshop_seats.c.updated_at, workshop_seats.c.person_id)
        .limit(free)
    )
    promoted = []
    for row in list(await conn.execute(query)):
        await conn.execute(
            workshop_seats.update()
            .where(
                workshop_seats.c.event_id == event_id,
                workshop_seats.c.person_id == row.person_id,
            )
            .values(waiting=False)
        )
        promoted.append(
            Seat(
                person_id=row.person_id,
                room=room,
                waiting=False,
                source=row.source,
                updated_at=row.updated_at,
            )
        )
    return promoted
