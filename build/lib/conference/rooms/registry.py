"""The one registry of rooms: the plenary and every workshop room, from the event file and
added live.

The workshop rooms live in SQL (`rooms`): those of the event file are written there at start-up
(and follow the file), those a moderator adds live are inserted by the workshops capability,
which broadcasts the new list to the whole event. Every process keeps the list in memory and
takes it from that broadcast (`observe`), and reads SQL when asked for a room it does not
know yet, so a room added on another process is found before its broadcast arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import utcnow
from conference.events.model import Event
from conference.storage.db import Database
from conference.storage.tables import rooms as rooms_table

PLENARY = "plenary"
ROOMS_CHANGED = "workshops:rooms"  # the broadcast that carries the new list of workshop rooms


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    title: str
    description: str = ""
    capacity: int | None = None
    facilitator: str = ""
    video_url: str = ""
    position: int = 0
    source: str = "file"

    @property
    def is_workshop(self) -> bool:
        return self.id != PLENARY

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "capacity": self.capacity,
            "facilitator": self.facilitator,
            "video_url": self.video_url,
            "source": self.source,
        }

    @classmethod
    def from_public(cls, data: dict[str, Any], position: int) -> Room:
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            description=str(data.get("description") or ""),
            capacity=data.get("capacity"),
            facilitator=str(data.get("facilitator") or ""),
            video_url=str(data.get("video_url") or ""),
            position=position,
            source=str(data.get("source") or "file"),
        )


def _from_row(row: Any) -> Room:
    return Room(
        id=row.id,
        title=row.title,
        description=row.description,
        capacity=row.capacity,
        facilitator=row.facilitator,
        video_url=row.video_url,
        position=row.position,
        source=row.source,
    )


async def read_workshops(conn: AsyncConnection, event_id: str) -> list[Room]:
    query = (
        sa.select(rooms_table)
        .where(rooms_table.c.event_id == event_id)
        .order_by(rooms_table.c.position, rooms_table.c.id)
    )
    return [_from_row(row) for row in await conn.execute(query)]


async def write_file_rooms(conn: AsyncConnection, event: Event, now: dt.datetime) -> None:
    """Insert the event file's workshops, or bring their rows in step with the file."""
    existing = {room.id: room for room in await read_workshops(conn, event.id)}
    for position, workshop in enumerate(event.workshops):
        values = {
            "title": workshop.title,
            "description": workshop.description,
            "capacity": workshop.capacity,
            "facilitator": workshop.facilitator,
            "video_url": workshop.video_url,
            "position": position,
        }
        if workshop.id in existing:
            await conn.execute(
                rooms_table.update()
                .where(rooms_table.c.event_id == event.id, rooms_table.c.id == workshop.id)
                .values(**values, source="file")
            )
        else:
            await conn.execute(
                rooms_table.insert().values(
                    event_id=event.id, id=workshop.id, source="file", created_at=now, **values
                )
            )


class Rooms:
    """This process's view of the event's rooms."""

    def __init__(self, db: Database, event: Event) -> None:
        self._db = db
        self._event = event
        self.plenary = Room(id=PLENARY, title=event.title)
        self._workshops: dict[str, Room] = {
            w.id: Room(
                id=w.id,
                title=w.title,
                description=w.description,
                capacity=w.capacity,
                facilitator=w.facilitator,
                video_url=w.video_url,
                position=i,
            )
            for i, w in enumerate(event.workshops)
        }

    async def load(self) -> None:
        """Write the event file's rooms to SQL and read every room (at start-up)."""
        async with self._db.write() as conn:
            await write_file_rooms(conn, self._event, utcnow())
            self.set_workshops(await read_workshops(conn, self._event.id))

    def set_workshops(self, workshops: list[Room]) -> None:
        """The list of workshop rooms as it is now in SQL."""
        self._workshops = {room.id: room for room in workshops}

    def workshops(self) -> list[Room]:
        return sorted(self._workshops.values(), key=lambda room: (room.position, room.id))

    def all(self) -> list[Room]:
        return [self.plenary, *self.workshops()]

    def ids(self) -> list[str]:
        return [room.id for room in self.all()]

    def known(self, room_id: str) -> Room | None:
        """The room if this process knows it (no SQL)."""
        if room_id == PLENARY:
            return self.plenary
        return self._workshops.get(room_id)

    async def get(self, room_id: str) -> Room | None:
        """The room, looked up in SQL when this process has not heard of it yet."""
        room = self.known(room_id)
        if room is not None or len(room_id) > 64:
            return room
        async with self._db.read() as conn:
            self.set_workshops(await read_workshops(conn, self._event.id))
        return self._workshops.get(room_id)

    def observe(self, event: str, data: Any, audience: Any) -> None:
        """The fan-out tells every process of a changed list of rooms."""
        if event != ROOMS_CHANGED or not isinstance(data, dict):
            return
        listed = data.get("rooms")
        if isinstance(listed, list):
            self.set_workshops([Room.from_public(item, i) for i, item in enumerate(listed)])
