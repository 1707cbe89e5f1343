"""Questions: held for moderation, approved, edited, upvoted once, pinned, answered."""

from __future__ import annotations

from typing import Any

from tests.fixtures.asserted import refused
from tests.fixtures.live_server import LiveServer
from tests.leaks import barrier, no_moderators_copies, no_questions_of_others
from tests.polls.helpers import moderator, participant


def _ids(questions: list[dict[str, Any]]) -> list[str]:
    return [q["id"] for q in questions]


async def test_a_question_is_held_approved_upvoted_pinned_and_answered(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    asker = await participant(live, connect, name="Anna Fragend")
    other = await participant(live, connect)
    for client in (asker, other):
        no_moderators_copies(client)
    no_questions_of_others(other)
    asked = await asker.ok("question:ask", {"room": "plenary", "body": "Wie geht es weitr?"})
    question = asked["question"]
    assert question["status"] == "held"
    assert question["author"]["name"] == "Anna Fragend"
    ref = {"room": "plenary", "id": question["id"]}

    held = await mod.wait_for("question:changed", lambda d: d["question"]["id"] == question["id"])
    assert held["question"]["status"] == "held"
    mine = await asker.wait_for("question:changed", lambda d: d["question"]["id"] == question["id"])
    assert mine["question"]["status"] == "held"
    await barrier(asker, other)  # the held question reached the moderators and its asker only
    # held questions: the asker and moderators see them, others do not
    snap = (await other.ok("room:join", {"room": "plenary"}))["qa"]
    assert question["id"] not in _ids(snap["questions"])
    snap = (await asker.ok("room:join", {"room": "plenary"}))["qa"]
    assert question["id"] in _ids(snap["questions"])
    assert question["id"] in snap["mine"]
    snap = (await mod.ok("room:join", {"room": "plenary"}))["qa"]
    assert question["id"] in _ids(snap["questions"])
    ack = await other.call("question:upvote", ref)
    refused(ack, "question.not_found")

    await mod.ok("question:edit", {**ref, "body": "Wie geht es weiter?"})
    await mod.ok("question:approve", ref)
    shown = await other.wait_for(
        "question:updated", lambda d: d["question"]["id"] == question["id"]
    )
    assert shown["question"]["body"] == "Wie geht es weiter?"
    assert shown["question"]["edited_at"]

    # nobody upvotes their own question
    await asker.refused("question:upvote", ref, "question.own_question")
    voted = await other.ok("question:upvote", ref)
    assert voted["votes"] == 1
    twice = await other.call("question:upvote", ref)
    refused(twice, "question.already_upvoted")
    counted = await asker.wait_for("question:votes", lambda d: d["id"] == question["id"])
    assert counted["votes"] == 1
    snap = (await other.ok("room:join", {"room": "plenary"}))["qa"]
    assert question["id"] in snap["upvoted"]
    assert next(q for q in snap["questions"] if q["id"] == question["id"])["votes"] == 1
    assert (await other.ok("question:unvote", ref))["votes"] == 0
    assert (await other.ok("question:upvote", ref))["votes"] == 1

    pinned = await mod.ok("question:pin", ref)
    assert pinned["question"]["pinned"] is True
    note = await other.wait_for("question:pinned", lambda d: d["id"] == question["id"])
    assert note["question"]["body"] == "Wie geht es weiter?"
    await mod.ok("question:answered", ref)
    done = await other.wait_for("question:updated", lambda d: d["question"]["status"] == "answered")
    assert done["question"]["id"] == question["id"]
    await mod.ok("question:pin", {**ref, "value": False})
    await other.wait_for("question:pinned", lambda d: d["id"] is None)


async def test_a_rejected_question_disappears_and_anonymous_ones_name_nobody(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    asker = await participant(live, connect)
    other = await participant(live, connect)
    no_moderators_copies(other)
    no_questions_of_others(other)
    other.forbid("question:rejected", why="only the asker is told of a rejection")
    asked = await asker.ok(
        "question:ask", {"room": "plenary", "body": "Anonym gefragt", "anonymous": True}
    )
    question = asked["question"]
    assert question["author"] is None
    ref = {"room": "plenary", "id": question["id"]}
    before = (await other.ok("room:join", {"room": "plenary"}))["seq"]["plenary"]
    await mod.ok("question:approve", ref)
    await other.wait_for("question:updated", lambda d: d["question"]["id"] == question["id"])
    await mod.ok("question:reject", ref)
    await other.wait_for("question:hidden", lambda d: d["id"] == question["id"])
    # catching up replays no text of it: its earlier copies in the log were taken back
    synced = await other.ok("room:sync", {"room": "plenary", "after": before})
    assert "Anonym gefragt" not in str(synced["entries"])
    assert {e["type"] for e in synced["entries"] if e.get("id") == question["id"]} == {
        "question:hidden"
    }
    rejected = await asker.wait_for(
        "question:changed", lambda d: d["question"]["status"] == "rejected"
    )
    assert rejected["question"]["id"] == question["id"]
    told = await asker.wait_for("question:rejected", lambda d: d["id"] == question["id"])
    assert told == {"room": "plenary", "id": question["id"], "body": "Anonym gefragt"}
    await barrier(mod, other)  # only the asker is told
    snap = (await other.ok("room:join", {"room": "plenary"}))["qa"]
    assert question["id"] not in _ids(snap["questions"])
    ack = await mod.call("question:pin", ref)
    refused(ack, "question.not_approved")


async def test_participants_cannot_moderate_questions(live: LiveServer, connect: Any) -> None:
    asker = await participant(live, connect)
    question = (await asker.ok("question:ask", {"room": "plenary", "body": "Meine Frage"}))[
        "question"
    ]
    ref = {"room": "plenary", "id": question["id"]}
    for event, payload in [
        ("question:approve", ref),
        ("question:reject", ref),
        ("question:edit", {**ref, "body": "geändert"}),
        ("question:answered", ref),
        ("question:pin", ref),
    ]:
        await asker.refused(event, payload, "auth.forbidden")


async def test_asking_needs_the_room_joined(live: LiveServer, connect: Any) -> None:
    _, token = await live.person()
    client = await connect(live.url, token)
    ack = await client.call("question:ask", {"room": "plenary", "body": "Hallo?"})
    refused(ack, "room.not_joined")
