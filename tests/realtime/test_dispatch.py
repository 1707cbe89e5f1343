"""Every bad request gets a clear, namespaced refusal in its ack."""

from __future__ import annotations

from conference.auth.roles import Role
from tests.fixtures.asserted import refused
from tests.fixtures.live_server import LiveServer


async def _participant(live: LiveServer, connect):
    _, token = await live.person()
    client = await connect(live.url, token)
    await client.ok("room:join", {"room": "plenary"})
    return client


async def test_an_unknown_event_is_refused(live: LiveServer, connect) -> None:
    client = await _participant(live, connect)
    ack = await client.call("nonsense:do", {})
    assert ack["ok"] is False
    refused(ack, "event.unknown")
    assert ack["error"]["message"]


async def test_a_malformed_payload_is_refused_with_the_fields(live: LiveServer, connect) -> None:
    client = await _participant(live, connect)
    ack = await client.call("chat:send", {"room": "plenary", "body": 42, "extra": True})
    refused(ack, "payload.invalid")
    assert "body" in ack["error"]["details"]["fields"]
    assert "client_id" in ack["error"]["details"]["fields"]
    ack = await client.call("chat:send", "just a string")
    refused(ack, "payload.invalid")


async def test_an_oversized_payload_is_refused(live: LiveServer, connect) -> None:
    client = await _participant(live, connect)
    ack = await client.call(
        "chat:send", {"room": "plenary", "body": "x" * 100_000, "client_id": "abcdefgh"}
    )
    refused(ack, "payload.too_large")
    # the connection survives a refusal
    assert (await client.call("room:join", {"room": "plenary"}))["ok"]


async def test_moderator_actions_are_refused_to_participants(live: LiveServer, connect) -> None:
    client = await _participant(live, connect)
    person_id, _ = await live.person()
    for event, payload in [
        ("agenda:set", {"step": 1}),
        ("announce:post", {"text": "Hallo"}),
        ("announce:clear", {}),
        ("person:mute", {"person_id": person_id}),
        ("person:remove", {"person_id": person_id}),
        ("presence:list", {"room": "plenary"}),
        ("chat:delete", {"room": "plenary", "id": "x"}),
    ]:
        await client.refused(event, payload, "auth.forbidden")


async def test_a_flood_is_rate_limited(live: LiveServer, connect) -> None:
    client = await _participant(live, connect)
    acks = [
        await client.call("reaction:send", {"room": "plenary", "emoji": "👏"}) for _ in range(40)
    ]
    limited = [a for a in acks if not a["ok"]]
    assert limited, "40 events at once must hit the limit"
    for ack in limited:
        refused(ack, "rate.limited")


async def test_acting_in_a_room_not_joined_is_refused(live: LiveServer, connect) -> None:
    _, token = await live.person()
    client = await connect(live.url, token)
    ack = await client.call(
        "chat:send", {"room": "plenary", "body": "hi", "client_id": "abcdefgh1"}
    )
    refused(ack, "room.not_joined")


async def test_an_unknown_room_is_refused(live: LiveServer, connect) -> None:
    _, token = await live.person()
    client = await connect(live.url, token)
    refused(await client.call("room:join", {"room": "nowhere"}), "room.unknown")
    ack = await client.call("room:join", {"room": "vernetzung"})
    refused(ack, "room.closed")
    _, facilitator = await live.person(Role.FACILITATOR, room="vernetzung")
    facilitator_client = await connect(live.url, facilitator)
    assert (await facilitator_client.call("room:join", {"room": "vernetzung"}))["ok"]
