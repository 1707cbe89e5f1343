"""Broadcast fan-out without a task per recipient.

python-socketio's AsyncManager.emit encodes a broadcast once but then creates one asyncio task
per recipient, each awaiting `socket.send` (a ping-timeout check, a log call and an awaited
`queue.put`); task creation and the garbage it leaves dominate the cost of a broadcast. Here
the packet is encoded once, into an Engine.IO packet whose encoding is cached, and put straight
on each recipient's Engine.IO queue (unbounded, so `put_nowait` never blocks). The Redis
manager publishes to the other processes first and fans out locally after, so clients on other
processes do not wait for this one's fan-out.

Each recipient's Engine.IO writer then wakes once per packet; the library's `poll` arms an
`asyncio.wait_for` timer on every wake-up. On a websocket that timer is redundant (the reader
already times out a silent client and then wakes the writer with None), so `install_fast_poll`
skips it there; long-polling requests keep the library's poll.

Both managers tell their `observers` of every broadcast this process delivers, whichever
process sent it: that is how kept room snapshots learn they are stale (rooms/snapshots.py).
The Redis manager calls its `resubscribed` callbacks when it listens again after losing Redis:
broadcasts of other processes may have been lost meanwhile (realtime/server.py tells this
process's clients to catch up).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import socketio
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from engineio.async_socket import AsyncSocket
from socketio import packet as sio_packet

_library_poll = AsyncSocket.poll

Observer = Callable[[str, Any, Any], None]  # (event, data, audience)
Resubscribed = Callable[[], None]


async def _poll(self: Any) -> list[Any]:
    """AsyncSocket.poll without a timer per wake-up on websockets (same results otherwise)."""
    if not self.upgraded:
        return await _library_poll(self)  # type: ignore[no-any-return]
    queue = self.queue
    try:
        first = queue.get_nowait()
    except asyncio.QueueEmpty:
        try:
            first = await queue.get()
        except asyncio.CancelledError:
            raise eio_exceptions.QueueEmpty() from None
    queue.task_done()
    if first is None:
        return []
    packets = [first]
    while True:
        try:
            pkt = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        queue.task_done()
        if pkt is None:
            queue.put_nowait(None)
            break
        packets.append(pkt)
    return packets


def install_fast_poll() -> None:
    """Use `_poll` for every Engine.IO socket of this process (idempotent)."""
    AsyncSocket.poll = _poll


class _Encoded(eio_packet.Packet):  # type: ignore[misc]
    """An Engine.IO MESSAGE packet encoded once for every recipient."""

    def __init__(self, encoded: str) -> None:
        self.packet_type = eio_packet.MESSAGE
        self.data = encoded[1:]
        self.binary = False
        self._encoded = encoded

    def encode(self, b64: bool = False) -> str:
        return self._encoded


def fan_out(manager: Any, event: str, data: Any, namespace: str, room: Any, skip_sid: Any) -> bool:
    """Queue one broadcast for every local participant of `room`; False when the fast path
    does not apply (binary payloads), so the caller falls back to the library."""
    for observe in manager.observers:
        observe(event, data, room)
    if namespace not in manager.rooms:
        return True
    if isinstance(data, tuple):
        args = list(data)
    elif data is not None:
        args = [data]
    else:
        args = []
    encoded = manager.server.packet_class(
        sio_packet.EVENT, namespace=namespace, data=[event, *args]
    ).encode()
    if not isinstance(encoded, str):
        return False
    pkt = _Encoded(str(eio_packet.MESSAGE) + encoded)
    skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
    eio = manager.server.eio
    sockets = eio.sockets
    ping_timeout = eio.ping_timeout
    now = time.time()
    for sid, eio_sid in manager.get_participants(namespace, room):
        if sid in skip:
            continue
        socket = sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            continue
        if socket.last_ping and now - socket.last_ping > ping_timeout:
            # the library's path closes a socket whose client stopped answering pings
            manager.server.start_background_task(socket.send, pkt)
            continue
        socket.queue.put_nowait(pkt)
    return True


class RoomIndex:
    """Each connection's rooms, kept beside the library's rooms.

    python-socketio's `basic_disconnect` finds a leaving connection's rooms by copying and
    scanning every room of the namespace, and every connection has rooms of its own (its sid,
    its person): one disconnect costs time in proportion to everyone connected, and everyone
    leaving at once (the switch into the workshops) costs the square. With the index a
    disconnect touches only its own rooms.
    """

    rooms: dict[Any, dict[Any, Any]]
    _rooms_of: dict[tuple[Any, Any], set[Any]]
    callbacks: dict[Any, Any]
    pending_connect: dict[Any, list[Any]]
    pending_disconnect: dict[Any, list[Any]]

    def _index(self) -> dict[tuple[Any, Any], set[Any]]:
        index: dict[tuple[Any, Any], set[Any]] | None = getattr(self, "_rooms_of", None)
        if index is None:
            index = {}
            self._rooms_of = index
        return index

    def basic_enter_room(self, sid: Any, namespace: Any, room: Any, eio_sid: Any = None) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)  # type: ignore[misc]
        self._index().setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: Any, namespace: Any, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)  # type: ignore[misc]
        joined = self._index().get((namespace, sid))
        if joined is not None:
            joined.discard(room)

    def basic_disconnect(self, sid: Any, namespace: Any, **kwargs: Any) -> None:
        """The library's basic_disconnect, leaving only the connection's own rooms."""
        joined = self._index().pop((namespace, sid), set())
        if namespace not in self.rooms:
            return
        for room in joined:
            self.basic_leave_room(sid, namespace, room)
        self._index().pop((namespace, sid), None)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]


class FanoutManager(RoomIndex, socketio.AsyncManager):  # type: ignore[misc]
    """AsyncManager whose broadcasts cost no task per recipient."""

    def __init__(self) -> None:
        super().__init__()
        self.observers: list[Observer] = []
        self.resubscribed: list[Resubscribed] = []  # never called: there is no Redis to lose

    def initialize(self) -> None:
        super().initialize()
        install_fast_poll()

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        if callback is None and fan_out(self, event, data, namespace, to or room, skip_sid):
            return
        await super().emit(
            event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to, **kwargs
        )


# The listener's pause between attempts to reach Redis again: the library doubles it up to
# 60 s (1, 2, 4, 8, 16 s: 11 s of deafness measured after a 20 s outage); ours stays short.
LISTEN_RETRY_FIRST = 0.1
LISTEN_RETRY_MAX = 0.5
# A publish that failed (or hung: a host that drops packets) pauses publishing this long, so
# broadcasts while Redis is away neither wait on it nor log two errors each.
PUBLISH_TIMEOUT = 1.0
PUBLISH_PAUSE = 0.5


class FanoutRedisManager(RoomIndex, socketio.AsyncRedisManager):  # type: ignore[misc]
    """AsyncRedisManager that publishes first, then fans out locally without per-recipient tasks,
    and listens again within half a second of Redis coming back."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.observers: list[Observer] = []
        self.resubscribed: list[Resubscribed] = []
        self._publish_paused_until = 0.0

    def initialize(self) -> None:
        super().initialize()
        install_fast_poll()

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str | None = None,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        room = to or room
        namespace = namespace or "/"
        local_only = bool(kwargs.get("ignore_queue"))
        args = list(data) if isinstance(data, tuple) else [data]
        if local_only or callback is not None or sio_packet.Packet.data_is_binary(args):
            if (
                local_only
                and callback is None
                and fan_out(self, event, data, namespace, room, skip_sid)
            ):
                return
            await super().emit(
                event,
                data,
                namespace=namespace,
                room=room,
                skip_sid=skip_sid,
                callback=callback,
                **kwargs,
            )
            return
        try:
            await self._publish_unless_down(
                {
                    "method": "emit",
                    "event": event,
                    "data": args,
                    "binary": False,
                    "namespace": namespace,
                    "room": room,
                    "skip_sid": skip_sid,
                    "callback": None,
                    "host_id": self.host_id,
                }
            )
        finally:
            # local clients still get it while Redis is away (the drain logs the failure)
            fan_out(self, event, data, namespace, room, skip_sid)

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        """A broadcast published by another process: fan it out here the same way."""
        callback = message.get("callback")
        if message.get("binary") or (callback is not None and len(callback) == 3):
            await super()._handle_emit(message)
            return
        data = message["data"]
        if isinstance(data, list):
            data = data[0] if len(data) == 1 else tuple(data)
        namespace = message.get("namespace") or "/"
        if not fan_out(
            self, message["event"], data, namespace, message.get("room"), message.get("skip_sid")
        ):
            await super()._handle_emit(message)

    async def _publish_unless_down(self, message: dict[str, Any]) -> None:
        """Publish, unless a publish failed moments ago (the library's `_publish` logs and
        swallows failures, answering None)."""
        if time.monotonic() < self._publish_paused_until:
            return
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                published = await self._publish(message)
        except TimeoutError:
            self._get_logger().error("Cannot publish to redis... timed out")
            self.connected = False  # the next attempt connects afresh
            published = None
        if published is None:
            self._publish_paused_until = time.monotonic() + PUBLISH_PAUSE

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        """The library's listener (AsyncRedisManager._redis_listen_with_retries, pinned by
        tests/realtime/test_redis_outage.py), with a short, capped pause between attempts."""
        retry_sleep = LISTEN_RETRY_FIRST
        lost = False
        while True:
            try:
                self._redis_connect()
                await self.pubsub.subscribe(self.channel)
                retry_sleep = LISTEN_RETRY_FIRST
                if lost:
                    lost = False
                    self._publish_paused_until = 0.0  # Redis is back: publish at once
                    for callback in self.resubscribed:
                        callback()
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                lost = True
                if retry_sleep == LISTEN_RETRY_FIRST:
                    self._get_logger().error(
                        "Cannot receive from redis... retrying", extra={"redis_exception": str(exc)}
                    )
                await self._drop_connection()
                await asyncio.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, LISTEN_RETRY_MAX)

    async def _drop_connection(self) -> None:
        """Close the failed subscription before the next attempt makes a new one (the library
        leaves each behind); the client stays, a publish may be using it."""
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
