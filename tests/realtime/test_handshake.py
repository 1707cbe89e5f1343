"""The handshake: who may connect, from where."""

from __future__ import annotations

import httpx
import pytest

from conference.auth.people import create_person, issue_token, revoke_tokens
from conference.auth.roles import Role
from conference.storage.db import Database
from tests.fixtures.live_server import HandshakeRefused, LiveServer


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


async def test_no_credentials_are_refused(live: LiveServer, connect) -> None:
    with pytest.raises(HandshakeRefused) as refused:
        await connect(live.url)
    assert refused.value.code == "auth.required"


async def test_a_foreign_origin_is_refused(live: LiveServer, connect) -> None:
    _, token = await live.person()
    # refused by the transport, before any namespace or token is looked at: no socket.io code
    with pytest.raises(HandshakeRefused) as refused:
        await connect(live.url, token, headers={"Origin": "https://evil.example"})
    assert refused.value.code is None, refused.value.data
    handshake = f"{live.url}/socket.io/?EIO=4&transport=polling"
    async with httpx.AsyncClient() as http:
        foreign = await http.get(handshake, headers={"Origin": "https://evil.example"})
        own = await http.get(handshake, headers={"Origin": live.url})
    assert foreign.status_code == 400, foreign.text
    assert own.status_code == 200, own.text


async def test_the_own_origin_is_accepted(live: LiveServer, connect) -> None:
    _, token = await live.person()
    client = await connect(live.url, token, headers={"Origin": live.url})
    assert client.sio.connected


async def test_a_removed_person_cannot_reconnect(live: LiveServer, connect) -> None:
    _, moderator_token = await live.person(Role.MODERATOR, name="Mod")
    person_id, token = await live.person(name="Troll")
    moderator = await connect(live.url, moderator_token)
    await moderator.ok("person:remove", {"person_id": person_id})
    with pytest.raises(HandshakeRefused) as refused:
        await connect(live.url, token)
    assert refused.value.code == "auth.required"


async def test_revoked_and_foreign_event_links_are_refused_with_their_code(
    live: LiveServer, connect
) -> None:
    person_id, token = await live.person(name="Widerrufen")
    db = Database(live.database_url)
    try:
        async with db.write() as conn:
            await revoke_tokens(conn, person_id)
            stranger = await create_person(conn, event_id="another-event", name="Fremd")
            foreign = await issue_token(conn, stranger.id)
    finally:
        await db.close()
    for refused_token in (token, foreign, "not-a-real-token"):
        with pytest.raises(HandshakeRefused) as refused:
            await connect(live.url, refused_token)
        assert refused.value.code == "auth.required", refused.value.data
        assert (
            refused.value.data["message"]
            == "Bitte öffnen Sie zuerst Ihren persönlichen Zugangslink."
        )
