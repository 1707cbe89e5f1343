"""Coalesced broadcasts: at most one per key and window, across processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from conference.state.base import RoomState

log = logging.getLogger(__name__)

WINDOW_SECONDS = 0.25

Send = Callable[[str], Awaitable[None]]


class Coalescer:
    """The process that takes a key's lease sends once the window has passed, so it counts
    every change committed while it held the lease; the others send nothing for that window."""

    def __init__(
        self,
        state: RoomState,
        owner: str,
        prefix: str,
        send: Send,
        *,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.state, self.owner, self.prefix, self.send = state, owner, prefix, send
        self.window = window
        self._pending: dict[str, asyncio.Task[None]] = {}

    def touch(self, key: str) -> None:
        """A change of `key` was committed: make sure a broadcast follows within the window."""
        if key not in self._pending:
            self._pending[key] = asyncio.create_task(self._later(key), name=f"{self.prefix}:{key}")

    async def close(self) -> None:
        """Send what is still pending (the app is stopping), then stop."""
        pending = list(self._pending.values())
        if pending:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.window * 4):
                    await asyncio.gather(*pending, return_exceptions=True)
        for task in self._pending.values():
            task.cancel()

    async def _later(self, key: str) -> None:
        try:
            if not await self.state.claim(f"{self.prefix}:{key}", self.owner, self.window):
                return  # the holder's broadcast comes after this commit
            await asyncio.sleep(self.window)
            # forget the key before counting: a change committed from now on schedules anew
            self._forget(key)
            await self.send(key)
        except Exception:
            log.exception("coalesced broadcast %s:%s failed", self.prefix, key)
        finally:
            self._forget(key)

    def _forget(self, key: str) -> None:
        """Drop this task's entry (never the next task's, scheduled while this one sent)."""
        if self._pending.get(key) is asyncio.current_task():
            del self._pending[key]
