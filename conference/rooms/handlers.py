"""room:join, room:leave, room:sync."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from conference.auth.roles import Role, is_moderator
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.rooms.assembly import SnapshotParts
from conference.storage.db import LazyReader

router = Router()
SYNC_LIMIT = 500


class RoomRef(Payload):
    room: str = Field(min_length=1, max_length=64)


class RoomSync(Payload):
    room: str = Field(min_length=1, max_length=64)
    after: int = Field(ge=0)


def may_enter(ctx: Context, room: str, phase: Any) -> None:
    """The plenary is open to everyone; a workshop room to its facilitator and moderators,
    and to participants while the workshop phase is open."""
    person = ctx.person
    if room == "plenary" or is_moderator(person.role):
        return
    if person.role == Role.FACILITATOR and person.room == room:
        return
    if phase != "workshops":
        raise Refused("room.closed")


@router.on("room:join", RoomRef)
async def join(ctx: Context, payload: RoomRef) -> dict[str, Any]:
    services, room = ctx.services, payload.room
    if await services.rooms.get(room) is None:
        raise Refused("room.unknown")
    parts = services.parts[SnapshotParts]
    manager = ctx.person.manages(room)
    if not manager:  # who manages the room may always enter it
        may_enter(ctx, room, (await parts.shared(services, room, manager))["event"]["phase"])
    await services.sio.enter_room(ctx.connection.sid, audiences.room(ctx.event_id, room))
    ctx.connection.rooms.add(room)
    await services.state.presence_enter(room, ctx.person.id, ctx.connection.sid)
    services.dirty_rooms.add(room)
    # taken again now that this connection receives the room's broadcasts: anything
    # committed after the snapshot's numbers reaches the client as a broadcast
    snapshot = await parts.personal(ctx, room, await parts.shared(services, room, manager))
    count = services.presence_counts.get(room)
    if count is None:  # the first join of the room on this process
        count = services.presence_counts[room] = len(await services.state.presence_people(room))
    snapshot["presence"] = {"count": count}
    return snapshot


@router.on("room:leave", RoomRef)
async def leave(ctx: Context, payload: RoomRef) -> None:
    services, room = ctx.services, payload.room
    if room not in ctx.connection.rooms:
        return
    ctx.connection.rooms.discard(room)
    await services.sio.leave_room(ctx.connection.sid, audiences.room(ctx.event_id, room))
    await services.state.presence_leave(room, ctx.person.id, ctx.connection.sid)
    services.dirty_rooms.add(room)


@router.on("room:sync", RoomSync)
async def sync(ctx: Context, payload: RoomSync) -> dict[str, Any]:
    """Everything logged after `after`: `{entries: [{type, seq, data}], more}`."""
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


async def _me(ctx: Context, reader: LazyReader, room: str, shared: Any) -> dict[str, Any]:
    """Who am I; a mute since connecting is applied to the connection by its notice."""
    person = ctx.person
    return {**person.public(), "room": person.room, "muted": person.muted}


capability = Capability("me", router, personal=_me)
