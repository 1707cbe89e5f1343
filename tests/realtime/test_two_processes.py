"""Two server processes on one Redis act as one."""

from __future__ import annotations

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


async def test_presence_counts_people_on_both_processes(redis_servers: LiveServer, connect) -> None:
    tokens = [(await redis_servers.person(name=f"P{i}"))[1] for i in range(2)]
    a = await connect(redis_servers.urls[0], tokens[0])
    b = await connect(redis_servers.urls[1], tokens[1])
    snapshot_a = await a.ok("room:join", {"room": "plenary"})
    await b.ok("room:join", {"room": "plenary"})
    before = snapshot_a["presence"]["count"]
    update = await a.wait_for(
        "room:presence", lambda p: p["room"] == "plenary" and p["count"] >= before + 1
    )
    assert update["count"] >= 2
