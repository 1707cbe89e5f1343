"""reaction:send — counted, and broadcast as one aggregate per room and second."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Literal

from pydantic import Field

from conference.realtime import audiences
from conference.realtime.capability import Capability, loops
from conference.realtime.dispatch import Context, Payload, Router
from conference.services import Services

log = logging.getLogger(__name__)
router = Router()
REACTIONS = ("👏", "👍", "❤️", "😂", "🤔")
TICK_SECONDS = 1.0


class ReactionSend(Payload):
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
    event_id = services.event.id
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
                    services.publisher.send_volatile(
                        "reaction:burst",
                        {"room": room, "counts": counts},
                        audiences.room(event_id, room),
                    )


capability = Capability("reactions", router, lifetime=loops(broadcast_aggregates))
