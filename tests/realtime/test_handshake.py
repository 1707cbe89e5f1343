"""The handshake: who may connect, from where."""

from __future__ import annotations

import pytest
import socketio

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer


async def test_a_valid_join_token_connects_and_joins_the_plenary(live: LiveServer, connect) -> None:
    _, token = await live.person(name="Ada Lovelace", organisation="Analytical Engines")
    client = await connect(live.url, token)
    snapshot = await client.ok("room:join", {"room": "plenary"})
    assert snapshot["room"] == "plenary"
    assert snapshot["me"]["name"] == "Ada Lovelace"
    assert snapshot["me"]["role"] == "participant"
    assert set(snapshot["seq"]) == {"plenary", "_event"}
    assert "messages" in snapshot["chat"]
    assert snapshot["event"]["phase"] == "plenary"


async def test_a_bad_token_is_refused(live: LiveServer, connect) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(live.url, "not-a-real-token")


async def test_no_credentials_are_refused(live: LiveServer, connect) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(live.url)


async def test_a_foreign_origin_is_refused(live: LiveServer, connect) -> None:
    _, token = await live.person()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(live.url, token, headers={"Origin": "https://evil.example"})


async def test_the_own_origin_is_accepted(live: LiveServer, connect) -> None:
    _, token = await live.person()
    client = await connect(live.url, token, headers={"Origin": live.url})
    assert client.sio.connected


async def test_a_removed_person_cannot_reconnect(live: LiveServer, connect) -> None:
    _, moderator_token = await live.person(Role.MODERATOR, name="Mod")
    person_id, token = await live.person(name="Troll")
    moderator = await connect(live.url, moderator_token)
    await moderator.ok("person:remove", {"person_id": person_id})
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(live.url, token)
