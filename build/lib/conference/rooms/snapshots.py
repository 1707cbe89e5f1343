"""The shared part of room:join's snapshot, built once per room and kept until it changes.

Everything a participant sees on joining a room (the sequence numbers, the event state, the
chat history, the polls and their results, the approved questions) is the same for every
participant; only a few personal parts (my votes, my held questions, my upvotes) are not.
Reading the shared part from SQL on every join cost about ten queries, which made a join storm
of 2000 people take 16 s (docs/benchmarks.md). So it is built once and kept in memory.

It stays valid while no broadcast that could change it has reached this process: every such
change is broadcast to the room's (or the whole event's) audience after its commit, on every
process, so the fan-out is where a snapshot learns it is stale (`observe`). A join enters the
room's audience before it takes the snapshot, so whatever was committed after the snapshot's
numbers reaches the client as a broadcast, exactly as with a snapshot read afresh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from conference.realtime import audiences

# Broadcasts to a room that no snapshot holds: they must not throw the snapshot away.
NOT_IN_SNAPSHOT = frozenset({"room:presence", "reaction:burst"})
# Broadcasts to moderators that change what participants' snapshots hold, though the room does
# not hear of it: a question held for moderation (its asker finds it on joining) and the tally
# of a poll whose results only voters see.
TO_MODERATORS = frozenset({"question:changed", "poll:results"})
# A safety net only: if a broadcast from another process was lost (Redis away), the snapshot
# is rebuilt after this long anyway.
MAX_AGE_SECONDS = 10.0

Build = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class _Built:
    version: tuple[int, int]
    at: float
    parts: dict[str, Any]


class RoomSnapshots:
    """Per process: the shared snapshot of each room, and the versions that invalidate it."""

    def __init__(self, event_id: str) -> None:
        self._event_audience = audiences.event(event_id)
        self._moderators = audiences.moderators(event_id)
        self._room_prefix = audiences.room(event_id, "")
        self._event_version = 0
        self._room_versions: dict[str, int] = {}
        self._built: dict[str, _Built] = {}
        self._building: dict[str, asyncio.Future[_Built]] = {}

    def observe(self, event: str, data: Any, audience: Any) -> None:
        """Called by the fan-out for every broadcast this process delivers (from any process)."""
        if isinstance(audience, list):
            for one in audience:
                self.observe(event, data, one)
            return
        if not isinstance(audience, str):
            return
        if audience == self._event_audience:
            self._event_version += 1
        elif audience.startswith(self._room_prefix):
            if event not in NOT_IN_SNAPSHOT:
                self._bump(audience[len(self._room_prefix) :])
        elif audience == self._moderators and event in TO_MODERATORS:
            room = data.get("room") if isinstance(data, dict) else None
            if isinstance(room, str):
                self._bump(room)

    def _bump(self, room: str) -> None:
        self._room_versions[room] = self._room_versions.get(room, 0) + 1

    def version(self, room: str) -> tuple[int, int]:
        return (self._event_version, self._room_versions.get(room, 0))

    async def get(self, room: str, build: Build) -> dict[str, Any]:
        """The room's shared snapshot, current as of this call: built now unless the kept one
        saw no change since. Concurrent joins wait for one build instead of each running it."""
        while True:
            version = self.version(room)
            built = self._built.get(room)
            if (
                built is not None
                and built.version == version
                and time.monotonic() - built.at < MAX_AGE_SECONDS
            ):
                return built.parts
            pending = self._building.get(room)
            if pending is None:
                return (await self._build(room, version, build)).parts
            done = await asyncio.shield(pending)
            if done.version == self.version(room):
                return done.parts
            # changed while it was built: this caller may have missed the change, so build anew

    async def _build(self, room: str, version: tuple[int, int], build: Build) -> _Built:
        future: asyncio.Future[_Built] = asyncio.get_running_loop().create_future()
        self._building[room] = future
        try:
            built = _Built(version=version, at=time.monotonic(), parts=await build())
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiting joins get it, nobody else must
            raise
        finally:
            del self._building[room]
        future.set_result(built)
        self._built[room] = built
        return built
