"""announce:post and announce:clear — a banner on every page of the event."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from conference.auth.roles import Permission
from conference.clock import utcnow
from conference.events import state_store
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, NoPayload, Payload, Router

router = Router()


class AnnouncePost(Payload):
    text: str = Field(min_length=1, max_length=500)


async def _publish(ctx: Context, announcement: dict[str, Any] | None) -> dict[str, Any]:
    async with ctx.services.db.write() as conn:
        await state_store.put(conn, ctx.event_id, "announcement", announcement)
        entry = await room_log.append(
            conn,
            ctx.event_id,
            room_log.EVENT_STREAM,
            "announce:current",
            {"announcement": announcement},
        )
    ctx.services.publisher.send(entry, audiences.event(ctx.event_id))
    ctx.services.publisher.send(entry, audiences.presenters(ctx.event_id))
    return {"announcement": announcement, "seq": entry.seq}


@router.on("announce:post", AnnouncePost, Permission.MODERATOR)
async def post(ctx: Context, payload: AnnouncePost) -> dict[str, Any]:
    return await _publish(
        ctx, {"text": payload.text, "by": ctx.person.name, "at": utcnow().isoformat()}
    )


@router.on("announce:clear", NoPayload, Permission.MODERATOR)
async def clear(ctx: Context, payload: NoPayload) -> dict[str, Any]:
    return await _publish(ctx, None)


capability = Capability("announcements", router)
