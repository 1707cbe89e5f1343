"""chat:send's limits are the server's, not only the textarea's."""

from __future__ import annotations

from typing import Any

from conference.chat.handlers import MAX_LENGTH
from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import participant


async def test_the_server_holds_the_length_and_the_client_id_pattern(
    live: LiveServer, connect: Any
) -> None:
    client = await participant(live, connect)
    before = (await client.ok("room:join", {"room": "plenary"}))["seq"]["plenary"]
    exact = await client.ok(
        "chat:send", {"room": "plenary", "body": "ä" * MAX_LENGTH, "client_id": "limit-ok-01"}
    )
    assert len(exact["body"]) == MAX_LENGTH == 1000

    for payload, field in [
        ({"body": "x" * (MAX_LENGTH + 1), "client_id": "limit-long-1"}, "body"),
        ({"body": "   ", "client_id": "limit-blank1"}, "body"),  # stripped, then empty
        ({"body": "hallo", "client_id": "short"}, "client_id"),
        ({"body": "hallo", "client_id": "<script>alert</script>"}, "client_id"),
        ({"body": "hallo", "client_id": "leer zeichen"}, "client_id"),
        ({"body": "hallo", "client_id": "y" * 65}, "client_id"),
    ]:
        error = await client.refused("chat:send", {"room": "plenary", **payload}, "payload.invalid")
        assert error["details"]["fields"] == [field], (payload, error)

    synced = await client.ok("room:sync", {"room": "plenary", "after": before})
    assert [e["id"] for e in synced["entries"] if e["type"] == "chat:message"] == [exact["id"]]
