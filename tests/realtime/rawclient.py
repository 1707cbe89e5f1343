"""Raw Engine.IO clients for hostile-packet tests: they send whatever frame they are given
(`42["chat:send",NaN]`), over a websocket or over long-polling, and read the answers at the
packet level, which no socket.io client library lets a test do."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any, Protocol

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ANSWER_WITHIN = 10.0  # a generous bound on a hang; answers come in milliseconds
CLOSED = "closed"  # what `answer` returns for a clean disconnect
ACK = re.compile(r"^43(?:/[^,]*,)?(?P<id>\d+)(?P<data>\[.*)$", re.S)


class Raw(Protocol):
    async def send(self, *frames: str) -> None: ...

    async def answer(self, ack_id: int | None) -> Any:
        """The ack's first argument for `ack_id`; CLOSED when the server disconnected us
        instead (for `ack_id=None`, only a disconnect is an answer)."""

    async def close(self) -> None: ...


def _ack(frame: str, ack_id: int | None) -> Any:
    """The decoded ack `43<id>[…]` for `ack_id`, CLOSED for a disconnect, else None."""
    if frame in ("1", "41") or frame.startswith("41"):
        return CLOSED
    ack = ACK.match(frame)
    if ack_id is not None and ack and int(ack["id"]) == ack_id:
        return json.loads(ack["data"])[0]
    return None


def _connect_frame(token: str) -> str:
    return "40" + json.dumps({"token": token})


class RawWebsocket:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, url: str, token: str | None) -> RawWebsocket:
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        ws = await connect(ws_url, max_size=None, compression=None)
        raw = cls(ws)
        opening = await asyncio.wait_for(ws.recv(), ANSWER_WITHIN)
        assert str(opening).startswith("0{"), opening
        if token is not None:
            await ws.send(_connect_frame(token))
            connected = await asyncio.wait_for(ws.recv(), ANSWER_WITHIN)
            assert str(connected).startswith("40{"), connected
        return raw

    async def send(self, *frames: str) -> None:
        for frame in frames:
            await self.ws.send(frame)

    async def send_bytes(self, data: bytes) -> None:
        """A text frame of arbitrary bytes (invalid UTF-8 included)."""
        await self.ws.send(data, text=True)

    async def answer(self, ack_id: int | None) -> Any:
        async with asyncio.timeout(ANSWER_WITHIN):
            while True:
                try:
                    frame = await self.ws.recv()
                except ConnectionClosed:
                    return CLOSED
                if frame == "2":
                    await self.ws.send("3")
                    continue
                found = _ack(str(frame), ack_id)
                if found is not None:
                    return found

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()


class RawPolling:
    def __init__(self, http: httpx.AsyncClient, sid: str) -> None:
        self.http, self.sid = http, sid
        self.path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
        self.pending: list[str] = []
        self.refusals: list[str] = []  # codes of POSTs refused by the transport guard

    @classmethod
    async def open(cls, url: str, token: str | None) -> RawPolling:
        http = httpx.AsyncClient(base_url=url, timeout=ANSWER_WITHIN)
        response = await http.get("/socket.io/?EIO=4&transport=polling")
        assert response.status_code == 200, response.text
        assert response.text.startswith("0{"), response.text
        raw = cls(http, json.loads(response.text[1:])["sid"])
        if token is not None:
            await raw.send(_connect_frame(token))
            frames = await raw._get()
            assert frames, "no answer to the connect"
            assert frames[0].startswith("40{"), frames
        return raw

    async def post(self, body: bytes | str) -> httpx.Response:
        return await self.http.post(self.path, content=body)

    async def send(self, *frames: str) -> None:
        response = await self.post("\x1e".join(frames))
        if response.status_code == 200:
            return
        # refused at the transport: a coded answer, and the session is closed
        assert response.status_code in (400, 413), (response.status_code, response.text)
        self.refusals.append(response.json()["code"])
        self.pending.append("1")

    async def _get(self) -> list[str] | None:
        """The next batch of frames; None when the server no longer knows the session."""
        response = await self.http.get(self.path)
        if response.status_code != 200:
            return None
        return response.text.split("\x1e")

    async def answer(self, ack_id: int | None) -> Any:
        async with asyncio.timeout(ANSWER_WITHIN):
            while True:
                while self.pending:
                    found = _ack(self.pending.pop(0), ack_id)
                    if found is not None:
                        return found
                frames = await self._get()
                if frames is None:
                    return CLOSED
                for frame in frames:
                    if frame == "2":
                        await self.send("3")
                self.pending.extend(frames)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.http.post(self.path, content="1")
        await self.http.aclose()


TRANSPORTS: dict[str, Any] = {"websocket": RawWebsocket, "polling": RawPolling}
