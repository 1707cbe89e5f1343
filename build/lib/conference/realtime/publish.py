"""Broadcasting, in log order.

`send` is synchronous on purpose: called right after the write transaction that numbered the
entry, with no await in between, it queues broadcasts in commit order; one drain task emits
them in that order, so one process never reorders a room's log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import socketio

from conference.realtime.room_log import Entry

log = logging.getLogger(__name__)
Audience = str | list[str]  # one audience, or several (each recipient gets it once)


class Publisher:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self._sio = sio
        self._queue: asyncio.Queue[tuple[str, dict[str, Any], Audience]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._drain(), name="publisher")

    async def close(self) -> None:
        await self._queue.join()
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def send(self, entry: Entry, to: Audience) -> None:
        """Broadcast a logged entry to an audience."""
        self._queue.put_nowait((entry.type, entry.payload(), to))

    def send_volatile(self, type_: str, data: dict[str, Any], to: Audience) -> None:
        """Broadcast something that the next broadcast replaces (counts, tallies, reactions)."""
        self._queue.put_nowait((type_, data, to))

    async def flush(self) -> None:
        """Wait until everything queued so far was handed to socket.io."""
        await self._queue.join()

    async def _drain(self) -> None:
        while True:
            type_, payload, to = await self._queue.get()
            try:
                await self._sio.emit(type_, payload, to=to)
            except Exception:
                # python-socketio's Redis manager raises while Redis is away; clients catch up
                # through room:sync from the durable log.
                log.exception("broadcast of %s to %s failed", type_, to)
            finally:
                self._queue.task_done()
