"""room:join, room:leave, room:sync; presence and attendance of the rooms."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from pydantic import Field

from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability, running
from conference.realtime.connection import Connection
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.assembly import SnapshotParts
from conference.rooms.attendance import Attendance
from conference.services import Services
from conference.state.base import StateUnavailable

router = Router()
SYNC_LIMIT = 500


class RoomRef(Payload):
    room: str = Field(min_length=1, max_length=64)


class RoomSync(Payload):
    room: str = Field(min_length=1, max_length=64)
    after: int = Field(ge=0)


@router.on("room:join", RoomRef)
async def join(ctx: Context, payload: RoomRef) -> dict[str, Any] | None:
    """Enter a room and get its snapshot. The plenary is open to everyone; who may enter a
    workshop room is the workshops capability's rule (`services.room_hooks.admit`)."""
    services, room = ctx.services, payload.room
    if await services.rooms.get(room) is None:
        raise Refused("room.unknown")
    parts = services.parts[SnapshotParts]
    manager = ctx.person.manages(room)
    if not manager:  # who manages the room may always enter it
        shared = await parts.shared(services, room, manager)
        for admit in services.room_hooks.admit:
            await admit(ctx.person, room, shared)
    connection = ctx.connection
    if services.connections.get(connection.sid) is not connection:
        return None  # its client has gone meanwhile (a closed tab): nobody to answer
    entered = room not in connection.rooms
    if entered:
        await services.sio.enter_room(connection.sid, audiences.room(ctx.event_id, room))
        connection.rooms.add(room)
        connection.visits[room] = services.parts[Attendance].enter(room, ctx.person)
    try:
        await services.state.presence_enter(room, ctx.person.id, connection.sid)
        if services.connections.get(connection.sid) is not connection:
            # gone while its presence was written: the disconnect's leave may have run before
            await services.state.presence_leave(room, ctx.person.id, connection.sid)
            return None
        services.dirty_rooms.add(room)
        # taken again now that this connection receives the room's broadcasts: anything
        # committed after the snapshot's numbers reaches the client as a broadcast
        snapshot = await parts.personal(ctx, room, await parts.shared(services, room, manager))
        count = services.presence_counts.get(room)
        if count is None:  # the first join of the room on this process
            people = await services.state.presence_people(room)
            count = services.presence_counts[room] = len(people)
    except StateUnavailable:
        # refused as `state.unavailable` (the client retries): not half in the room meanwhile
        if entered:
            await leave_room(services, connection, room)
        raise
    snapshot["presence"] = {"count": count}
    return snapshot


@router.on("room:leave", RoomRef)
async def leave(ctx: Context, payload: RoomRef) -> None:
    await leave_room(ctx.services, ctx.connection, payload.room)


async def leave_room(services: Services, connection: Connection, room: str) -> None:
    """Take a connection out of a room: its broadcasts, its presence and its attendance."""
    if room not in connection.rooms:
        return
    connection.rooms.discard(room)
    await services.sio.leave_room(connection.sid, audiences.room(services.event.id, room))
    for hook in services.room_hooks.leave:
        await hook(connection, room)


@router.on("room:sync", RoomSync)
async def sync(ctx: Context, payload: RoomSync) -> dict[str, Any]:
    """What was logged after `after`, at most SYNC_LIMIT entries: `{room, entries, more}`.
    `more: true` asks the client to page on from the last entry (live.js does), so a long
    absence is caught up completely, never from a snapshot that would leave a hole."""
    if payload.room != room_log.EVENT_STREAM:
        ctx.require_joined(payload.room)
    async with ctx.services.db.read() as conn:
        entries = await room_log.since(
            conn, ctx.event_id, payload.room, payload.after, SYNC_LIMIT + 1
        )
    return {
        "room": payload.room,
        "entries": [{"type": e.type, **e.payload()} for e in entries[:SYNC_LIMIT]],
        "more": len(entries) > SYNC_LIMIT,
    }


async def _me(ctx: Context, room: str, shared: Any) -> dict[str, Any]:
    """Who am I; a mute since connecting is applied to the connection by its notice."""
    person = ctx.person
    return {**person.public(), "room": person.room, "muted": person.muted}


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    """Presence and attendance follow every connection out of its rooms."""
    attendance = services.parts.add(
        Attendance(
            services.db,
            services.event.id,
            seen_seconds=services.settings.attendance_seen_seconds,
        )
    )

    async def left(connection: Connection, room: str) -> None:
        visit = connection.visits.pop(room, None)
        if visit is not None:
            attendance.leave(visit)
        await services.state.presence_leave(room, connection.person.id, connection.sid)
        services.dirty_rooms.add(room)

    services.room_hooks.leave.append(left)
    try:
        async with running(services, lambda _: attendance.run()):
            yield
    finally:
        services.room_hooks.leave.remove(left)
        await attendance.close()
        services.parts.remove(Attendance)


capability = Capability("me", router, personal=_me, lifetime=_lifetime)
