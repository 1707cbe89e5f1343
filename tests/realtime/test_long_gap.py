"""A page away for longer than one `room:sync` page holds (700 messages, pages of 500) catches
up completely after reconnecting: every message once, in order, without a hole."""

from __future__ import annotations

import asyncio
from typing import Any

from conference.rooms.handlers import SYNC_LIMIT
from tests.fixtures.live_server import LiveServer
from tests.realtime.test_reconnect import Follower, abort_connection

ROOM = "plenary"
MISSED = 700


async def catch_up(client: Any, follower: Follower) -> int:
    """What live.js does after a reconnect: `room:sync` from the last seq it has, page after
    page, until `more` is false; returns the number of pages."""
    pages, after = 0, follower.last
    while True:
        data = await client.ok("room:sync", {"room": ROOM, "after": after})
        pages += 1
        assert len(data["entries"]) <= SYNC_LIMIT
        for entry in data["entries"]:
            follower.offer(entry)
            after = max(after, entry["seq"])
        if not data["more"]:
            return pages


async def test_a_page_away_for_700_messages_gets_every_one_once(
    unlimited_server: LiveServer, connect
) -> None:
    assert MISSED > SYNC_LIMIT
    url = unlimited_server.url
    _, anna_token = await unlimited_server.person(name="Anna Vielschreiberin")
    _, vera_token = await unlimited_server.person(name="Vera Weg")
    anna = await connect(url, anna_token)
    vera = await connect(url, vera_token)
    await anna.ok("room:join", {"room": ROOM})
    snapshot = await vera.ok("room:join", {"room": ROOM})
    follower = Follower(snapshot["seq"][ROOM])

    before = await anna.ok("chat:send", {"room": ROOM, "body": "vorher", "client_id": "gap-before"})
    follower.offer(await vera.wait_for("chat:message", lambda m: m["id"] == before["id"]))

    # Vera's connection dies (a closed laptop lid); 700 messages are said meanwhile
    abort_connection(vera)
    await asyncio.wait_for(vera.ended.wait(), 5)
    sent: list[dict[str, Any]] = []
    for batch in range(0, MISSED, 50):
        sent += await asyncio.gather(
            *(
                anna.ok(
                    "chat:send",
                    {"room": ROOM, "body": f"weg {i}", "client_id": f"gap-{i:06d}"},
                )
                for i in range(batch, min(batch + 50, MISSED))
            )
        )

    # back: join again (the snapshot holds only the last 100), then page through the log
    vera_again = await connect(url, vera_token)
    again = await vera_again.ok("room:join", {"room": ROOM})
    assert len(again["chat"]["messages"]) < MISSED
    pages = await catch_up(vera_again, follower)
    assert pages >= 2  # more than one page was missed, and all of them were fetched

    expected = [before["id"]] + [m["id"] for m in sorted(sent, key=lambda m: m["seq"])]
    assert follower.messages() == expected  # every message, once, in log order
    assert follower.duplicates == 0
    assert follower.last == again["seq"][ROOM]  # up to the snapshot's number: no hole
