"""An unexpected failure is answered, logged once, and commits nothing; the connection lives on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from conference.storage.db import Database
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers
from tests.polls.helpers import participant


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: this test takes a table away from under it."""
    server = start_servers(tmp_path_factory.mktemp("failing-server"))
    yield server
    stop_servers(server)


async def _rename(server: LiveServer, old: str, new: str) -> None:
    db = Database(server.database_url)
    try:
        async with db.write() as conn:
            await conn.execute(sa.text(f"ALTER TABLE {old} RENAME TO {new}"))
    finally:
        await db.close()


async def test_a_failing_database_write_is_answered_with_server_error(
    own_server: LiveServer, connect: Any
) -> None:
    client = await participant(own_server, connect)
    before = (await client.ok("room:join", {"room": "plenary"}))["seq"]["plenary"]
    await _rename(own_server, "chat_messages", "chat_messages_away")
    try:
        await client.refused(
            "chat:send",
            {"room": "plenary", "body": "Ins Leere", "client_id": "fails-0001"},
            "server.error",
        )
        # the message's log entry was written in the same transaction: rolled back with it
        synced = await client.ok("room:sync", {"room": "plenary", "after": before})
        assert synced["entries"] == []
    finally:
        await _rename(own_server, "chat_messages_away", "chat_messages")
    log = own_server.log_text()
    assert log.count("handler for chat:send failed") == 1
    sent = await client.ok(
        "chat:send", {"room": "plenary", "body": "Wieder da", "client_id": "fails-0002"}
    )
    assert sent["seq"] == before + 1
