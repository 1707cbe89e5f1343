"""The room-state interface: volatile, shared state of live rooms.

Everything kept here is either rebuilt from durable records or expires, so losing it
(a Redis restart, a process crash) never loses anything that was acknowledged to a user.
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol

JSON = Any


class StateUnavailable(Exception):
    """The shared room state (Redis) cannot be reached right now: a retryable condition that
    dispatch reports as `state.unavailable`, never as `server.error`."""


class RoomState(Protocol):
    """Shared, volatile state of live rooms, the same for one process or many."""

    async def start(self) -> None:
        """Open connections; called once from the app's lifespan."""

    async def close(self) -> None:
        """Release connections and background tasks."""

    async def ping(self) -> bool:
        """True when the backend answers (used by /healthz)."""

    # presence: who is in a room, across processes; entries expire unless refreshed
    async def presence_enter(self, room: str, person_id: str, sid: str) -> None:
        """Record connection `sid` of `person_id` as present in `room`."""

    async def presence_leave(self, room: str, person_id: str, sid: str) -> None:
        """Forget connection `sid`; the person stays present while another sid remains."""

    async def presence_refresh(self, room: str, person_id: str, sid: str) -> None:
        """Keep an entry alive (called by the owning process on a heartbeat)."""

    async def presence_people(self, room: str) -> set[str]:
        """Ids of the people with at least one live connection in `room`."""

    async def presence_clear(self, room: str) -> None:
        """Forget everyone's presence in `room` (the deletion job, after the event)."""

    # small JSON values: current agenda item cache, phase, timers
    async def get(self, key: str) -> JSON | None:
        """The value stored under `key`, or None."""

    async def set(self, key: str, value: JSON, ttl: float | None = None) -> None:
        """Store a JSON value, optionally expiring after `ttl` seconds."""

    async def delete(self, key: str) -> None:
        """Remove `key` (no error when absent)."""

    # counters: atomic increments of named fields of one hash
    async def incr(self, key: str, field: str, amount: int = 1) -> int:
        """Atomically add `amount` to `field` of counter hash `key`; returns the new value."""

    async def counters(self, key: str) -> dict[str, int]:
        """All fields of counter hash `key` (empty when absent)."""

    async def pop_counters(self, key: str) -> dict[str, int]:
        """Read and delete counter hash `key` atomically."""

    # claims: a short lease so that only one process does a periodic job
    async def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take the lease `key` for `ttl` seconds unless another owner holds it."""

    async def presence_sids(self, room: str, person_id: str) -> builtins.set[str]:
        """The live connection ids of one person in `room` (to end them on removal)."""
