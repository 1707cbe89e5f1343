"""The rules of the afternoon: changing the phase, placing people in rooms, who may enter."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person
from conference.auth.roles import Role
from conference.clock import utcnow
from conference.realtime import audiences
from conference.realtime.coalesce import Coalescer
from conference.realtime.errors import Refused
from conference.rooms.registry import PLENARY
from conference.services import Services
from conference.storage.tables import people
from conference.workshops import phase as phases
from conference.workshops import seats
from conference.workshops.assignment import Wish, assign
from conference.workshops.phase import Phase

log = logging.getLogger(__name__)

SEAT_NOTICE = "workshops:seat"  # to the person: their seat changed
SEAT_COUNTS = "workshops:seats"  # to everyone: seats taken and waiting per room


@dataclass
class PhaseHooks:
    """Capabilities that act when the phase closes (the notes keep a version): run once, by
    the process that closed it, after the commit."""

    closed: list[Callable[[Services], Awaitable[None]]] = field(default_factory=list)


class SeatCounts(Coalescer):
    """This process's coalesced `workshops:seats`: a choosing storm costs a few broadcasts."""

    def __init__(self, services: Services) -> None:
        async def send(_: str) -> None:
            async with services.db.read() as conn:
                data = await room_counts(services, conn)
            services.publisher.send_volatile(
                SEAT_COUNTS, {"rooms": data}, audiences.event(services.event.id)
            )

        super().__init__(services.state, services.process_id, "workshop-seats", send)


async def room_counts(services: Services, conn: AsyncConnection) -> dict[str, dict[str, int]]:
    """Per workshop room: capacity, seats taken, people waiting, seats free."""
    found = await seats.counts(conn, services.event.id)
    result = {}
    for room in services.rooms.workshops():
        counted = found.get(room.id, {"taken": 0, "waiting": 0})
        capacity = room.capacity or 0
        result[room.id] = {
            "capacity": capacity,
            "taken": counted["taken"],
            "waiting": counted["waiting"],
            "free": max(0, capacity - counted["taken"]),
        }
    return result


# --- the phase ----------------------------------------------------------------------------


async def change_phase(
    services: Services, change: Callable[[Phase, dt.datetime], Phase | None]
) -> Phase:
    """Apply one change of the phase (atomically), log and broadcast it; the hooks of a
    closing phase run after the commit."""
    event_id = services.event.id
    async with services.db.write() as conn:
        before = await phases.read(conn, event_id, lock=True)
        after = change(before, utcnow())
        if after is None or after == before:
            return before
        if after.running and not before.running and after.mode == "assigned":
            await place_everyone(services, conn, reset=False)
        entry = await phases.write(conn, event_id, after)
    services.publisher.send(entry, audiences.event(event_id))
    services.parts[SeatCounts].touch("all")
    if before.running and not after.running:
        for hook in services.parts[PhaseHooks].closed:
            try:
                await hook(services)
            except Exception:
                log.exception("a hook of the closing workshop phase failed")
    return after


async def current_phase(services: Services) -> Phase:
    async with services.db.read() as conn:
        return await phases.read(conn, services.event.id)


# --- seats --------------------------------------------------------------------------------


async def participants(conn: AsyncConnection, event_id: str) -> list[Person]:
    """The event's participants, in the order they registered."""
    query = (
        people.select()
        .where(
            people.c.event_id == event_id,
            people.c.role == Role.PARTICIPANT.value,
            people.c.removed_at.is_(None),
        )
        .order_by(people.c.created_at, people.c.id)
    )
    return [Person.from_row(row) for row in await conn.execute(query)]


@dataclass(frozen=True, slots=True)
class Placed:
    seated: int
    waiting: int
    kept: int
    changed: list[seats.Seat]


async def place_everyone(services: Services, conn: AsyncConnection, *, reset: bool) -> Placed:
    """Seat every participant without a seat by their first and second choice (`reset`:
    re-place the automatic seats too; moves by hand, choices and imports stay)."""
    event_id = services.event.id
    room_ids = [room.id for room in services.rooms.workshops()]
    capacities = await seats.lock_rooms(conn, event_id, room_ids)
    existing = {seat.person_id: seat for seat in await seats.all_seats(conn, event_id)}
    if reset:
        for seat in [s for s in existing.values() if s.source == "auto"]:
            await seats.remove(conn, event_id, seat.person_id)
            del existing[seat.person_id]
    kept = [s for s in existing.values() if not s.waiting]
    taken = {room: sum(1 for s in kept if s.room == room) for room in room_ids}
    free = {room: max(0, capacities.get(room, 0) - taken[room]) for room in room_ids}
    wishes = [
        Wish(person.id, person.workshop_first, person.workshop_second)
        for person in await participants(conn, event_id)
        if person.id not in existing
    ]
    now = utcnow()
    changed = []
    for index, placement in enumerate(assign(wishes, free)):
        # one microsecond apart, so the waitlist keeps the order of registration
        at = now + dt.timedelta(microseconds=index)
        changed.append(
            await seats.put(
                conn,
                event_id,
                placement.person_id,
                placement.room,
                waiting=placement.waiting,
                source="auto",
                now=at,
            )
        )
    return Placed(
        seated=sum(1 for s in changed if not s.waiting),
        waiting=sum(1 for s in changed if s.waiting),
        kept=len(existing),
        changed=changed,
    )


def announce_seats(services: Services, changed: list[seats.Seat | tuple[str, None]]) -> None:
    """Tell each person whose seat changed, and everyone the new counts (coalesced)."""
    event_id = services.event.id
    for item in changed:
        person_id, seat = (item.person_id, item) if isinstance(item, seats.Seat) else item
        services.publisher.send_volatile(
            SEAT_NOTICE,
            {"person_id": person_id, "seat": seat.public() if seat else None},
            audiences.person(event_id, person_id),
        )
    services.parts[SeatCounts].touch("all")


# --- who may enter a workshop room --------------------------------------------------------


async def admit(services: Services, person: Person, room: str, shared: dict[str, Any]) -> None:
    """Participants enter a workshop room while the phase runs and their seat is there."""
    if room == PLENARY:
        return
    if not Phase.from_stored(shared.get("workshops", {}).get("phase")).running:
        raise Refused("room.closed")
    async with services.db.read() as conn:
        seat = await seats.of_person(conn, services.event.id, person.id)
    if seat is None or seat.room != room or seat.waiting:
        raise Refused("room.not_yours")


def rooms_payload(services: Services) -> dict[str, Any]:
    return {"rooms": [room.public() for room in services.rooms.workshops()]}


async def facilitators_by_room(conn: AsyncConnection, event_id: str) -> dict[str, list[Person]]:
    query = people.select().where(
        people.c.event_id == event_id,
        people.c.role == Role.FACILITATOR.value,
        people.c.removed_at.is_(None),
    )
    found: dict[str, list[Person]] = {}
    for row in await conn.execute(query):
        person = Person.from_row(row)
        found.setdefault(person.room or "", []).append(person)
    return found


async def people_by_id(conn: AsyncConnection, ids: set[str]) -> dict[str, Person]:
    if not ids:
        return {}
    query = people.select().where(people.c.id.in_(sorted(ids)))
    return {row.id: Person.from_row(row) for row in await conn.execute(query)}
