"""A notes writer as a browser is one: a pycrdt document synced over the socket."""

from __future__ import annotations

import base64
from typing import Any

import pycrdt

from tests.fixtures.live_server import Client


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Writer:
    """A socket.io client with a local copy of a room's notes."""

    def __init__(self, client: Client, room: str) -> None:
        self.client, self.room = client, room
        self.doc: pycrdt.Doc[Any] = pycrdt.Doc()
        self.text = self.doc.get("notes", type=pycrdt.Text)
        self.applied = 0  # how many of the client's received notes:update were applied

    async def open(self) -> dict[str, Any]:
        """Sync: take what the server has, send what it lacks (what was written offline)."""
        data: dict[str, Any] = await self.client.ok(
            "notes:open",
            {"room": self.room, "state_vector": b64(self.doc.get_state()), "client": 1},
        )
        self.doc.apply_update(base64.b64decode(data["update"]))
        mine = self.doc.get_update(base64.b64decode(data["state_vector"]))
        if len(mine) > 2:
            await self.send(mine)
        self.applied = len(self.client.received["notes:update"])
        return data

    def edit(self, change: Any) -> bytes:
        """Make a local change (change(text)); returns its update."""
        before = self.doc.get_state()
        with self.doc.transaction():
            change(self.text)
        return self.doc.get_update(before)

    async def send(self, update: bytes) -> dict[str, Any]:
        return await self.client.call("notes:update", {"room": self.room, "update": b64(update)})

    def catch_up(self) -> None:
        """Apply the broadcasts received since the last call."""
        received = self.client.received["notes:update"]
        for payload in received[self.applied :]:
            if payload["room"] == self.room:
                self.doc.apply_update(base64.b64decode(payload["update"]))
        self.applied = len(received)

    def __str__(self) -> str:
        return str(self.text)
