"""Hostile packets stop here: every packet a client can write gets a coded answer or a clean
disconnect, and none reaches python-socketio's dispatch in a shape that makes it raise.

Three small hooks, each covered by the tripwire in tests/realtime/test_upstream.py:

- `GuardedPacket` decodes socket.io packets strictly: one reading, in bytes against the
  payload limit (`payload.too_large`), no NaN or infinities (orjson refuses them), no number
  beyond what a 64-bit column holds, no nesting deeper than `MAX_DEPTH` (`packet.invalid`).
- `GuardedServer._handle_eio_message` replaces python-socketio's (same branches) so that a
  packet it cannot read is refused with an ack when it carries an ack id, and otherwise closes
  the connection; `_handle_event` refuses events whose name is no string or is one that
  python-socketio reserves for itself (`connect`, `disconnect`, `*`: `event.unknown`).
- `TransportGuard`, ASGI middleware in front of engine.io: a long-polling POST over the
  transport limit is answered 413 at once (engine.io's own answer waits for the client's next
  GET, forever when there is none), and engine.io frames that python-engineio would raise on
  (bad UTF-8, unknown packet types) are refused before they reach it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, ClassVar
from urllib.parse import parse_qs

import socketio
from socketio import packet as sio_packet

from conference.realtime import json_codec
from conference.realtime.errors import MESSAGES

log = logging.getLogger(__name__)

MAX_DEPTH = 32  # payload models are a few levels deep; orjson encodes at most 254
NUMBER_LIMIT = 2**63  # what a signed 64-bit column holds, exclusive
RESERVED_EVENTS = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting"}
    | {"newListener", "removeListener", "*"}
)


def byte_length(text: str, limit: int) -> int:
    """UTF-8 length of `text`, or any number above `limit` once it is certainly above."""
    if len(text) > limit:
        return len(text)
    if len(text) * 4 <= limit:  # no encoding needed: at most four bytes a character
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def acceptable(value: Any) -> bool:
    """No number past 64 bits (or a float that large), no nesting past MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth >= MAX_DEPTH:
                return False
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                return False
            stack.extend((v, depth + 1) for v in item)
        elif (
            isinstance(item, int | float)
            and not isinstance(item, bool)
            and not -NUMBER_LIMIT <= item < NUMBER_LIMIT
        ):
            return False
    return True


class _Reader:
    """Stands in for the packet's JSON module while it decodes its data part."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.problem: str | None = None

    def loads(self, text: str) -> Any:
        if byte_length(text, self.limit) > self.limit:
            self.problem = "payload.too_large"
            return None
        try:
            value = json_codec.loads(text)
        except ValueError:
            self.problem = "packet.invalid"
            return None
        if not acceptable(value):
            self.problem = "packet.invalid"
            return None
        return value


class GuardedPacket(sio_packet.Packet):  # type: ignore[misc]
    """A socket.io packet whose decoding never raises: `unreadable` when its header (type,
    attachments, id) cannot be read, `problem` (a code) when its data cannot be taken."""

    max_bytes: ClassVar[int] = 64 * 1024
    unreadable = False
    problem: str | None = None
    # Nothing the server sends is binary (notes travel as base64): without this, every packet
    # sent walks its whole payload looking for bytes (python-socketio's `data_is_binary`),
    # 17 % of the main thread in a reconnect storm of 2000 (docs/benchmarks.md). Binary
    # packets that arrive are still decoded and refused as before.
    uses_binary_events = False

    def decode(self, encoded_packet: Any) -> int:
        if not isinstance(encoded_packet, str):
            self.unreadable = True
            return 0
        reader = _Reader(self.max_bytes)
        self.json = reader  # the library reads `self.json.loads(…)` for the data part
        try:
            count: int = super().decode(encoded_packet)
        except (ValueError, TypeError, IndexError):
            self.unreadable = True
            return 0
        finally:
            del self.json
        self.problem = reader.problem
        return count


def packet_class(max_bytes: int) -> type[GuardedPacket]:
    return type("Packet", (GuardedPacket,), {"max_bytes": max_bytes})


def event_problem(data: Any) -> tuple[str, dict[str, Any]] | None:
    """Why an event's data cannot be dispatched: (code, details), or None."""
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        return "packet.invalid", {}
    if data[0] in RESERVED_EVENTS:
        return "event.unknown", {"event": data[0][:64]}
    return None


