"""Two server processes on one Redis act as one."""

from __future__ import annotations

import asyncio

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer


async def test_a_broadcast_on_one_process_reaches_a_client_on_the_other(
    redis_servers: LiveServer, connect
) -> None:
    first_url, second_url = redis_servers.urls
    _, sender_token = await redis_servers.person(name="Sender")
    _, receiver_token = await redis_servers.person(name="Receiver")
    sender = await connect(first_url, sender_token)
    receiver = await connect(second_url, receiver_token)
    await sender.ok("room:join", {"room": "plenary"})
    await receiver.ok("room:join", {"room": "plenary"})
    sent = await sender.ok(
        "chat:send", {"room": "plenary", "body": "Grüße von Prozess 1", "client_id": "cross-proc-1"}
    )
    message = await receiver.wait_for("chat:message", lambda m: m["id"] == sent["id"])
    assert message["body"] == "Grüße von Prozess 1"
    assert message["seq"] == sent["seq"]
    assert message["person"]["name"] == "Sender"


async def test_presence_lists_people_on_both_processes(redis_servers: LiveServer, connect) -> None:
    ids_tokens = [await redis_servers.person(name=f"P{i}") for i in range(2)]
    _, moderator_token = await redis_servers.person(Role.MODERATOR, name="Mod")
    first = await connect(redis_servers.urls[0], ids_tokens[0][1])
    second = await connect(redis_servers.urls[1], ids_tokens[1][1])
    await first.ok("room:join", {"room": "plenary"})
    await second.ok("room:join", {"room": "plenary"})
    moderator = await connect(redis_servers.urls[0], moderator_token)
    listed = await moderator.ok("presence:list", {"room": "plenary"})
    present = {person["id"] for person in listed["people"]}
    assert {ids_tokens[0][0], ids_tokens[1][0]} <= present
    # the count broadcast (once a second) reaches the other process's client too
    await second.wait_for("room:presence", lambda p: p["count"] >= 2)

    await second.close()
    for _ in range(50):  # the other process handles the disconnect a moment later
        listed = await moderator.ok("presence:list", {"room": "plenary"})
        if ids_tokens[1][0] not in {person["id"] for person in listed["people"]}:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the disconnected person stayed present")
