"""Reactions are counted across processes and broadcast as one aggregate per room and second."""

from __future__ import annotations

from collections import Counter
from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import Client, LiveServer

ROOM = "akzeptanz"  # a room no other test reacts in, so every count here is this test's


async def _in_room(live: LiveServer, connect: Any, url: str) -> Client:
    _, token = await live.person(Role.FACILITATOR, room=ROOM)
    client: Client = await connect(url, token)
    await client.ok("room:join", {"room": ROOM})
    return client


async def test_reactions_from_both_processes_arrive_counted_once(
    live: LiveServer, connect: Any
) -> None:
    first = await _in_room(live, connect, live.urls[0])
    second = await _in_room(live, connect, live.urls[-1])
    watcher = await _in_room(live, connect, live.urls[-1])
    await first.refused("reaction:send", {"room": ROOM, "emoji": "💩"}, "payload.invalid")
    mark = watcher.mark()
    for client in (first, second, first):
        assert await client.ok("reaction:send", {"room": ROOM, "emoji": "👏"}) is None
    await second.ok("reaction:send", {"room": ROOM, "emoji": "🤔"})

    def counted() -> Counter[str]:
        # the clicks may fall into two ticks; together the bursts count each once
        total: Counter[str] = Counter()
        for event, burst in watcher.log[mark:]:
            if event == "reaction:burst" and burst["room"] == ROOM:
                total.update(burst["counts"])
        return total

    await watcher.wait_for("reaction:burst", lambda _: counted() == {"👏": 3, "🤔": 1})
    # the counts are kept: each burst carries the room's totals, and whoever manages the room
    # and joins later finds them in the snapshot (the console's figures survive a reload)
    bursts = [b for e, b in watcher.log[mark:] if e == "reaction:burst" and b["room"] == ROOM]
    assert bursts[-1]["totals"] == {"👏": 3, "🤔": 1}
    _, token = await live.person(Role.FACILITATOR, room=ROOM)
    late: Client = await connect(live.urls[0], token)
    snapshot = await late.ok("room:join", {"room": ROOM})
    assert snapshot["reactions"] == {"totals": {"👏": 3, "🤔": 1}}
    # participants get the live bursts only
    _, token = await live.person(name="Paula Plenum")
    participant = await connect(live.urls[-1], token)
    assert (await participant.ok("room:join", {"room": "plenary"}))["reactions"] is None
