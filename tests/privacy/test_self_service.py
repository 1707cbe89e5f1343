"""A person's own data: the export (Art. 15) and the withdrawal (Art. 17), through HTTP and
seen by the others' sockets, on one memory process and on two processes sharing Redis."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import moderator, open_poll, ref


@contextlib.asynccontextmanager
async def signed_in(url: str, token: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, timeout=20) as client:
        assert (await client.get(f"/join/{token}")).status_code == 303
        yield client


async def send(client: Any, body: str) -> dict[str, Any]:
    data = {"room": "plenary", "body": body, "client_id": uuid.uuid4().hex}
    message: dict[str, Any] = await client.ok("chat:send", data)
    return message


async def test_the_export_holds_what_the_person_did_and_nothing_of_others(
    live: LiveServer, connect
) -> None:
    tag = uuid.uuid4().hex[:8]
    _, token = await live.person(name=f"Export Erika {tag}", organisation="Exportwerk")
    _, other_token = await live.person(name=f"Andere {tag}")
    mod = await moderator(live, connect)
    erika = await connect(live.urls[-1], token)
    other = await connect(live.url, other_token)
    for client in (erika, other):
        await client.ok("room:join", {"room": "plenary"})
    await send(erika, f"Meine Nachricht {tag}")
    await send(other, f"Fremde Nachricht {tag}")
    asked = await erika.ok("question:ask", {"room": "plenary", "body": f"Meine Frage {tag}?"})
    await mod.ok("question:approve", {"room": "plenary", "id": asked["question"]["id"]})
    await other.ok("question:upvote", {"room": "plenary", "id": asked["question"]["id"]})
    poll = await open_poll(
        mod, kind="single", question=f"Wahl {tag}", options=["Ja", "Nein"], anonymous=True
    )
    await erika.ok("poll:vote", {**ref(poll), "options": [poll["options"][1]["id"]]})

    async with signed_in(live.urls[-1], token) as http:
        response = await http.get("/my-data/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    data = response.json()["data"]
    assert data["registration"]["name"] == f"Export Erika {tag}"
    assert data["registration"]["organisation"] == "Exportwerk"
    assert [m["text"] for m in data["chat_messages"]] == [f"Meine Nachricht {tag}"]
    assert [q["text"] for q in data["questions"]["asked"]] == [f"Meine Frage {tag}?"]
    assert data["questions"]["upvoted"] == []
    assert [(a["poll"], a["answer"]) for a in data["poll_answers"]] == [(f"Wahl {tag}", "Nein")]
    assert "Andere" not in response.text
    assert "Fremde" not in response.text
    assert {k["section"] for k in response.json()["kept"]} >= set(data)
    async with httpx.AsyncClient(base_url=live.url) as anonymous:
        assert (await anonymous.get("/my-data/export.json")).status_code == 401


async def test_withdrawal_ends_the_link_and_leaves_shared_results_without_a_name(
    live: LiveServer, connect
) -> None:
    tag = uuid.uuid4().hex[:8]
    name = f"Widerruf Wilma {tag}"
    wilma_id, token = await live.person(name=name, organisation=f"Widerrufswerk {tag}")
    _, other_token = await live.person(name=f"Bleibt {tag}")
    mod = await moderator(live, connect)
    wilma = await connect(live.urls[-1], token)
    other = await connect(live.url, other_token)
    for client in (wilma, other):
        await client.ok("room:join", {"room": "plenary"})
    message = await send(wilma, f"Geteilter Gedanke {tag}")
    shown = await wilma.ok("question:ask", {"room": "plenary", "body": f"Gezeigte Frage {tag}?"})
    held = await wilma.ok("question:ask", {"room": "plenary", "body": f"Wartende Frage {tag}?"})
    theirs = await other.ok("question:ask", {"room": "plenary", "body": f"Andere Frage {tag}?"})
    await mod.ok("question:approve", {"room": "plenary", "id": shown["question"]["id"]})
    await mod.ok("question:approve", {"room": "plenary", "id": theirs["question"]["id"]})
    # nobody upvotes their own question: Wilma upvotes the other one's
    await wilma.ok("question:upvote", {"room": "plenary", "id": theirs["question"]["id"]})
    poll = await open_poll(mod, kind="single", question=f"Wahl {tag}", options=["A", "B"])
    await wilma.ok("poll:vote", {**ref(poll), "options": [poll["options"][0]["id"]]})
    before = await mod.ok("poll:results", ref(poll))

    async with signed_in(live.urls[-1], token) as http:
        refused = await http.post("/my-data/withdraw", data={})
        assert refused.status_code == 400  # not confirmed: nothing happens
        assert (await http.get("/my-data")).status_code == 200
        cross_site = await http.post(
            "/my-data/withdraw", data={"confirm": "yes"}, headers={"sec-fetch-site": "cross-site"}
        )
        assert cross_site.status_code == 403
        done = await http.post("/my-data/withdraw", data={"confirm": "yes"})
        assert done.status_code == 200
        assert "conference_session" not in http.cookies
    # the link stops working at once, on every process
    ended = await wilma.wait_for("session:ended")
    assert ended == {"reason": "withdrawn", "person_id": wilma_id}
    for url in live.urls:
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.get(f"/join/{token}")).status_code == 404
    refused_socket = await connect_refused(live.urls[0], token)
    assert refused_socket

    # the others are told; the message stays, from a deleted person
    notice = await other.wait_for("chat:anonymised")
    assert wilma_id in notice["person_ids"]
    snapshot = await other.ok("room:join", {"room": "plenary"})
    mine = next(m for m in snapshot["chat"]["messages"] if m["id"] == message["id"])
    assert mine["body"] == f"Geteilter Gedanke {tag}"
    assert mine["person"] == {
        "id": wilma_id,
        "name": "",
        "organisation": "",
        "role": "participant",
        "deleted": True,
    }
    replay = await other.ok("room:sync", {"room": "plenary", "after": 0})
    assert name not in str(replay)
    assert f"Widerrufswerk {tag}" not in str(replay)
    visible = {q["id"]: q for q in snapshot["qa"]["questions"]}
    assert visible[shown["question"]["id"]]["author"] == {
        "name": "",
        "organisation": "",
        "deleted": True,
    }
    assert visible[theirs["question"]["id"]]["votes"] == 1  # the upvote keeps counting
    managed = await mod.ok("room:join", {"room": "plenary"})
    assert held["question"]["id"] not in {q["id"] for q in managed["qa"]["questions"]}
    after = await mod.ok("poll:results", ref(poll))
    assert after["voters"] == before["voters"] == 1  # the vote keeps counting
    assert after["options"] == before["options"]
    listed = await mod.ok("presence:list", {"room": "plenary"})
    assert wilma_id not in {p["id"] for p in listed["people"]}


async def connect_refused(url: str, token: str) -> bool:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        return True
    await client.disconnect()
    return False


async def test_a_withdrawn_person_is_no_one_a_moderator_can_act_on(
    live: LiveServer, connect
) -> None:
    tag = uuid.uuid4().hex[:8]
    person_id, token = await live.person(name=f"Weg {tag}")
    _, mod_token = await live.person(Role.MODERATOR, name=f"Mod {tag}")
    async with signed_in(live.url, token) as http:
        assert (await http.post("/my-data/withdraw", data={"confirm": "yes"})).status_code == 200
    mod = await connect(live.url, mod_token)
    await mod.ok("room:join", {"room": "plenary"})
    for event in ("person:mute", "person:remove"):
        refused = await mod.call(event, {"person_id": person_id})
        assert refused["ok"] is False
        assert refused["error"]["code"] == "person.not_found"
