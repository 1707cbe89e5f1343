"""The Redis room state through an outage: calls raise StateUnavailable (never a bare Redis
error), a departure meanwhile is applied once Redis answers again, and this process's own
presence is written again after a restart that lost it."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
import redis

from conference.state.base import StateUnavailable
from conference.state.redis import RedisRoomState
from tests.fixtures.redis_server import RedisProcess

ROOM = "plenary"


async def _until(state: RedisRoomState, available: bool, within: float = 3.0) -> None:
    """Until the state reports Redis as reachable (or not), checked every 50 ms."""
    for _ in range(int(within / 0.05)):
        if state.available is available:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the state did not become {'available' if available else 'unavailable'}")


async def _outage(own_redis: RedisProcess, state: RedisRoomState) -> None:
    """Redis stops and starts again; returns once the state has noticed both."""
    own_redis.stop()
    await _until(state, available=False)
    own_redis.start()
    await _until(state, available=True)


async def test_presence_heals_after_an_outage(own_redis: RedisProcess) -> None:
    state = RedisRoomState.from_url(own_redis.url)
    await state.start()
    try:
        await state.presence_enter(ROOM, "anna", "sid-a")
        await state.presence_enter(ROOM, "lena", "sid-l")
        client = redis.Redis.from_url(own_redis.url)
        client.save()  # the restarted Redis loads Lena's entry again, as one with persistence
        client.close()
        own_redis.stop()

        with pytest.raises(StateUnavailable):
            await state.get("phase")
        with pytest.raises(StateUnavailable):
            await state.presence_enter(ROOM, "dora", "sid-d")
        await state.presence_leave(ROOM, "lena", "sid-l")  # never raises; kept for later
        assert not state.available

        own_redis.start()
        await _until(state, available=True)  # the watcher noticed, without any other call
        assert await state.presence_people(ROOM) == {"anna"}

        # a restart that lost everything (no persistence): our own entries are written again
        (own_redis.workdir / "dump.rdb").unlink()
        await _outage(own_redis, state)
        assert await state.presence_people(ROOM) == {"anna"}
    finally:
        await state.close()


async def test_a_redis_that_stops_answering_is_unavailable_not_a_hang(
    own_redis: RedisProcess,
) -> None:
    """A host that drops packets (here: the process frozen) times out into StateUnavailable."""
    state = RedisRoomState.from_url(own_redis.url)
    try:
        await state.set("phase", "plenary")
        assert own_redis.process is not None
        os.kill(own_redis.process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            with pytest.raises(StateUnavailable):
                await state.get("phase")
            assert time.monotonic() - started < 8
        finally:
            os.kill(own_redis.process.pid, signal.SIGCONT)
        assert await state.get("phase") == "plenary"
    finally:
        await state.close()


async def test_a_connection_that_leaves_while_refreshed_is_not_written_back(
    own_redis: RedisProcess,
) -> None:
    """A tab closed while its entry is being refreshed leaves no entry behind, neither now nor
    when this process writes its own entries again after an outage."""
    state = RedisRoomState.from_url(own_redis.url)
    await state.start()
    try:
        await state.presence_enter(ROOM, "anna", "sid-a")
        await state.presence_enter(ROOM, "lena", "sid-l")
        refresh = asyncio.create_task(state.presence_refresh(ROOM, "lena", "sid-l"))
        await asyncio.sleep(0)  # the refresh is on its way to Redis
        await state.presence_leave(ROOM, "lena", "sid-l")
        await refresh
        assert await state.presence_people(ROOM) == {"anna"}

        await _outage(own_redis, state)  # no persistence: the restarted Redis is empty
        assert await state.presence_people(ROOM) == {"anna"}
    finally:
        await state.close()
