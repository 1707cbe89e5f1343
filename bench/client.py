"""A light Engine.IO v4 / Socket.IO v5 client on picows: no task per connection or message.

Each connection is one picows listener; frames are handled in the protocol callback with byte
checks, and only what a scenario asks for is parsed. Acks resolve futures or call callbacks.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

EventHandler = Callable[["Client", bytes, float], None]
AckHandler = Callable[[bytes, float], None]


class Client(WSListener):  # type: ignore[misc]
    """One socket.io connection on the default namespace."""

    def __init__(self, index: int, token: str, on_event: EventHandler | None) -> None:
        self.index = index
        self.token = token
        self.on_event = on_event
        self.transport: WSTransport | None = None
        self.connected: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.acks: dict[int, asyncio.Future[bytes] | AckHandler] = {}
        self.next_id = 0
        self.closed = False
        self.fragments: list[bytes] = []
        self.seen: bytearray = bytearray()  # per-message delivery marks of the current cell
        self.doubled = 0

    # picows callbacks -------------------------------------------------------------------
    def on_ws_connected(self, transport: WSTransport) -> None:
        self.transport = transport

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self.closed = True
        if not self.connected.done():
            self.connected.set_exception(ConnectionError("disconnected"))
        for ack in self.acks.values():
            if isinstance(ack, asyncio.Future) and not ack.done():
                ack.set_exception(ConnectionError("disconnected"))
        self.acks.clear()

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        msg_type = frame.msg_type
        if msg_type is WSMsgType.CLOSE:
            transport.disconnect()
            return
        if msg_type is not WSMsgType.TEXT and msg_type is not WSMsgType.CONTINUATION:
            return
        data = frame.get_payload_as_bytes()
        if not frame.fin:
            self.fragments.append(data)
            return
        if self.fragments:
            data = b"".join([*self.fragments, data])
            self.fragments.clear()
        self.handle(data)

    # Engine.IO / Socket.IO ----------------------------------------------------------------
    def handle(self, data: bytes) -> None:
        now = time.perf_counter()
        kind = data[:2]
        if kind == b"42":
            if self.on_event is not None:
                self.on_event(self, data, now)
        elif kind == b"43":
            end = data.index(b"[", 2)
            ack = self.acks.pop(int(data[2:end]), None)
            if ack is None:
                return
            if isinstance(ack, asyncio.Future):
                if not ack.done():
                    ack.set_result(data[end:])
            else:
                ack(data[end:], now)
        elif data[:1] == b"2":
            self.send(b"3")
        elif kind == b"40":
            if not self.connected.done():
                self.connected.set_result(data[2:].decode())
        elif kind == b"44":
            if not self.connected.done():
                self.connected.set_exception(ConnectionRefusedError(data[2:].decode()))
        elif data[:1] == b"0":
            self.send(b"40" + json.dumps({"token": self.token}).encode())

    def send(self, data: bytes) -> None:
        if self.transport is not None and not self.closed:
            self.transport.send(WSMsgType.TEXT, data)

    def emit(
        self, event: str, payload: Any, ack: AckHandler | None = None
    ) -> asyncio.Future[bytes] | None:
        """Send an event; with `ack`, call it on the ack; without, return a future of the ack."""
        body = json.dumps([event, payload], separators=(",", ":")).encode()
        self.next_id += 1
        ack_id = self.next_id
        future: asyncio.Future[bytes] | None = None
        if ack is None:
            future = asyncio.get_running_loop().create_future()
            self.acks[ack_id] = future
        else:
            self.acks[ack_id] = ack
        self.send(b"42%d%s" % (ack_id, body))
        return future

    def emit_noack(self, event: str, payload: Any) -> None:
        self.send(b"42" + json.dumps([event, payload], separators=(",", ":")).encode())

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.disconnect()


async def open_client(
    url: str, index: int, token: str, on_event: EventHandler | None, limit: float
) -> Client:
    """Open the websocket, do the Engine.IO open and the Socket.IO connect with `{token}`."""
    holder: list[Client] = []

    def factory() -> Client:
        client = Client(index, token, on_event)
        holder.append(client)
        return client

    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    await asyncio.wait_for(
        ws_connect(factory, ws_url, websocket_handshake_timeout=limit, enable_auto_pong=True),
        limit,
    )
    client = holder[0]
    await asyncio.wait_for(asyncio.shield(client.connected), limit)
    return client


def ack_ok(raw: bytes) -> tuple[bool, Any]:
    """Decode an ack body `[{"ok": …, "data"|"error": …}]`."""
    value = json.loads(raw)
    result = value[0] if value else None
    if isinstance(result, dict) and "ok" in result:
        return bool(result["ok"]), result.get("data", result.get("error"))
    return True, result
