"""Deleting a chat message: it disappears for everyone, on every process, and from what a
joining or catching-up client is given."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from conference.auth.roles import Role
from conference.storage.db import Database
from conference.storage.tables import chat_messages
from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import moderator, participant

ROOM = "plenary"


async def _say(client: Any, body: str, client_id: str, room: str = ROOM) -> dict[str, Any]:
    message: dict[str, Any] = await client.ok(
        "chat:send", {"room": room, "body": body, "client_id": client_id}
    )
    return message


async def _stored_body(live: LiveServer, message_id: str) -> str:
    db = Database(live.database_url)
    try:
        async with db.read() as conn:
            query = sa.select(chat_messages.c.body).where(chat_messages.c.id == message_id)
            return str((await conn.execute(query)).scalar_one())
    finally:
        await db.close()


async def test_a_message_reads_the_same_live_after_a_reload_and_when_catching_up(
    live: LiveServer, connect: Any
) -> None:
    """One serialiser per record: the time carries its zone everywhere (SQLite stores it
    naive), so a browser shows the same time after a reload."""
    author = await participant(live, connect, name="Zeitzone")
    before = (await author.ok("room:join", {"room": ROOM}))["seq"][ROOM]
    sent = await _say(author, "Wie spät ist es?", "timezone-0001")
    assert sent["created_at"].endswith("+00:00"), sent
    reloaded = (await author.ok("room:join", {"room": ROOM}))["chat"]["messages"]
    assert next(m for m in reloaded if m["id"] == sent["id"]) == sent
    synced = await author.ok("room:sync", {"room": ROOM, "after": before})
    logged = next(e for e in synced["entries"] if e.get("id") == sent["id"])
    assert {k: v for k, v in logged.items() if k not in ("type", "room")} == sent


async def test_a_deleted_message_is_gone_from_screens_snapshots_and_sync(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)  # first process
    author = await participant(live, connect, name="Verfasser")  # last process
    reader = await participant(live, connect, url=live.urls[0])
    before = (await reader.ok("room:join", {"room": ROOM}))["seq"][ROOM]
    message = await _say(author, "Das gehört hier nicht hin", "to-delete-0001")
    await reader.wait_for("chat:message", lambda m: m["id"] == message["id"])

    for client in (author, reader):
        client.mark()
    deleted = await mod.ok("chat:delete", {"room": ROOM, "id": message["id"]})
    assert deleted["id"] == message["id"]
    assert deleted["seq"] > message["seq"]
    for client in (author, reader):  # the author's screen is on the other process
        gone = await client.wait_for("chat:deleted", lambda d: d["id"] == message["id"])
        assert gone["seq"] == deleted["seq"]

    for client in (author, reader, mod):
        snapshot = await client.ok("room:join", {"room": ROOM})
        assert message["id"] not in [m["id"] for m in snapshot["chat"]["messages"]]
    synced = await reader.ok("room:sync", {"room": ROOM, "after": before})
    at_its_number = next(e for e in synced["entries"] if e["seq"] == message["seq"])
    assert at_its_number == {
        "type": "chat:deleted",
        "room": ROOM,
        "seq": message["seq"],
        "id": message["id"],
    }
    assert "Das gehört hier nicht hin" not in str(synced["entries"])
    # nor is it kept in the record: deletion removes the text wherever it is stored
    assert await _stored_body(live, message["id"]) == ""

    # deleting again changes nothing for anyone; an unknown id is not found
    again = await mod.ok("chat:delete", {"room": ROOM, "id": message["id"]})
    assert again["id"] == message["id"]
    await mod.refused("chat:delete", {"room": ROOM, "id": "0" * 32}, "chat.not_found")


async def test_a_facilitator_deletes_in_their_room_only(live: LiveServer, connect: Any) -> None:
    _, token = await live.person(Role.FACILITATOR, room="vernetzung")
    facilitator = await connect(live.urls[-1], token)
    await facilitator.ok("room:join", {"room": "vernetzung"})
    await facilitator.ok("room:join", {"room": ROOM})
    mod = await moderator(live, connect)
    await mod.ok("room:join", {"room": "vernetzung"})
    in_workshop = await _say(mod, "Im Workshop", "workshop-msg-01", room="vernetzung")
    in_plenary = await _say(mod, "Im Plenum", "plenary-msg-001")

    facilitator.mark()
    await facilitator.ok("chat:delete", {"room": "vernetzung", "id": in_workshop["id"]})
    await facilitator.wait_for("chat:deleted", lambda d: d["id"] == in_workshop["id"])
    await facilitator.refused(
        "chat:delete", {"room": ROOM, "id": in_plenary["id"]}, "auth.forbidden"
    )
    # a plenary message named with the workshop's room is not found there
    await facilitator.refused(
        "chat:delete", {"room": "vernetzung", "id": in_plenary["id"]}, "chat.not_found"
    )
    snapshot = await mod.ok("room:join", {"room": ROOM})
    assert in_plenary["id"] in [m["id"] for m in snapshot["chat"]["messages"]]
