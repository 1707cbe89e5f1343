"""The per-room log: every state-changing broadcast, numbered, so clients can catch up.

A broadcast that changes what a client shows is appended here in the same transaction as its
record; its `seq` is the room's next number. A client that sees a gap, or reconnects, asks
`room:sync` for everything after the last number it has.

Numbers come from the room's row in `room_counters`, incremented by the append in the
transaction of its record (one `INSERT … ON CONFLICT DO UPDATE … RETURNING`): the row's lock
makes a concurrent append to the same room wait for this transaction's commit or rollback, so
numbers are unique and gap-free on any number of processes, and never reused once the log is
deleted (docs/architecture.md has why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.clock import utcnow
from conference.storage.tables import room_counters, room_log
from conference.storage.upsert import dialect_insert

EVENT_STREAM = "_event"  # the log of event-wide changes (agenda, announcements, phase)


@dataclass(frozen=True, slots=True)
class Entry:
    room: str
    seq: int
    type: str
    data: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        """What clients receive: the data plus where it sits in the room's log."""
        return {"room": self.room, "seq": self.seq, **self.data}


async def append(
    conn: AsyncConnection, event_id: str, room: str, type_: str, data: dict[str, Any]
) -> Entry:
    """Number and store one broadcast; call inside the write transaction of its record, as
    late in it as it can come (the room's counter stays locked until the commit)."""
    seq = await _next_seq(conn, event_id, room)
    await conn.execute(
        room_log.insert().values(
            event_id=event_id, room=room, seq=seq, type=type_, data=data, created_at=utcnow()
        )
    )
    return Entry(room=room, seq=seq, type=type_, data=data)


async def redact(
    conn: AsyncConnection, event_id: str, room: str, seq: int, type_: str, data: dict[str, Any]
) -> None:
    """Replace what entry `seq` says (a deleted chat message): `room:sync` never hands out
    the removed content again, and the entry keeps its number, so no client sees a gap."""
    await conn.execute(
        room_log.update()
        .where(room_log.c.event_id == event_id, room_log.c.room == room, room_log.c.seq == seq)
        .values(type=type_, data=data)
    )


async def _next_seq(conn: AsyncConnection, event_id: str, room: str) -> int:
    insert = dialect_insert(conn, room_counters)
    statement = (
        insert.values(event_id=event_id, room=room, seq=1)
        .on_conflict_do_update(
            index_elements=["event_id", "room"], set_={"seq": room_counters.c.seq + 1}
        )
        .returning(room_counters.c.seq)
    )
    return int((await conn.execute(statement)).scalar_one())


async def last_seq(conn: AsyncConnection, event_id: str, room: str) -> int:
    """The room's last number (0 before its first broadcast)."""
    query = sa.select(room_counters.c.seq).where(
        room_counters.c.event_id == event_id, room_counters.c.room == room
    )
    return int((await conn.execute(query)).scalar() or 0)


async def since(
    conn: AsyncConnection, event_id: str, room: str, after: int, limit: int
) -> list[Entry]:
    query = (
        sa.select(room_log.c.seq, room_log.c.type, room_log.c.data)
        .where(room_log.c.event_id == event_id, room_log.c.room == room, room_log.c.seq > after)
        .order_by(room_log.c.seq)
        .limit(limit)
    )
    return [
        Entry(room=room, seq=row.seq, type=row.type, data=row.data)
        for row in await conn.execute(query)
    ]


async def rewrite(
    conn: AsyncConnection,
    event_id: str,
    types: tuple[str, ...],
    change: Callable[[str, dict[str, Any]], dict[str, Any] | None],
) -> int:
    """Rewrite logged broadcasts in place (a withdrawn person's name leaves the replay):
    `change(type, data)` returns the new data, or None to leave the entry as it is."""
    query = sa.select(room_log.c.id, room_log.c.type, room_log.c.data).where(
        room_log.c.event_id == event_id, room_log.c.type.in_(types)
    )
    changed = 0
    for row in list(await conn.execute(query)):
        data = change(row.type, dict(row.data))
        if data is not None:
            await conn.execute(room_log.update().where(room_log.c.id == row.id).values(data=data))
            changed += 1
    return changed


async def delete(conn: AsyncConnection, event_id: str, types: tuple[str, ...] | None) -> int:
    """Delete the event's logged broadcasts of `types` (all of them when None)."""
    query = room_log.delete().where(room_log.c.event_id == event_id)
    if types is not None:
        query = query.where(room_log.c.type.in_(types))
    return (await conn.execute(query)).rowcount


async def redact_matching(
    conn: AsyncConnection,
    event_id: str,
    room: str,
    types: tuple[str, ...],
    change: Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]] | None],
) -> int:
    """Replace what earlier entries of `room` say, type and data, where `change(type, data)`
    returns the replacement (content taken back, such as a rejected question, leaves the
    replay); the entries keep their numbers, so no client sees a gap."""
    query = sa.select(room_log.c.id, room_log.c.type, room_log.c.data).where(
        room_log.c.event_id == event_id, room_log.c.room == room, room_log.c.type.in_(types)
    )
    changed = 0
    for row in list(await conn.execute(query)):
        replacement = change(row.type, dict(row.data))
        if replacement is not None:
            type_, data = replacement
            await conn.execute(
                room_log.update().where(room_log.c.id == row.id).values(type=type_, data=data)
            )
            changed += 1
    return changed
