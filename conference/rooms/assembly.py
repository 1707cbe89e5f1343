"""`room:join`'s snapshot, assembled from every capability's part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conference.realtime import room_log
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context
from conference.services import Services


class SnapshotParts:
    """The capabilities that contribute to the snapshot, in the order of the capability table
    (conference/capabilities.py); the app adds one to `services.parts` at start-up."""

    def __init__(self, capabilities: Iterable[Capability]) -> None:
        self._parts = [c for c in capabilities if c.shared is not None or c.personal is not None]

    async def shared(self, services: Services, room: str, manager: bool) -> dict[str, Any]:
        """What everyone in the room sees alike: kept for participants (rooms/snapshots.py),
        read afresh for the few who manage the room."""

        async def build() -> dict[str, Any]:
            parts: dict[str, Any] = {}
            async with services.db.read() as conn:
                # numbers first: anything committed after them arrives as a broadcast and is
                # applied idempotently by the client
                parts["seq"] = {
                    room: await room_log.last_seq(conn, services.event.id, room),
                    room_log.EVENT_STREAM: await room_log.last_seq(
                        conn, services.event.id, room_log.EVENT_STREAM
                    ),
                }
                for capability in self._parts:
                    if capability.shared is not None:
                        parts[capability.name] = await capability.shared(
                            services, conn, room, manager
                        )
            return parts

        if manager:
            return await build()
        return await services.snapshots.get(room, build)

    async def personal(self, ctx: Context, room: str, shared: dict[str, Any]) -> dict[str, Any]:
        """The snapshot as this person receives it."""
        snapshot: dict[str, Any] = {"room": room, "seq": shared["seq"]}
        for capability in self._parts:
            part = shared.get(capability.name)
            if capability.personal is not None:
                part = await capability.personal(ctx, room, part)
            snapshot[capability.name] = part
        return snapshot
