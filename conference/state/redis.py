"""Room state in Redis, shared by every server process that uses the same Redis.

While Redis cannot be reached every call raises StateUnavailable (dispatch answers
`state.unavailable`, which clients retry). Presence survives an outage: a removal that failed
is kept and done as soon as Redis answers again, and this process's own entries are written
again then (a restarted Redis without persistence has lost them). A watcher pings once a
second, so this happens even on a process that nobody talks to meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from conference.state.base import JSON, StateUnavailable

if TYPE_CHECKING:
    from conference.settings import Settings

_SEP = "\x1f"
# what an unreachable Redis raises (refused or reset connections, timeouts, a full pool)
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WATCH_SECONDS = 1.0

log = logging.getLogger(__name__)

# GET-then-PEXPIRE from Python could extend a lease another owner took in between
_CLAIM_SCRIPT = """
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
if current then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""


def _ms(seconds: float) -> int:
    """Seconds as whole milliseconds, at least 1 (Redis refuses PX 0)."""
    return max(1, math.ceil(seconds * 1000))


class RedisRoomState:
    """RoomState in Redis: several processes using one Redis see one state."""

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = "conference:",
        presence_ttl: float = 90.0,
        ping_timeout: float = 1.0,
        clock: Callable[[], float] = time.time,
        watch_interval: float = WATCH_SECONDS,
    ) -> None:
        self.presence_ttl = presence_ttl
        # presence entries expire on this clock (values and claims on Redis's own)
        self.clock = clock
        self._redis = client
        self._prefix = prefix
        self._ping_timeout = ping_timeout
        self._claim_script = client.register_script(_CLAIM_SCRIPT)
        self.watch_interval = watch_interval
        self._own: dict[str, set[str]] = {}  # presence key -> members this process entered
        self._gone: set[tuple[str, str]] = set()  # (key, member) whose removal failed
        self._troubled = False  # a call failed: repair presence before the next one
        self._repairing = asyncio.Lock()
        self._watcher: asyncio.Task[None] | None = None

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        pool_size: int = 256,
        prefix: str = "conference:",
        presence_ttl: float = 90.0,
        clock: Callable[[], float] = time.time,
    ) -> RedisRoomState:
        """A state on its own blocking pool (the default pool fails with bursts)."""
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=pool_size,
            timeout=10,
            decode_responses=True,
            # without them a black-holed host stalls each call for the OS's TCP timeout (a
            # connect) or forever (a reply); no command here blocks on purpose
            socket_connect_timeout=5,
            socket_timeout=5,
        )
        return cls(Redis.from_pool(pool), prefix=prefix, presence_ttl=presence_ttl, clock=clock)

    @classmethod
    def from_settings(cls, settings: Settings) -> RedisRoomState:
        """The state for CONFERENCE_REDIS_URL with a pool of CONFERENCE_REDIS_POOL_SIZE."""
        if not settings.redis_url:
            raise ValueError("RedisRoomState needs settings.redis_url")
        return cls.from_url(settings.redis_url, pool_size=settings.redis_pool_size)

    async def start(self) -> None:
        """Connections open lazily, so a Redis that comes up later is picked up then; the
        watcher notices an outage and repairs presence when Redis is back."""
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch(), name="room-state-watcher")

    async def close(self) -> None:
        """Stop the watcher; close the client and its pool."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        await self._redis.aclose()

    @property
    def available(self) -> bool:
        """False from a failed call until Redis answered again and presence was repaired."""
        return not self._troubled

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.watch_interval)
            with contextlib.suppress(StateUnavailable):
                async with self._reachable():
                    async with asyncio.timeout(self._ping_timeout):
                        await self._redis.ping()

    @contextlib.asynccontextmanager
    async def _reachable(self) -> AsyncIterator[None]:
        """Around every call: repair what an outage left first; an unreachable Redis becomes
        StateUnavailable."""
        try:
            if self._troubled:
                await self._repair()
            yield
        except _UNREACHABLE as exc:
            if not self._troubled:
                log.warning("Redis is unreachable: %s", exc)
            self._troubled = True
            raise StateUnavailable(str(exc)) from exc

    async def _repair(self) -> None:
        """Redis answers again: remove the entries of connections that left meanwhile and
        write this process's own entries again."""
        async with self._repairing:
            if not self._troubled:
                return
            gone = set(self._gone)
            expiry = self.clock() + self.presence_ttl
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, member in gone:
                    pipe.zrem(key, member)
                for key, members in self._own.items():
                    pipe.zadd(key, dict.fromkeys(members, expiry))
                    pipe.pexpire(key, _ms(self.presence_ttl))
                await pipe.execute()
            self._gone -= gone
            self._troubled = False
            log.warning("Redis is back: %d departures applied, presence restored", len(gone))

    async def ping(self) -> bool:
        """True when Redis answers within the ping timeout; never raises."""
        try:
            async with asyncio.timeout(self._ping_timeout):
                return bool(await self._redis.ping())
        except Exception:
            return False

    async def presence_enter(self, room: str, person_id: str, sid: str) -> None:
        """Record connection `sid` of `person_id` as present in `room`."""
        key, member = self._key("presence", room), f"{person_id}{_SEP}{sid}"
        # ours before the write, so that a leave during it (a tab closed while its entry is
        # refreshed) takes it out again: afterwards it would stay ours, and be written back
        # after every outage
        own = self._own.setdefault(key, set())
        known = member in own
        own.add(member)
        self._gone.discard((key, member))
        try:
            async with self._reachable(), self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(key, {member: self.clock() + self.presence_ttl})
                # the whole set goes when nobody refreshes, so abandoned rooms do not linger
                pipe.pexpire(key, _ms(self.presence_ttl))
                await pipe.execute()
        except StateUnavailable:
            if not known:  # a refused join is not present; a refresh stays for the repair
                self._disown(key, member)
            raise
        if member not in self._own.get(key, ()):  # it left while being written
            await self.presence_leave(room, person_id, sid)

    def _disown(self, key: str, member: str) -> None:
        own = self._own.get(key)
        if own is not None:
            own.discard(member)
            if not own:
                del self._own[key]

    async def presence_leave(self, room: str, person_id: str, sid: str) -> None:
        """Forget connection `sid`; the person stays present while another sid remains.
        Never raises: while Redis is away the removal waits and is done when it is back."""
        key, member = self._key("presence", room), f"{person_id}{_SEP}{sid}"
        self._disown(key, member)
        try:
            async with self._reachable():
                await self._redis.zrem(key, member)
        except StateUnavailable:
            self._gone.add((key, member))

    async def presence_refresh(self, room: str, person_id: str, sid: str) -> None:
        """Keep an entry alive; re-creates it when it already expired (e.g. Redis restarted)."""
        await self.presence_enter(room, person_id, sid)

    async def _live(self, room: str) -> list[tuple[str, str]]:
        """(person_id, sid) of the unexpired entries of `room`, dropping the expired ones."""
        key = self._key("presence", room)
        async with self._reachable(), self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", self.clock())
            pipe.zrange(key, 0, -1)
            _, members = await pipe.execute()
        pairs = (str(member).split(_SEP, 1) for member in members)
        return [(pair[0], pair[1]) for pair in pairs if len(pair) == 2]

    async def presence_people(self, room: str) -> set[str]:
        """Ids of the people with at least one live connection in `room`."""
        return {person_id for person_id, _ in await self._live(room)}

    async def presence_clear(self, room: str) -> None:
        """Forget everyone's presence in `room`."""
        key = self._key("presence", room)
        async with self._reachable():
            await self._redis.delete(key)
        self._own.pop(key, None)
        self._gone = {(k, member) for k, member in self._gone if k != key}

    async def presence_sids(self, room: str, person_id: str) -> set[str]:
        """The live connection ids of one person in `room`."""
        return {sid for pid, sid in await self._live(room) if pid == person_id}

    async def get(self, key: str) -> JSON | None:
        """The value stored under `key`, or None."""
        async with self._reachable():
            encoded = await self._redis.get(self._key("value", key))
        return None if encoded is None else json.loads(encoded)

    async def set(self, key: str, value: JSON, ttl: float | None = None) -> None:
        """Store a JSON value, optionally expiring after `ttl` seconds."""
        encoded = json.dumps(value, separators=(",", ":"))
        px = None if ttl is None else _ms(ttl)
        async with self._reachable():
            await self._redis.set(self._key("value", key), encoded, px=px)

    async def delete(self, key: str) -> None:
        """Remove `key` (no error when absent)."""
        async with self._reachable():
            await self._redis.delete(self._key("value", key))

    async def incr(self, key: str, field: str, amount: int = 1) -> int:
        """Atomically add `amount` to `field` of counter hash `key`; returns the new value."""
        async with self._reachable():
            return int(await self._redis.hincrby(self._key("counters", key), field, amount))

    async def counters(self, key: str) -> dict[str, int]:
        """All fields of counter hash `key` (empty when absent)."""
        async with self._reachable():
            fields = await self._redis.hgetall(self._key("counters", key))
        return {str(name): int(value) for name, value in fields.items()}

    async def pop_counters(self, key: str) -> dict[str, int]:
        """Read and delete counter hash `key` atomically."""
        name = self._key("counters", key)
        async with self._reachable(), self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(name)
            pipe.delete(name)
            fields, _ = await pipe.execute()
        return {str(field): int(value) for field, value in fields.items()}

    async def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take (or extend) the lease `key` for `ttl` seconds unless another owner holds it."""
        async with self._reachable():
            result = await self._claim_script(
                keys=[self._key("claim", key)], args=[owner, _ms(ttl)]
            )
        return bool(result)

    def _key(self, kind: str, name: str) -> str:
        """The Redis key of `name` in namespace `kind` (kinds differ in Redis type)."""
        return f"{self._prefix}{kind}:{name}"
