"""Several hundred people vote at once, each twice, some too late, some with bad options:
the tally equals the ground truth, every refusal is counted, results are coalesced."""

from __future__ import annotations

import asyncio
import collections
import time
from typing import Any

from conference.auth.people import create_person, issue_token
from conference.auth.roles import Role
from conference.storage.db import Database
from tests.fixtures.live_server import Client, LiveServer
from tests.polls.helpers import moderator, open_poll, ref

VOTERS = 300
LATE = 40  # vote only after the poll closed
BAD_FIRST = 50  # try an option that does not exist before voting
BATCH = 50
CALL_TIMEOUT = 60.0  # the machine may be busy: a slow ack is not what this test is about
OPTIONS = ["Ja", "Nein", "Vielleicht", "Egal"]


async def _call(client: Client, event: str, data: Any) -> dict[str, Any]:
    result: dict[str, Any] = await client.sio.call(event, data, timeout=CALL_TIMEOUT)
    return result


async def _tokens(live: LiveServer, count: int) -> list[str]:
    """Many participants in one transaction (faster than one database per person)."""
    db = Database(live.database_url)
    try:
        async with db.write() as conn:
            tokens = []
            for index in range(count):
                person = await create_person(
                    conn,
                    event_id=live.event_id,
                    name=f"Sturm {index}",
                    role=Role.PARTICIPANT,
                    source="test",
                )
                tokens.append(await issue_token(conn, person.id))
    finally:
        await db.close()
    return tokens


async def _crowd(live: LiveServer, connect: Any, count: int) -> list[Client]:
    tokens = await _tokens(live, count)
    clients: list[Client] = []
    for start in range(0, count, BATCH):
        batch = await asyncio.gather(
            *(
                connect(live.urls[i % len(live.urls)], token)
                for i, token in enumerate(tokens[start : start + BATCH], start)
            )
        )
        joined = await asyncio.gather(*(_call(c, "room:join", {"room": "plenary"}) for c in batch))
        assert all(ack["ok"] for ack in joined), [a for a in joined if not a["ok"]][:3]
        clients.extend(batch)
    return clients


async def test_a_vote_storm_is_counted_exactly(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    clients = await _crowd(live, connect, VOTERS)
    poll = await open_poll(mod, kind="single", question="Sturm?", options=OPTIONS)
    target = ref(poll)
    refusals: collections.Counter[str] = collections.Counter()
    truth: collections.Counter[str] = collections.Counter()
    on_time, late = clients[: VOTERS - LATE], clients[VOTERS - LATE :]

    async def vote_twice(index: int, client: Client) -> None:
        if index < BAD_FIRST:
            ack = await _call(client, "poll:vote", {**target, "options": ["o9"]})
            refusals[ack["error"]["code"]] += 1
        first, second = f"o{index % 4 + 1}", f"o{(index + 1) % 4 + 1}"
        acks = await asyncio.gather(
            _call(client, "poll:vote", {**target, "options": [first]}),
            _call(client, "poll:vote", {**target, "options": [second]}),
        )
        accepted = [a for a in acks if a["ok"]]
        assert len(accepted) == 1, acks
        truth[accepted[0]["data"]["my_vote"]["options"][0]] += 1
        for ack in acks:
            if not ack["ok"]:
                refusals[ack["error"]["code"]] += 1

    started = time.monotonic()
    await asyncio.gather(*(vote_twice(i, c) for i, c in enumerate(on_time)))
    voting_seconds = time.monotonic() - started
    await mod.ok("poll:close", target)

    async def too_late(client: Client) -> None:
        for option in ("o1", "o2"):
            ack = await _call(client, "poll:vote", {**target, "options": [option]})
            refusals[ack["error"]["code"]] += 1

    await asyncio.gather(*(too_late(c) for c in late))

    assert refusals == {
        "poll.bad_option": BAD_FIRST,
        "poll.already_voted": VOTERS - LATE,
        "poll.closed": 2 * LATE,
    }
    results = await mod.ok("poll:results", target)
    assert results["voters"] == VOTERS - LATE
    assert {o["id"]: o["count"] for o in results["options"]} == {
        f"o{i}": truth[f"o{i}"] for i in range(1, 5)
    }
    # the final broadcast carries the same exact tally, to every process's clients
    for client in (clients[0], clients[1], clients[-1]):
        final = await client.wait_for(
            "poll:results", lambda d: d["poll_id"] == poll["id"] and d["final"], within=10
        )
        assert {o["id"]: o["count"] for o in final["options"]} == {
            o["id"]: o["count"] for o in results["options"]
        }
    # coalesced: at most one update per 250 ms window (the lease is shared by the processes),
    # not one per vote
    updates = [
        d
        for d in clients[0].received["poll:results"]
        if d["poll_id"] == poll["id"] and not d["final"]
    ]
    assert len(updates) <= 4 * (voting_seconds + 2), (len(updates), voting_seconds)
    assert len(updates) < VOTERS - LATE, (len(updates), voting_seconds)
    await asyncio.gather(*(c.close() for c in clients))
