"""The fan-out manager against python-socketio's own bookkeeping, with stand-in Engine.IO sockets.

These tests pin the library internals conference/realtime/fanout.py relies on (the manager's
rooms, `eio.sockets`, each socket's queue and flags): an upgrade that changes them fails here.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import socketio
from engineio import packet as eio_packet

from conference.realtime.fanout import FanoutManager, _poll


class StandInSocket:
    """What fan_out touches of an engineio AsyncSocket."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.closed = False
        self.closing = False
        self.upgraded = True
        self.last_ping = time.time()
        self.sent: list[Any] = []

    async def send(self, pkt: Any) -> None:
        self.sent.append(pkt)

    def drain(self) -> list[str]:
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait().encode())
        return out


async def _server(count: int) -> tuple[socketio.AsyncServer, list[str], list[StandInSocket]]:
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=FanoutManager())
    sids, sockets = [], []
    for i in range(count):
        eio_sid = f"eio{i}"
        sid = await sio.manager.connect(eio_sid, "/")
        await sio.manager.enter_room(sid, "/", "plenary")
        socket = StandInSocket()
        sio.eio.sockets[eio_sid] = socket
        sids.append(sid)
        sockets.append(socket)
    return sio, sids, sockets


async def test_a_broadcast_is_queued_once_for_every_member_encoded_once() -> None:
    sio, _, sockets = await _server(3)
    await sio.emit("chat:message", {"seq": 1, "body": "Hallo"}, to="plenary")
    expected = '42["chat:message",{"seq":1,"body":"Hallo"}]'
    for socket in sockets:
        assert socket.drain() == [expected]


async def test_skip_sid_closed_and_closing_sockets_get_nothing() -> None:
    sio, sids, sockets = await _server(4)
    sockets[1].closed = True
    sockets[2].closing = True
    await sio.emit("room:presence", {"count": 4}, to="plenary", skip_sid=sids[3])
    assert [len(s.drain()) for s in sockets] == [1, 0, 0, 0]


async def test_a_socket_past_its_ping_timeout_goes_through_the_library_send() -> None:
    sio, _, sockets = await _server(2)
    sockets[0].last_ping = time.time() - 3600
    await sio.emit("chat:message", {"seq": 2}, to="plenary")
    await asyncio.sleep(0)
    assert sockets[0].drain() == []
    assert [p.encode() for p in sockets[0].sent] == ['42["chat:message",{"seq":2}]']
    assert sockets[1].drain() == ['42["chat:message",{"seq":2}]']


async def test_binary_payloads_fall_back_to_the_library() -> None:
    sio, _, sockets = await _server(1)
    await sio.emit("file", b"\x00\x01", to="plenary")
    await asyncio.sleep(0)
    # the library's path: one task per recipient, through socket.send
    assert sockets[0].drain() == []
    assert len(sockets[0].sent) == 2  # the placeholder packet and the attachment


async def test_poll_returns_everything_queued_and_stops_at_the_end_marker() -> None:
    socket = StandInSocket()
    first = eio_packet.Packet(eio_packet.MESSAGE, "a")
    second = eio_packet.Packet(eio_packet.MESSAGE, "b")
    socket.queue.put_nowait(first)
    socket.queue.put_nowait(second)
    socket.queue.put_nowait(None)
    assert await _poll(socket) == [first, second]
    assert await _poll(socket) == []  # the None was put back for the next call


async def test_poll_waits_for_a_packet_without_a_timeout() -> None:
    socket = StandInSocket()
    waiting = asyncio.create_task(_poll(socket))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    pkt = eio_packet.Packet(eio_packet.MESSAGE, "late")
    socket.queue.put_nowait(pkt)
    assert await asyncio.wait_for(waiting, 1) == [pkt]


async def test_the_redis_manager_publishes_before_it_fans_out_locally() -> None:
    from conference.realtime.fanout import FanoutRedisManager

    order: list[str] = []

    class Recording(FanoutRedisManager):  # type: ignore[misc]
        async def _publish(self, data: Any) -> None:
            order.append("publish" if socket.queue.empty() else "local first")

    manager = Recording("redis://127.0.0.1:1/0")  # never connects: _publish is replaced
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    sid = await sio.manager.connect("eio0", "/")
    await sio.manager.enter_room(sid, "/", "plenary")
    socket = StandInSocket()
    sio.eio.sockets["eio0"] = socket
    await sio.emit("chat:message", {"seq": 3}, to="plenary")
    assert order == ["publish"]
    assert socket.drain() == ['42["chat:message",{"seq":3}]']
    # a broadcast published by another process is fanned out here the same way
    await manager._handle_emit(
        {
            "method": "emit",
            "event": "poll:results",
            "data": [{"n": 1}],
            "namespace": "/",
            "room": "plenary",
            "skip_sid": None,
            "callback": None,
            "host_id": "other",
        }
    )
    assert socket.drain() == ['42["poll:results",{"n":1}]']


async def test_local_clients_still_get_a_broadcast_when_redis_is_away() -> None:
    from conference.realtime.fanout import FanoutRedisManager

    class Unreachable(FanoutRedisManager):  # type: ignore[misc]
        async def _publish(self, data: Any) -> None:
            raise ConnectionError("redis is away")

    manager = Unreachable("redis://127.0.0.1:1/0")
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    sid = await sio.manager.connect("eio0", "/")
    await sio.manager.enter_room(sid, "/", "plenary")
    socket = StandInSocket()
    sio.eio.sockets["eio0"] = socket
    with pytest.raises(ConnectionError):  # the publisher logs it; others catch up with room:sync
        await sio.emit("chat:message", {"seq": 4}, to="plenary")
    assert socket.drain() == ['42["chat:message",{"seq":4}]']
