"""Killing the server with SIGKILL while writers type loses no acknowledged edit."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import pytest

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers
from tests.notes.helpers import Writer

ROOM = "vernetzung"


@pytest.fixture(params=["sqlite", "postgres"])
def victim(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    database = None
    if request.param == "postgres":
        database = request.getfixturevalue("postgres").database("notes_kill")
    server = start_servers(tmp_path_factory.mktemp("notes-kill"), database_url=database)
    yield server
    stop_servers(server)


async def test_every_acknowledged_edit_survives_a_sigkill(victim: LiveServer, connect: Any) -> None:
    writers = []
    for index in range(3):
        _, token = await victim.person(Role.FACILITATOR, name=f"Schreiberin {index}", room=ROOM)
        writer = Writer(await connect(victim.url, token), ROOM)
        await writer.client.ok("room:join", {"room": ROOM})
        await writer.open()
        writers.append(writer)
    acknowledged: list[str] = []
    killed, enough = asyncio.Event(), asyncio.Event()

    def append(token: str) -> Any:
        return lambda text: text.insert(len(str(text).encode()), token)

    async def type_(writer: Writer, index: int) -> None:
        for number in range(1000):  # bounded; the kill ends it long before
            token = f"<{index}-{number}>"
            try:
                ack = await asyncio.wait_for(writer.send(writer.edit(append(token))), 5)
            except Exception:
                return
            assert ack["ok"], ack  # within the notes' rate limit
            acknowledged.append(token)
            if len(acknowledged) >= 60:
                enough.set()
            if killed.is_set():
                return
            await asyncio.sleep(0.12)  # about 8 a second, as a page sends them

    typing = [asyncio.create_task(type_(w, i)) for i, w in enumerate(writers)]
    await asyncio.wait_for(enough.wait(), 60)
    victim.processes[0].send_signal(signal.SIGKILL)
    killed.set()
    await asyncio.gather(*typing)
    victim.processes[0].wait(timeout=10)

    victim.start(0)
    victim.wait_ready()
    _, token = await victim.person(Role.FACILITATOR, name="Danach", room=ROOM)
    after = Writer(await connect(victim.url, token), ROOM)
    await after.client.ok("room:join", {"room": ROOM})
    await after.open()
    text = str(after)
    assert len(acknowledged) >= 60
    missing = [t for t in acknowledged if t not in text]
    doubled = [t for t in acknowledged if text.count(t) > 1]
    assert missing == []
    assert doubled == []
    # a page that wrote before the kill syncs to the same text on its next load
    _, token = await victim.person(Role.FACILITATOR, name="Wieder da", room=ROOM)
    writers[0].client = await connect(victim.url, token)
    await writers[0].client.ok("room:join", {"room": ROOM})
    await writers[0].open()
    await after.open()
    assert str(writers[0]) == str(after)
