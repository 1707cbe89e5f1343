"""reaction:send — counted, and broadcast as one aggregate per room and second; the counts are
kept per minute in SQL (conference/reactions/store.py) for the console's totals and the
report's mood in the room."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.reactions import store
from conference.realtime import audiences
from conference.realtime.capability import Capability, loops
from conference.realtime.dispatch import Context, Payload, Router
from conference.services import Services

log = logging.getLogger(__name__)
router = Router()
TICK_SECONDS = 1.0


class ReactionSend(Payload):
    # the keys of conference/reactions/kinds.py REACTIONS (a Literal must be spelled out)
    room: str = Field(min_length=1, max_length=64)
    emoji: Literal["👏", "👍", "❤️", "😂", "🤔"]


def _counter(room: str) -> str:
    return f"reactions:{room}"


@router.on("reaction:send", ReactionSend)
async def send(ctx: Context, payload: ReactionSend) -> None:
    ctx.require_joined(payload.room)
    await ctx.services.state.incr(_counter(payload.room), payload.emoji)


async def broadcast_aggregates(services: Services) -> None:
    """Once a second, whichever process holds a room's lease sends that room's counts."""
    while True:
        await asyncio.sleep(TICK_SECONDS)
        for room in services.rooms.ids():
            with contextlib.suppress(Exception):
                if not await services.state.claim(
                    f"reactions-tick:{room}", services.process_id, TICK_SECONDS * 0.9
                ):
                    continue
                counts = await services.state.pop_counters(_counter(room))
                if counts:
                    await _send(services, room, counts)


async def _send(services: Services, room: str, counts: dict[str, int]) -> None:
    """Kept first, then sent with the room's totals: a console that joins between the two
    finds the totals in its snapshot or in the burst, never counted twice."""
    payload: dict[str, Any] = {"room": room, "counts": counts}
    try:
        async with services.db.write() as conn:
            payload["totals"] = await store.add(
                conn, services.event.id, room, services.clock.now(), counts
            )
    except Exception as error:  # the database away: the room still sees the moment's reactions
        log.warning("reaction counts of %s not kept: %s", room, error)
    services.publisher.send_volatile(
        "reaction:burst", payload, audiences.room(services.event.id, room)
    )


async def _shared(
    services: Services, conn: AsyncConnection, room: str, manager: bool
) -> dict[str, Any] | None:
    """Managers see the room's totals so far; participants only the live bursts."""
    if not manager:
        return None
    return {"totals": await store.totals(conn, services.event.id, room)}


capability = Capability("reactions", router, shared=_shared, lifetime=loops(broadcast_aggregates))
