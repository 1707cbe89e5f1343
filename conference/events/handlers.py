"""The event-wide part of every snapshot: current agenda item, announcement, phase."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.events import state_store
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, Router


async def _snapshot(ctx: Context, conn: AsyncConnection, room: str) -> dict[str, Any]:
    state = await state_store.get_all(conn, ctx.event_id)
    return {
        "current_item": state.get("current_item"),
        "announcement": state.get("announcement"),
        "phase": state.get("phase", "plenary"),
    }


capability = Capability("event", Router(), _snapshot)
