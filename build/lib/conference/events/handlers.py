"""The event-wide part of every snapshot: current agenda item, announcement, phase."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.events import state_store
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Router
from conference.services import Services


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any]:
    state = await state_store.get_all(conn, services.event.id)
    return {
        "current_item": state.get("current_item"),
        "announcement": state.get("announcement"),
        # "workshops" while participants are in their workshop rooms (conference/workshops)
        "phase": "workshops" if _running(state.get("workshops")) else "plenary",
    }


def _running(workshops: Any) -> bool:
    return isinstance(workshops, dict) and workshops.get("status") in ("open", "returning")


capability = Capability("event", Router(), shared=_shared)
