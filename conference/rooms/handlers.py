"""room:join, room:leave, room:sync."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import get_person
from conference.auth.roles import Role, is_moderator
from conference.events import state_store
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused

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
    if room not in ctx.services.event.rooms():
        raise Refused("room.unknown")
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
    async with services.db.read() as conn:
        event_state = await state_store.get_all(conn, ctx.event_id)
    may_enter(ctx, room, event_state.get("phase"))
    await services.sio.enter_room(ctx.connection.sid, audiences.room(ctx.event_id, room))
    ctx.connection.rooms.add(room)
    await services.state.presence_enter(room, ctx.person.id, ctx.connection.sid)
    services.dirty_rooms.add(room)
    from conference.capabilities import CAPABILITIES  # the table of capabilities imports us

    snapshot: dict[str, Any] = {"room": room}
    async with services.db.read() as conn:
        # numbers first: anything committed after them arrives as a broadcast and is
        # applied idempotently by the client
        snapshot["seq"] = {
            room: await room_log.last_seq(conn, ctx.event_id, room),
            room_log.EVENT_STREAM: await room_log.last_seq(
                conn, ctx.event_id, room_log.EVENT_STREAM
            ),
        }
        for capability in CAPABILITIES.values():
            if capability.snapshot is not None:
                snapshot[capability.name] = await capability.snapshot(ctx, conn, room)
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


async def _snapshot(ctx: Context, conn: AsyncConnection, room: str) -> dict[str, Any]:
    """Who am I: read afresh, since a moderator may have muted me since I connected."""
    person = await get_person(conn, ctx.person.id) or ctx.person
    return {**person.public(), "room": person.room, "muted": person.muted}


capability = Capability("me", router, _snapshot)
