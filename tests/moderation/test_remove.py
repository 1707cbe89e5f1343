"""A removed person is gone everywhere at once: every connection, on every process, in a room
or not, gets `session:ended` and is closed; the link no longer opens a connection."""

from __future__ import annotations

from typing import Any

import pytest
import socketio

from tests.fixtures.live_server import HandshakeRefused, LiveServer
from tests.leaks import barrier, no_moderators_copies
from tests.polls.helpers import moderator, participant


async def test_a_removed_person_is_ended_on_every_process_and_cannot_come_back(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    troll_id, token = await live.person(name="Troll")
    in_room = await connect(live.urls[-1], token)
    await in_room.ok("room:join", {"room": "plenary"})
    idle = await connect(live.urls[0], token)  # another tab, in no room yet
    watcher = await participant(live, connect)
    no_moderators_copies(watcher)
    watcher.forbid("session:ended", why="someone else's removal")

    removed = await mod.ok("person:remove", {"person_id": troll_id})
    assert removed == {"person_id": troll_id, "removed": True}
    for connection in (in_room, idle):
        ended = await connection.wait_for("session:ended")
        assert ended["reason"] == "removed"
        await connection.closed_by_server()
    with pytest.raises(HandshakeRefused) as refused:
        await connect(live.urls[-1], token)
    assert refused.value.code == "auth.required"

    for connection in (in_room, idle):  # nothing can be sent any more
        with pytest.raises(socketio.exceptions.BadNamespaceError):
            await connection.call(
                "chat:send", {"room": "plenary", "body": "!", "client_id": "x" * 8}
            )
    listed = await mod.ok("presence:list", {"room": "plenary"})
    assert troll_id not in [p["id"] for p in listed["people"]]
    await barrier(mod, watcher)
