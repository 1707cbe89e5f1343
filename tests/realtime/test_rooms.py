"""Rooms keep to themselves: a workshop's broadcasts reach its members only, on every process,
and a room not joined gives nothing away."""

from __future__ import annotations

from typing import Any

from conference.auth.roles import Role
from tests.fixtures.live_server import Client, LiveServer
from tests.leaks import barrier, no_moderators_copies, no_questions_of_others
from tests.polls.helpers import participant

WORKSHOP = "digitalisierung"


def _of_the_workshop(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("room") == WORKSHOP


async def test_a_workshops_broadcasts_stay_in_the_workshop(live: LiveServer, connect: Any) -> None:
    _, token = await live.person(Role.FACILITATOR, room=WORKSHOP, name="Moderatorin Werkstatt")
    facilitator: Client = await connect(live.urls[0], token)
    await facilitator.ok("room:join", {"room": WORKSHOP})
    await facilitator.ok("room:join", {"room": "plenary"})
    _, colleague_token = await live.person(Role.FACILITATOR, room=WORKSHOP)
    colleague: Client = await connect(live.urls[-1], colleague_token)
    await colleague.ok("room:join", {"room": WORKSHOP})
    outsider = await participant(live, connect)  # plenary only, on the last process
    no_moderators_copies(outsider)
    no_questions_of_others(outsider)
    for event in ("chat:message", "chat:deleted", "poll:updated", "poll:results", "reaction:burst"):
        outsider.forbid(event, _of_the_workshop, why="a broadcast of a workshop not joined")

    said = await facilitator.ok(
        "chat:send", {"room": WORKSHOP, "body": "Nur hier", "client_id": "workshop-only-1"}
    )
    await colleague.wait_for("chat:message", lambda m: m["id"] == said["id"])
    created = await facilitator.ok(
        "poll:create",
        {"room": WORKSHOP, "kind": "single", "question": "Hier?", "options": ["A", "B"]},
    )
    await facilitator.ok("poll:open", {"room": WORKSHOP, "id": created["poll"]["id"]})
    await colleague.wait_for("poll:updated", lambda d: d["poll"]["id"] == created["poll"]["id"])
    await facilitator.ok("reaction:send", {"room": WORKSHOP, "emoji": "👍"})
    await colleague.wait_for("reaction:burst", _of_the_workshop)
    await facilitator.ok("chat:delete", {"room": WORKSHOP, "id": said["id"]})
    await colleague.wait_for("chat:deleted", lambda d: d["id"] == said["id"])
    await barrier(facilitator, outsider)

    # and asking for the workshop's log without having joined it is refused
    await outsider.refused("room:sync", {"room": WORKSHOP, "after": 0}, "room.not_joined")
    await outsider.refused(
        "poll:results", {"room": WORKSHOP, "id": created["poll"]["id"]}, "room.not_joined"
    )
    synced = await colleague.ok("room:sync", {"room": WORKSHOP, "after": 0})
    assert said["seq"] in [e["seq"] for e in synced["entries"]]
