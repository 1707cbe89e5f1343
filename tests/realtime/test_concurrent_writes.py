"""Many writers to one room at once, spread over the processes: every write is acknowledged,
and the room's log numbers are unique and gap-free (on PostgreSQL nothing serialises writers
but the room's counter row)."""

from __future__ import annotations

import asyncio
from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import Client, LiveServer

PEOPLE = 40
MESSAGES = 10  # each, all at once: 400 writes, within the rate limit's burst


async def _people(
    live: LiveServer, connect: Any, count: int, role: Role = Role.PARTICIPANT
) -> list[Client]:
    """`count` people joined to the plenary, alternating between the processes."""
    tokens = [(await live.person(role, name=f"Schreiber {i}"))[1] for i in range(count)]
    clients: list[Client] = await asyncio.gather(
        *(connect(live.urls[i % len(live.urls)], token) for i, token in enumerate(tokens))
    )
    await asyncio.gather(*(c.ok("room:join", {"room": "plenary"}) for c in clients))
    return clients


async def _last_seq(client: Client) -> int:
    snapshot = await client.ok("room:join", {"room": "plenary"})
    return int(snapshot["seq"]["plenary"])


async def _logged_after(client: Client, after: int) -> list[dict[str, Any]]:
    """The plenary's log after `after`, read back through room:sync."""
    entries: list[dict[str, Any]] = []
    while True:
        synced = await client.ok("room:sync", {"room": "plenary", "after": after})
        entries += synced["entries"]
        if not synced["more"]:
            return entries
        after = entries[-1]["seq"]


async def test_hundreds_of_messages_at_once_are_all_numbered_once(
    live: LiveServer, connect: Any
) -> None:
    writers = await _people(live, connect, PEOPLE)
    before = await _last_seq(writers[0])

    async def send(client: Client, n: int) -> dict[str, Any]:
        body = f"Nachricht {n} von {id(client)}"
        payload = {"room": "plenary", "body": body, "client_id": f"storm-{n:04d}"}
        return await client.call("chat:send", payload)

    acks = await asyncio.gather(
        *(send(client, n) for client in writers for n in range(1, MESSAGES + 1))
    )
    failed = [ack for ack in acks if not ack["ok"]]
    assert not failed, f"{len(failed)} of {len(acks)} refused, e.g. {failed[:3]}"
    numbers = sorted(ack["data"]["seq"] for ack in acks)
    assert numbers == list(range(before + 1, before + PEOPLE * MESSAGES + 1))
    logged = await _logged_after(writers[-1], before)
    assert [entry["seq"] for entry in logged] == numbers
    assert {entry["id"] for entry in logged} == {ack["data"]["id"] for ack in acks}
    # every process's clients got every message, in the log's order
    last = writers[-1]
    await last.wait_for("chat:message", lambda m: m["seq"] == numbers[-1], since=0)
    for watcher in (writers[0], last):
        await watcher.wait_for("chat:message", lambda m: m["seq"] == numbers[-1], since=0)
        seen = [m["seq"] for m in watcher.received["chat:message"] if m["seq"] > before]
        assert sorted(seen) == numbers


async def test_questions_approved_at_once_are_all_approved_and_numbered_once(
    live: LiveServer, connect: Any
) -> None:
    askers = await _people(live, connect, PEOPLE)
    moderators = await _people(live, connect, 4, Role.MODERATOR)
    asked = await asyncio.gather(
        *(
            c.ok("question:ask", {"room": "plenary", "body": f"Frage {i}?"})
            for i, c in enumerate(askers)
        )
    )
    before = await _last_seq(moderators[0])
    refs = [{"room": "plenary", "id": a["question"]["id"]} for a in asked]
    acks = await asyncio.gather(
        *(
            moderators[i % len(moderators)].call("question:approve", ref)
            for i, ref in enumerate(refs)
        )
    )
    failed = [ack for ack in acks if not ack["ok"]]
    assert not failed, f"{len(failed)} of {len(acks)} refused, e.g. {failed[:3]}"
    assert all(ack["data"]["question"]["status"] == "approved" for ack in acks)
    logged = await _logged_after(moderators[-1], before)
    assert [e["seq"] for e in logged] == list(range(before + 1, before + len(refs) + 1))
    assert sorted(e["question"]["id"] for e in logged) == sorted(r["id"] for r in refs)
    snapshot = await askers[0].ok("room:join", {"room": "plenary"})
    shown = {q["id"] for q in snapshot["qa"]["questions"]}
    assert shown >= {r["id"] for r in refs}


async def test_a_message_sent_on_two_processes_at_once_is_stored_once(
    live: LiveServer, connect: Any
) -> None:
    """A retry that reaches the other process while the first send still runs (a reconnect)."""
    _, token = await live.person(name="Doppelt Sendend")
    clients: list[Client] = [await connect(url, token) for url in (live.urls[0], live.urls[-1])]
    for client in clients:
        await client.ok("room:join", {"room": "plenary"})
    for n in range(10):
        payload = {"room": "plenary", "body": f"Noch einmal {n}", "client_id": f"retry-{n:04d}"}
        acks = await asyncio.gather(*(c.call("chat:send", payload) for c in clients))
        assert all(ack["ok"] for ack in acks), acks
        assert acks[0]["data"]["id"] == acks[1]["data"]["id"]
        assert acks[0]["data"]["seq"] == acks[1]["data"]["seq"]


async def test_questions_pinned_at_once_leave_one_pinned(live: LiveServer, connect: Any) -> None:
    askers = await _people(live, connect, 12)
    moderators = await _people(live, connect, 4, Role.MODERATOR)
    asked = await asyncio.gather(
        *(
            c.ok("question:ask", {"room": "plenary", "body": f"Wer zuerst {i}?"})
            for i, c in enumerate(askers)
        )
    )
    refs = [{"room": "plenary", "id": a["question"]["id"]} for a in asked]
    for i, ref in enumerate(refs):
        await moderators[i % len(moderators)].ok("question:approve", ref)
    acks = await asyncio.gather(
        *(
            moderators[i % len(moderators)].call("question:pin", {**ref, "value": True})
            for i, ref in enumerate(refs)
        )
    )
    assert all(ack["ok"] for ack in acks), [a for a in acks if not a["ok"]][:3]
    snapshot = await askers[0].ok("room:join", {"room": "plenary"})
    pinned = [q["id"] for q in snapshot["qa"]["questions"] if q["pinned"]]
    assert len(pinned) == 1, pinned
