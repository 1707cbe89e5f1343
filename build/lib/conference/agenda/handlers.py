"""agenda:set — the moderator moves the programme on; every page follows."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from conference.auth.roles import Permission
from conference.events import state_store
from conference.realtime import audiences, room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Payload, Router
from conference.realtime.errors import Refused

router = Router()


class AgendaSet(Payload):
    item: str | None = Field(default=None, max_length=64)
    step: int | None = Field(default=None, ge=-1, le=1)


@router.on("agenda:set", AgendaSet, Permission.MODERATOR)
async def set_current(ctx: Context, payload: AgendaSet) -> dict[str, Any]:
    """Set the current item by id, or step forward/back with `step` (+1/-1)."""
    ids = [item.id for item in ctx.services.event.agenda]
    item: str | None
    async with ctx.services.db.write() as conn:
        if payload.step is not None:
            current = (await state_store.get_all(conn, ctx.event_id)).get("current_item")
            index = ids.index(current) + payload.step if current in ids else 0
            item = ids[max(0, min(len(ids) - 1, index))]
        elif payload.item is None or payload.item in ids:
            item = payload.item
        else:
            raise Refused("agenda.unknown_item")
        await state_store.put(conn, ctx.event_id, "current_item", item)
        entry = await room_log.append(
            conn, ctx.event_id, room_log.EVENT_STREAM, "agenda:current", {"current_item": item}
        )
    ctx.services.publisher.send(entry, audiences.event(ctx.event_id))
    return {"current_item": item, "seq": entry.seq}


capability = Capability("agenda", router)
