"""A client that loses its connection mid-conversation catches up exactly once, in order;
a retried chat message (same client id) is stored and broadcast once."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fixtures.live_server import LiveServer

ROOM = "plenary"


class Follower:
    """What a browser's live.js does with one room's log: apply each seq once, in order."""

    def __init__(self, after: int) -> None:
        self.last = after
        self.held: dict[int, dict[str, Any]] = {}
        self.applied: list[dict[str, Any]] = []
        self.duplicates = 0

    def offer(self, entry: dict[str, Any]) -> None:
        seq = entry["seq"]
        if seq <= self.last or seq in self.held:
            self.duplicates += 1
            return
        self.held[seq] = entry
        while self.last + 1 in self.held:
            self.last += 1
            self.applied.append(self.held.pop(self.last))

    def messages(self) -> list[str]:
        return [e["id"] for e in self.applied if e.get("type", "chat:message") == "chat:message"]


def abort_connection(client: Any) -> None:
    """Cut the TCP connection under the websocket, as a dropped network would."""
    ws = client.sio.eio.ws
    transport = getattr(getattr(ws, "_writer", None), "transport", None)
    assert transport is not None, "could not reach the websocket's transport"
    transport.abort()


async def _disconnected(client: Any) -> None:
    """Until the client noticed its dead connection."""
    await asyncio.wait_for(client.ended.wait(), 5)


async def _send(client: Any, body: str, client_id: str) -> dict[str, Any]:
    data: dict[str, Any] = await client.ok(
        "chat:send", {"room": ROOM, "body": body, "client_id": client_id}
    )
    return data


async def test_a_killed_connection_catches_up_exactly_once_in_order(
    live: LiveServer, connect
) -> None:
    urls = live.urls
    _, anna_token = await live.person(name="Anna")
    _, bert_token = await live.person(name="Bert")
    _, victim_token = await live.person(name="Vera")
    anna = await connect(urls[0], anna_token)
    bert = await connect(urls[-1], bert_token)
    vera = await connect(urls[-1], victim_token)
    await anna.ok("room:join", {"room": ROOM})
    await bert.ok("room:join", {"room": ROOM})
    snapshot = await vera.ok("room:join", {"room": ROOM})
    follower = Follower(snapshot["seq"][ROOM])
    sent: list[dict[str, Any]] = []

    missed = asyncio.Event()

    async def chatter(prefix: str, count: int) -> None:
        for i in range(count):
            who = anna if i % 2 == 0 else bert
            sent.append(await _send(who, f"{prefix} {i}", f"{prefix}-{i}-xyz"))
            if prefix == "during" and i == 2:
                missed.set()

    await chatter("before", 6)
    await vera.wait_for("chat:message", lambda m: m["id"] == sent[-1]["id"])
    for message in vera.received["chat:message"]:
        if message["room"] == ROOM:
            follower.offer(message)
    assert follower.messages() == [m["id"] for m in sent]

    # the connection dies mid-conversation; the others keep talking
    abort_connection(vera)
    await _disconnected(vera)
    talking = asyncio.create_task(chatter("during", 10))
    await missed.wait()  # a few were said while Vera was away

    # Vera comes back with the same link, joins again and asks for what she missed, while
    # messages still arrive as broadcasts (some of them also come back from room:sync)
    vera_again = await connect(urls[0], victim_token)
    await vera_again.ok("room:join", {"room": ROOM})
    await talking
    await chatter("after", 4)
    await vera_again.wait_for("chat:message", lambda m: m["id"] == sent[-1]["id"])
    synced = await vera_again.ok("room:sync", {"room": ROOM, "after": follower.last})
    assert synced["more"] is False
    seqs = [e["seq"] for e in synced["entries"]]
    assert seqs == sorted(seqs)
    assert seqs == list(range(follower.last + 1, follower.last + 1 + len(seqs)))
    for entry in synced["entries"]:
        follower.offer(entry)
    for message in vera_again.received["chat:message"]:
        if message["room"] == ROOM:
            follower.offer(message)

    expected = [m["id"] for m in sent]
    assert follower.messages() == expected  # every message, once, in log order
    assert len(set(follower.messages())) == len(expected) == 20
    assert follower.duplicates > 0  # the overlap of sync and broadcasts was really there
    bodies = [e["body"] for e in follower.applied if e.get("body", "").startswith("during")]
    assert bodies == [f"during {i}" for i in range(10)]


async def test_a_retried_message_is_stored_and_broadcast_once(live: LiveServer, connect) -> None:
    _, sender_token = await live.person(name="Sender")
    _, reader_token = await live.person(name="Reader")
    sender = await connect(live.urls[0], sender_token)
    reader = await connect(live.urls[-1], reader_token)
    await sender.ok("room:join", {"room": ROOM})
    before = (await reader.ok("room:join", {"room": ROOM}))["seq"][ROOM]

    first = await _send(sender, "Nur einmal, bitte", "retry-once-1234")
    again = await _send(sender, "Nur einmal, bitte", "retry-once-1234")
    assert again["id"] == first["id"]
    assert again["seq"] == first["seq"]

    # a retry after a reconnect (a new connection of the same person) is still the same message
    abort_connection(sender)
    sender_again = await connect(live.urls[-1], sender_token)
    await sender_again.ok("room:join", {"room": ROOM})
    third = await _send(sender_again, "Nur einmal, bitte", "retry-once-1234")
    assert third["id"] == first["id"]

    marker = await _send(sender_again, "danach", "retry-once-marker")
    await reader.wait_for("chat:message", lambda m: m["id"] == marker["id"])
    copies = [m for m in reader.received["chat:message"] if m["id"] == first["id"]]
    assert len(copies) == 1
    synced = await reader.ok("room:sync", {"room": ROOM, "after": before})
    logged = [e for e in synced["entries"] if e.get("client_id") == "retry-once-1234"]
    assert len(logged) == 1