Translate = Callable[[str | None, str], str]  # (sid, code) -> the message in the sid's language


class GuardedServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's AsyncServer with the packet guard in front of its dispatch."""

    def __init__(self, *args: Any, max_payload_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.packet_class = packet_class(max_payload_bytes)
        self.translate: Translate = lambda sid, code: MESSAGES.get(code, code)

    def refusal(self, sid: str | None, code: str, **details: Any) -> dict[str, Any]:
        error: dict[str, Any] = {"code": code, "message": self.translate(sid, code)}
        if details:
            error["details"] = details
        return {"ok": False, "error": error}

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await self._guarded_message(eio_sid, data)
        except Exception as exc:
            # whatever a client wrote that python-socketio raised on: one line, no traceback
            log.warning("closing %s: unreadable packet (%s: %.200s)", eio_sid, type(exc), exc)
            await self.drop(eio_sid)

    async def _guarded_message(self, eio_sid: str, data: Any) -> None:
        """python-socketio's `_handle_eio_message`, with every branch guarded."""
        if eio_sid in self._binary_packet:
            pkt = self._binary_packet[eio_sid]
            if not isinstance(data, bytes):
                raise ValueError("expected a binary attachment")
            if pkt.add_attachment(data):
                del self._binary_packet[eio_sid]
                if pkt.packet_type == sio_packet.BINARY_EVENT:
                    await self._handle_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
                else:
                    await self._handle_ack(eio_sid, pkt.namespace, pkt.id, pkt.data)
            return
        pkt = self.packet_class(encoded_packet=data) if data else None
        if pkt is None or pkt.unreadable:
            raise ValueError("no socket.io packet")
        kind = pkt.packet_type
        if kind == sio_packet.CONNECT:
            if pkt.problem:
                await self._connect_error(eio_sid, pkt.namespace, pkt.problem)
            else:
                await self._handle_connect(eio_sid, pkt.namespace, pkt.data)
        elif kind == sio_packet.DISCONNECT:
            await self._handle_disconnect(eio_sid, pkt.namespace, self.reason.CLIENT_DISCONNECT)
        elif kind == sio_packet.EVENT:
            if pkt.problem:
                await self._refuse(eio_sid, pkt.namespace, pkt.id, pkt.problem)
            else:
                await self._handle_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
        elif kind == sio_packet.ACK:
            sid = self.manager.sid_from_eio_sid(eio_sid, pkt.namespace or "/")
            if pkt.problem or pkt.id not in self.manager.callbacks.get(sid, {}):
                raise ValueError("an ack nobody asked for")
            await self._handle_ack(eio_sid, pkt.namespace, pkt.id, pkt.data)
        elif kind in (sio_packet.BINARY_EVENT, sio_packet.BINARY_ACK):
            if pkt.problem or not self.manager.sid_from_eio_sid(eio_sid, pkt.namespace or "/"):
                raise ValueError("unexpected binary packet")
            self._binary_packet[eio_sid] = pkt
        else:
            raise ValueError(f"packet type {kind!r} from a client")

    async def _handle_event(self, eio_sid: str, namespace: Any, id: Any, data: Any) -> None:
        problem = event_problem(data)
        if problem is not None:
            code, details = problem
            await self._refuse(eio_sid, namespace, id, code, **details)
            return
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace or "/")
        if not self.manager.is_connected(sid, namespace or "/"):
            await self._refuse(eio_sid, namespace, id, "auth.required")
            return
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _refuse(
        self, eio_sid: str, namespace: Any, id: Any, code: str, **details: Any
    ) -> None:
        """Answer the packet's ack with a refusal; a packet that asks for no answer closes
        the connection instead (no honest client sends it)."""
        if id is None:
            log.info("closing %s: %s without an ack id", eio_sid, code)
            await self.drop(eio_sid)
            return
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace or "/")
        answer = self.packet_class(
            sio_packet.ACK, namespace=namespace, id=id, data=[self.refusal(sid, code, **details)]
        )
        await self._send_packet(eio_sid, answer)

    async def _connect_error(self, eio_sid: str, namespace: Any, code: str) -> None:
        refusal = self.refusal(None, code)["error"]
        error = {"message": refusal["message"], "data": refusal}
        await self._send_packet(
            eio_sid,
            self.packet_class(sio_packet.CONNECT_ERROR, data=error, namespace=namespace or "/"),
        )

    async def drop(self, eio_sid: str) -> None:
        """Close the Engine.IO connection at once, without waiting for the client."""
        socket = self.eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return
        with contextlib.suppress(Exception):
            await socket.close(wait=False)
        if socket.upgraded:
            socket.queue.put_nowait(None)  # ends the websocket writer, which closes the socket


