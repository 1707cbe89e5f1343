"""Room state kept in this process: the default when no Redis is configured."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from conference.state.base import JSON

if TYPE_CHECKING:
    from conference.settings import Settings

_SWEEP_INTERVAL = 60.0


class MemoryRoomState:
    """RoomState for one process; each method runs without awaiting, so asyncio makes it atomic."""

    def __init__(self, *, presence_ttl: float = 90.0) -> None:
        self.presence_ttl = presence_ttl
        self._presence: dict[str, dict[tuple[str, str], float]] = {}
        # values are stored JSON-encoded so callers get copies and the same types as from Redis
        self._values: dict[str, tuple[str, float | None]] = {}
        self._counters: dict[str, dict[str, int]] = {}
        self._claims: dict[str, tuple[str, float]] = {}
        self._next_sweep = time.monotonic() + _SWEEP_INTERVAL

    @classmethod
    def from_settings(cls, settings: Settings) -> MemoryRoomState:
        """A fresh, empty state (settings carry nothing for this backend)."""
        return cls()

    async def start(self) -> None:
        """Nothing to open."""

    async def close(self) -> None:
        """Nothing to release."""

    async def ping(self) -> bool:
        """Always up."""
        return True

    async def presence_enter(self, room: str, person_id: str, sid: str) -> None:
        """Record connection `sid` of `person_id` as present in `room`."""
        now = time.monotonic()
        self._presence.setdefault(room, {})[(person_id, sid)] = now + self.presence_ttl
        self._maybe_sweep(now)

    async def presence_leave(self, room: str, person_id: str, sid: str) -> None:
        """Forget connection `sid`; the person stays present while another sid remains."""
        entries = self._presence.get(room)
        if entries is None:
            return
        entries.pop((person_id, sid), None)
        if not entries:
            del self._presence[room]

    async def presence_refresh(self, room: str, person_id: str, sid: str) -> None:
        """Keep an entry alive; re-creates it when it already expired."""
        await self.presence_enter(room, person_id, sid)

    def _live(self, room: str) -> list[tuple[str, str]]:
        """(person_id, sid) of the unexpired entries of `room`, dropping the expired ones."""
        entries = self._presence.get(room)
        if entries is None:
            return []
        now = time.monotonic()
        for entry in [entry for entry, expiry in entries.items() if expiry <= now]:
            del entries[entry]
        if not entries:
            del self._presence[room]
        return list(entries)

    async def presence_people(self, room: str) -> set[str]:
        """Ids of the people with at least one live connection in `room`."""
        return {person_id for person_id, _ in self._live(room)}

    async def presence_sids(self, room: str, person_id: str) -> set[str]:
        """The live connection ids of one person in `room`."""
        return {sid for pid, sid in self._live(room) if pid == person_id}

    async def get(self, key: str) -> JSON | None:
        """The value stored under `key`, or None."""
        item = self._values.get(key)
        if item is None:
            return None
        encoded, expiry = item
        if expiry is not None and expiry <= time.monotonic():
            del self._values[key]
            return None
        return json.loads(encoded)

    async def set(self, key: str, value: JSON, ttl: float | None = None) -> None:
        """Store a JSON value, optionally expiring after `ttl` seconds."""
        now = time.monotonic()
        encoded = json.dumps(value, separators=(",", ":"))
        self._values[key] = (encoded, None if ttl is None else now + ttl)
        self._maybe_sweep(now)

    async def delete(self, key: str) -> None:
        """Remove `key` (no error when absent)."""
        self._values.pop(key, None)

    async def incr(self, key: str, field: str, amount: int = 1) -> int:
        """Atomically add `amount` to `field` of counter hash `key`; returns the new value."""
        fields = self._counters.setdefault(key, {})
        value = fields.get(field, 0) + amount
        fields[field] = value
        return value

    async def counters(self, key: str) -> dict[str, int]:
        """All fields of counter hash `key` (empty when absent)."""
        return dict(self._counters.get(key, {}))

    async def pop_counters(self, key: str) -> dict[str, int]:
        """Read and delete counter hash `key` atomically."""
        return self._counters.pop(key, {})

    async def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take (or extend) the lease `key` for `ttl` seconds unless another owner holds it."""
        now = time.monotonic()
        held = self._claims.get(key)
        if held is not None and held[0] != owner and held[1] > now:
            return False
        self._claims[key] = (owner, now + ttl)
        self._maybe_sweep(now)
        return True

    def _maybe_sweep(self, now: float) -> None:
        """Drop expired entries now and then, so keys never read again do not pile up."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + _SWEEP_INTERVAL
        for key in [k for k, (_, exp) in self._values.items() if exp is not None and exp <= now]:
            del self._values[key]
        for key in [k for k, (_, exp) in self._claims.items() if exp <= now]:
            del self._claims[key]
        for room, entries in list(self._presence.items()):
            for entry in [e for e, exp in entries.items() if exp <= now]:
                del entries[entry]
            if not entries:
                del self._presence[room]
