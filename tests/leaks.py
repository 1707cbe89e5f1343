"""Leak checks: what a client must never receive, and barriers that make "never" checkable.

`Client.forbid` records a rule; every broadcast the client receives is held against it, and the
`connect` fixture fails the test at its end if anything forbidden arrived. A check is only as
good as the moment it looks: a barrier is a broadcast sent after the action by the same process
(one process emits in order, and Redis relays one publisher in order), so once the barrier
arrived, whatever the action broadcast to that client has arrived too.
"""

from __future__ import annotations

import uuid

from tests.fixtures.live_server import Client, Forbidden


async def barrier(sender: Client, *watchers: Client, room: str = "plenary") -> None:
    """`sender` (who acted, so on the same process) says something in `room`; every watcher,
    a member of the room, waits for it."""
    marks = [watcher.mark() for watcher in watchers]
    client_id = f"barrier-{uuid.uuid4().hex[:16]}"
    await sender.ok("chat:send", {"room": room, "body": "·", "client_id": client_id})
    for watcher, mark in zip(watchers, marks, strict=True):
        await watcher.wait_for("chat:message", lambda m: m["client_id"] == client_id, since=mark)


async def presenter_barrier(moderator: Client, *watchers: Client, room: str = "plenary") -> None:
    """Like `barrier`, for presenter views (who are in no room): `moderator`, who acted, opens
    and deletes a throwaway poll; its deletion reaches the room and the presenter views."""
    marks = [watcher.mark() for watcher in watchers]
    created = await moderator.ok(
        "poll:create", {"room": room, "kind": "single", "question": "·", "options": ["·", "··"]}
    )
    ref = {"room": room, "id": created["poll"]["id"]}
    await moderator.ok("poll:open", ref)
    await moderator.ok("poll:delete", ref)
    for watcher, mark in zip(watchers, marks, strict=True):
        await watcher.wait_for("poll:deleted", lambda d: d["id"] == ref["id"], since=mark)


def no_moderators_copies(client: Client, *, person_id: str | None = None) -> None:
    """A participant never receives what only those who manage a room get."""
    client.forbid("poll:changed", why="the moderators' copy of a poll change")
    client.forbid(
        "poll:results", lambda d: d.get("moderation") is True, why="the moderators' results"
    )
    client.forbid(
        "person:muted",
        lambda d: d.get("person_id") != person_id,
        why="someone else's mute notice",
    )


def no_questions_of_others(client: Client) -> None:
    """Someone who asked nothing: no moderators' question copies, no held questions."""
    client.forbid("question:changed", why="the moderators' (or an asker's) copy of a question")
    client.forbid(
        "question:updated",
        lambda d: d["question"]["status"] == "held",
        why="a question held for moderation",
    )


def no_results_of(client: Client, poll_id: str) -> Forbidden:
    """The results of one poll (not revealed yet) never reach this client."""
    return client.forbid(
        "poll:results", lambda d: d["poll_id"] == poll_id, why="results not revealed yet"
    )