# --- in front of engine.io ----------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CLIENT_TYPES = {"websocket": frozenset("12345"), "polling": frozenset("1345")}


def engine_frame_ok(frame: str, transport: str) -> bool:
    """Whether python-engineio can take this text frame without raising."""
    if not frame:
        return False
    if frame[0] == "b":
        try:
            base64.b64decode(frame[1:], validate=True)
        except (binascii.Error, ValueError):
            return False
        return True
    return frame[0] in CLIENT_TYPES[transport]


def _sid(scope: Scope) -> str | None:
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    sids = query.get("sid")
    return sids[0] if sids else None


class TransportGuard:
    """ASGI middleware in front of the engine.io app at `path`."""

    def __init__(
        self,
        app: ASGIApp,
        sio: GuardedServer,
        *,
        limit: int,
        path: str = "/socket.io/",
        max_packets: int = 16,
    ) -> None:
        self.app, self.sio, self.limit, self.path = app, sio, limit, path
        self.max_packets = max_packets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST" and self._ours(scope):
            await self._post(scope, receive, send)
        elif scope["type"] == "websocket" and self._ours(scope):
            await self.app(scope, self._frames(receive, send), send)
        else:
            await self.app(scope, receive, send)

    def _ours(self, scope: Scope) -> bool:
        path = str(scope.get("path", ""))
        return path == self.path or path + "/" == self.path

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self._refuse(scope, send, 413, "payload.too_large")
                return
            if not message.get("more_body"):
                break
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            await self._refuse(scope, send, 400, "packet.invalid")
            return
        frames = text.split("\x1e") if text else []
        if len(frames) > self.max_packets or not all(
            engine_frame_ok(frame, "polling") for frame in frames
        ):
            await self._refuse(scope, send, 400, "packet.invalid")
            return
        closed = self.sio.eio.sockets.get(_sid(scope))
        if closed is not None and closed.closed:
            # engine.io raises on a POST to a closed session it has not forgotten yet; forgotten,
            # it answers 400 "Invalid session" like for any unknown one
            self.sio.eio.sockets.pop(_sid(scope), None)
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app({**scope, "headers": headers}, replay, send)

    def _frames(self, receive: Receive, send: Send) -> Receive:
        async def guarded() -> Message:
            message = await receive()
            if message["type"] != "websocket.receive":
                return message
            text = message.get("text")
            if text is not None and not engine_frame_ok(text, "websocket"):
                log.info("closing a websocket: a frame engine.io cannot read")
                with contextlib.suppress(Exception):
                    await send({"type": "websocket.close", "code": 1008})
                return {"type": "websocket.disconnect", "code": 1008}
            return message

        return guarded

    async def _refuse(self, scope: Scope, send: Send, status: int, code: str) -> None:
        """Answer at once, and close the session the POST belonged to (if any)."""
        sid = _sid(scope)
        if sid:
            await self.sio.drop(sid)
        body = json.dumps({"code": code, "message": self.sio.translate(None, code)}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
