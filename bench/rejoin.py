"""The reconnect after a crash mid-event: N people in the plenary, which has a history by then
(300 chat messages, a poll everyone voted in, questions with upvotes); the server process is
killed with SIGKILL (a crash, an OOM kill) and started again, and everyone reconnects at once,
as the pages do: a new connection, `room:join` (a snapshot read afresh by a cold process, with
each person's own vote and upvotes), then `room:sync` from the last number they had.

Baseline: the join storm of the same N into the same room on the same server, just before
(the history is there; nobody has a vote or an upvote of their own yet)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.client import Client, open_client
from bench.harness import Server, create_people
from bench.scenarios import CONNECT_TIMEOUT, ROOM, Crowd, Meter, call, ms_stats

HISTORY = 300  # chat messages before the crash
QUESTIONS = 10  # approved questions; everyone upvotes one
BATCH = 200  # votes and upvotes sent at once


async def _in_batches(clients: list[Client], send: Any) -> None:
    for start in range(0, len(clients), BATCH):
        await asyncio.gather(*(send(c) for c in clients[start : start + BATCH]))


async def _history(moderator: Client, crowd: Crowd) -> int:
    """Chat, a poll everyone voted in, approved questions with upvotes; returns the last number
    of the plenary's log."""
    for i in range(HISTORY):
        await call(
            moderator,
            "chat:send",
            {
                "room": ROOM,
                "body": f"Nachricht {i} vor dem Absturz",
                "client_id": f"history{i:06d}",
            },
        )
    created = await call(
        moderator,
        "poll:create",
        {"room": ROOM, "kind": "single", "question": "Neustart?", "options": ["Ja", "Nein"]},
    )
    poll = created["poll"]
    await call(moderator, "poll:open", {"room": ROOM, "id": poll["id"]})
    options = [option["id"] for option in poll["options"]]
    await _in_batches(
        crowd.clients,
        lambda c: call(
            c, "poll:vote", {"room": ROOM, "id": poll["id"], "options": [options[c.index % 2]]}
        ),
    )
    asked = []
    for client in crowd.clients[:QUESTIONS]:
        question = await call(
            client, "question:ask", {"room": ROOM, "body": f"Frage von Person {client.index}?"}
        )
        asked.append(question["question"]["id"])
        await call(moderator, "question:approve", {"room": ROOM, "id": asked[-1]})
    await _in_batches(
        crowd.clients[QUESTIONS:],
        lambda c: call(c, "question:upvote", {"room": ROOM, "id": asked[c.index % len(asked)]}),
    )
    last = await call(
        moderator,
        "chat:send",
        {"room": ROOM, "body": "Gleich geht es weiter", "client_id": "history-end"},
    )
    return int(last["seq"])


async def rejoin(server: Server, n: int) -> dict[str, Any]:
    """One cell on a fresh server with rate limits lifted (the history is written in a few
    seconds)."""
    await create_people(server, n)
    crowd = Crowd(server)
    tokens = await create_people(server, n + 1, role="moderator")
    moderator = await open_client(server.urls[0], -1, tokens[-1], None, CONNECT_TIMEOUT)
    await call(moderator, "room:join", {"room": ROOM})
    for i in range(HISTORY // 3):  # some history before the storm too
        await call(
            moderator,
            "chat:send",
            {"room": ROOM, "body": f"Früh {i}", "client_id": f"early{i:06d}"},
        )
    storm = await crowd.storm(n)
    last_seq = await _history(moderator, crowd)
    people = [(c.index, c.token) for c in crowd.clients]
    restart_s = await asyncio.to_thread(server.crash_and_restart)
    for client in [*crowd.clients, moderator]:
        client.close()
    crowd.clients = []

    meter = Meter(server)
    start = time.perf_counter()
    times: list[float] = []
    failures: list[str] = []
    behind: list[int] = []

    async def back(index: int, token: str) -> Client | None:
        began = time.perf_counter()
        url = server.urls[index % len(server.urls)]
        try:
            client = await open_client(url, index, token, None, CONNECT_TIMEOUT)
            snapshot = await call(client, "room:join", {"room": ROOM})
            synced = await call(client, "room:sync", {"room": ROOM, "after": last_seq})
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
            return None
        times.append(time.perf_counter() - began)
        if snapshot["seq"][ROOM] < last_seq or synced["entries"]:
            behind.append(index)  # the snapshot must hold everything acknowledged before
        return client

    returned = await asyncio.gather(*(back(i, t) for i, t in people))
    rejoined = {
        "rejoined": len(times),
        "all_rejoined_s": round(time.perf_counter() - start, 3),
        **ms_stats(times),
        "failures": len(failures),
        "failure_examples": failures[:3],
        "snapshots_behind": len(behind),
        **meter.read(),
    }
    crowd.clients = [c for c in returned if c is not None]
    await crowd.close()
    base = storm["all_joined_s"]
    return {
        "n": n,
        "history": {"chat": HISTORY + HISTORY // 3 + 1, "questions": QUESTIONS, "votes": n},
        "join_storm": storm,
        "restart_s": round(restart_s, 3),
        "rejoin": rejoined,
        "ratio": round(rejoined["all_rejoined_s"] / base, 2) if base else None,
        "cpu_ratio": (
            round(rejoined["server_cpu_s"] / storm["server_cpu_s"], 2)
            if storm["server_cpu_s"]
            else None
        ),
    }
