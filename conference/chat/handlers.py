"""chat:send and chat:delete."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import get_person, new_id
from conference.auth.roles import Permission
from conference.chat import store
from conference.clock import utcnow
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused
from conference.services import Services
from conference.storage import locks
from conference.storage.tables import chat_messages

router = Router()
MAX_LENGTH = 1000
HISTORY = 100


class ChatSend(Payload):
    room: str = Field(min_length=1, max_length=64)
    body: str = Field(min_length=1, max_length=MAX_LENGTH)
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class ChatDelete(Payload):
    room: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=32)


@router.on("chat:send", ChatSend)
async def send(ctx: Context, payload: ChatSend) -> dict[str, Any]:
    """Store the message once per client id (a retry returns the stored one) and broadcast it."""
    ctx.require_joined(payload.room)
    person_id = ctx.person.id
    async with ctx.services.db.write() as conn:
        # a retry arriving on another process while the first send is still running waits
        # for it, then finds the stored message
        await locks.exclusive(conn, "chat", person_id, payload.client_id)
        existing = await store.by_client_id(conn, person_id, payload.client_id)
        if existing is not None:
            return existing
        person = await get_person(conn, person_id)
        if person is None or person.removed:
            raise Refused("auth.required")
        if person.muted:
            raise Refused("chat.muted")
        message_id, now = new_id(), utcnow()
        message = store.message(
            id=message_id,
            client_id=payload.client_id,
            body=payload.body,
            created_at=now,
            person=person.public(),
        )
        entry = await room_log.append(conn, ctx.event_id, payload.room, "chat:message", message)
        await conn.execute(
            chat_messages.insert().values(
                id=message_id,
                event_id=ctx.event_id,
                room=payload.room,
                person_id=person_id,
                client_id=payload.client_id,
                body=payload.body,
                seq=entry.seq,
                created_at=now,
            )
        )
    ctx.services.publisher.send(entry, audiences.room(ctx.event_id, payload.room))
    return {**message, "seq": entry.seq}


@router.on("chat:delete", ChatDelete, Permission.FACILITATOR)
async def delete(ctx: Context, payload: ChatDelete) -> dict[str, Any]:
    """Moderators (and a room's facilitator) delete a message; it disappears for everyone."""
    async with ctx.services.db.write() as conn:
        row = await store.get(conn, ctx.event_id, payload.id)
        if row is None or row.room != payload.room:
            raise Refused("chat.not_found")
        if row.deleted_at is None:
            await conn.execute(
                chat_messages.update()
                .where(chat_messages.c.id == payload.id)
                # the text goes from every place it is stored: the record, the log's copy
                .values(deleted_at=utcnow(), deleted_by=ctx.person.id, body="")
            )
            # a client catching up gets the deletion at the message's own number, not its body
            await room_log.redact(
                conn, ctx.event_id, payload.room, row.seq, "chat:deleted", {"id": payload.id}
            )
        entry = await room_log.append(
            conn, ctx.event_id, payload.room, "chat:deleted", {"id": payload.id}
        )
    ctx.services.publisher.send(entry, audiences.room(ctx.event_id, payload.room))
    return {"id": payload.id, "seq": entry.seq}


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    return {
        "messages": await store.recent(conn, services.event.id, room, HISTORY),
        "max_length": MAX_LENGTH,
    }


capability = Capability("chat", router, shared=_shared)

__all__ = ["capability"]
