"""room:join's snapshot is kept per room between joins (conference/rooms/snapshots.py); it must
never be staler than what the joiner is about to receive as broadcasts."""

from __future__ import annotations

import asyncio
from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import moderator, open_poll, participant, ref
from tests.realtime.test_reconnect import Follower

ROOM = "plenary"
MESSAGES = 16  # under the rate limit's burst


async def test_joins_racing_a_stream_of_messages_see_each_exactly_once(
    live: LiveServer, connect
) -> None:
    """Joiners on the last process while a sender on the first one writes: each message is in
    the joiner's snapshot or arrives as a broadcast after it, with no gap to sync."""
    _, sender_token = await live.person(name="Sender")
    sender = await connect(live.urls[0], sender_token)
    await sender.ok("room:join", {"room": ROOM})
    tokens = [(await live.person(name=f"Joiner {i}"))[1] for i in range(12)]
    joiners = [await connect(live.urls[-1], token) for token in tokens]
    sent: list[dict[str, Any]] = []

    async def send_all() -> None:
        for i in range(MESSAGES):
            body = {"room": ROOM, "body": f"Nachricht {i}", "client_id": f"race-{i:04d}"}
            sent.append(await sender.ok("chat:send", body))

    async def join_later(client: Any, delay: float) -> dict[str, Any]:
        await asyncio.sleep(delay)
        snapshot: dict[str, Any] = await client.ok("room:join", {"room": ROOM})
        return snapshot

    results = await asyncio.gather(
        send_all(), *(join_later(c, 0.02 * i) for i, c in enumerate(joiners))
    )
    snapshots: list[dict[str, Any]] = list(results[1:])
    last = sent[-1]["seq"]
    for client, snapshot in zip(joiners, snapshots, strict=True):
        if snapshot["seq"][ROOM] < last:
            await client.wait_for("chat:message", lambda m: m["seq"] == last, within=10)
        follower = Follower(after=snapshot["seq"][ROOM])
        for message in client.received["chat:message"]:
            follower.offer({**message, "type": "chat:message"})
        assert not follower.held, "a gap only room:sync could fill"
        assert follower.last == last
        seen = {m["id"] for m in snapshot["chat"]["messages"]} | {e["id"] for e in follower.applied}
        assert {m["id"] for m in sent} <= seen


async def test_a_mute_since_connecting_shows_in_the_join_snapshot(
    live: LiveServer, connect
) -> None:
    person_id, token = await live.person(name="Bald stumm")
    _, moderator_token = await live.person(Role.MODERATOR, name="Mod")
    mod = await connect(live.urls[0], moderator_token)
    client = await connect(live.urls[-1], token)
    await mod.ok("person:mute", {"person_id": person_id})
    await client.wait_for("person:muted", lambda n: n["person_id"] == person_id)
    snapshot = await client.ok("room:join", {"room": ROOM})
    assert snapshot["me"]["muted"] is True
    await mod.ok("person:mute", {"person_id": person_id, "muted": False})
    await client.wait_for("person:muted", lambda n: n["muted"] is False)
    again = await (await connect(live.urls[-1], token)).ok("room:join", {"room": ROOM})
    assert again["me"]["muted"] is False


async def test_a_held_question_is_in_its_askers_next_snapshot_only(
    live: LiveServer, connect
) -> None:
    _, asker_token = await live.person(name="Fragende")
    await participant(live, connect)  # the last process keeps a snapshot from before the ask
    asker = await connect(live.urls[0], asker_token)
    await asker.ok("room:join", {"room": ROOM})
    second_tab = await connect(live.urls[-1], asker_token)
    asked = await asker.ok("question:ask", {"room": ROOM, "body": "Noch nicht freigegeben?"})
    question_id = asked["question"]["id"]
    await second_tab.wait_for("question:changed", lambda d: d["question"]["id"] == question_id)

    snapshot = await second_tab.ok("room:join", {"room": ROOM})
    assert question_id in snapshot["qa"]["mine"]
    assert question_id in {q["id"] for q in snapshot["qa"]["questions"]}
    other = await participant(live, connect)
    others = await other.ok("room:join", {"room": ROOM})
    assert question_id not in {q["id"] for q in others["qa"]["questions"]}
    assert question_id not in others["qa"]["mine"]


async def test_a_joiner_gets_its_own_vote_and_the_results_it_may_see(
    live: LiveServer, connect
) -> None:
    """Results shown after voting are not broadcast to the room; the snapshot still learns of
    the new tally (from the moderators' broadcast) on the process where the voter rejoins."""
    mod = await moderator(live, connect, url=live.urls[-1])
    poll = await open_poll(
        mod, kind="single", question="Schnappschuss?", options=["Ja", "Nein"], results="after_vote"
    )
    await participant(live, connect)  # the last process keeps a snapshot from before the vote
    _, voter_token = await live.person(name="Wählerin")
    voter = await connect(live.urls[0], voter_token)
    await voter.ok("room:join", {"room": ROOM})
    await voter.ok("poll:vote", {**ref(poll), "options": ["o1"]})
    await mod.wait_for("poll:results", lambda r: r["poll_id"] == poll["id"] and r["voters"] == 1)

    other = await participant(live, connect)
    snapshot = await other.ok("room:join", {"room": ROOM})
    seen = next(p for p in snapshot["polls"]["polls"] if p["id"] == poll["id"])
    assert seen["my_vote"] is None
    assert seen["results"] is None
    again = await (await connect(live.urls[-1], voter_token)).ok("room:join", {"room": ROOM})
    theirs = next(p for p in again["polls"]["polls"] if p["id"] == poll["id"])
    assert theirs["my_vote"] is not None
    assert theirs["results"]["voters"] == 1
