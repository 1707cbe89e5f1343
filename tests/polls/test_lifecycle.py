"""Polls from draft to open to closed, the kinds' rules, and who may see the results."""

from __future__ import annotations

from typing import Any

from conference.auth.roles import Role
from tests.fixtures.asserted import refused
from tests.fixtures.live_server import LiveServer
from tests.leaks import no_moderators_copies, no_results_of, presenter_barrier
from tests.polls.helpers import moderator, open_poll, participant, presenter_view, ref

CHOICE = {"kind": "single", "question": "Welche Farbe?", "options": ["Rot", "Grün", "Blau"]}


async def test_a_poll_goes_from_draft_to_open_to_closed_with_a_final_result(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    created = await mod.ok("poll:create", {"room": "plenary", **CHOICE})
    poll = created["poll"]
    assert poll["status"] == "draft"
    await mod.refused("poll:reopen", ref(poll), "poll.not_closed")  # only a closed poll
    assert [o["label"] for o in poll["options"]] == ["Rot", "Grün", "Blau"]
    # a draft is invisible to participants
    ack = await voter.call("poll:vote", {**ref(poll), "options": ["o1"]})
    refused(ack, "poll.not_found")
    snapshot = await voter.ok("room:join", {"room": "plenary"})
    assert poll["id"] not in [p["id"] for p in snapshot["polls"]["polls"]]

    await mod.ok("poll:open", ref(poll))
    update = await voter.wait_for("poll:updated", lambda d: d["poll"]["id"] == poll["id"])
    assert update["poll"]["status"] == "open"
    assert update["seq"] > 0
    voted = await voter.ok("poll:vote", {**ref(poll), "options": ["o2"]})
    assert voted["my_vote"] == {"options": ["o2"]}
    assert [o["count"] for o in voted["results"]["options"]] == [0, 1, 0]
    assert voted["results"]["voters"] == 1
    again = await voter.call("poll:vote", {**ref(poll), "options": ["o1"]})
    refused(again, "poll.already_voted")

    closed = await mod.ok("poll:close", ref(poll))
    assert closed["poll"]["status"] == "closed"
    final = await voter.wait_for(
        "poll:results", lambda d: d["poll_id"] == poll["id"] and d["final"]
    )
    assert [o["count"] for o in final["options"]] == [0, 1, 0]
    assert final["options"][1]["percent"] == 100.0
    late = await voter.call("poll:vote", {**ref(poll), "options": ["o1"]})
    refused(late, "poll.closed")

    # reopened, the same vote still counts once
    await mod.ok("poll:reopen", ref(poll))
    again = await voter.call("poll:vote", {**ref(poll), "options": ["o3"]})
    refused(again, "poll.already_voted")
    await mod.ok("poll:delete", ref(poll))
    await voter.wait_for("poll:deleted", lambda d: d["id"] == poll["id"])
    gone = await voter.call("poll:results", ref(poll))
    refused(gone, "poll.not_found")


async def test_the_kinds_rules_are_checked_on_the_server(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    single = await open_poll(mod, **CHOICE)
    for bad in ([], ["o1", "o2"], ["nope"]):
        ack = await voter.call("poll:vote", {**ref(single), "options": bad})
        refused(ack, "poll.bad_option")

    multiple = await open_poll(
        mod, kind="multiple", question="Was?", options=["A", "B", "C", "D"], max_choices=2
    )
    ack = await voter.call("poll:vote", {**ref(multiple), "options": ["o1", "o2", "o3"]})
    refused(ack, "poll.too_many_choices")
    ack = await voter.call("poll:vote", {**ref(multiple), "options": ["o1", "o1"]})
    refused(ack, "poll.bad_option")
    voted = await voter.ok("poll:vote", {**ref(multiple), "options": ["o1", "o4"]})
    assert [o["count"] for o in voted["results"]["options"]] == [1, 0, 0, 1]

    rating = await open_poll(
        mod,
        kind="rating",
        question="Stimmung?",
        scale_min=1,
        scale_max=5,
        scale_labels={"1": "schlecht"},
    )
    for bad in (0, 6, None):
        ack = await voter.call("poll:vote", {**ref(rating), "rating": bad})
        refused(ack, "poll.out_of_range")
    other = await participant(live, connect)
    await voter.ok("poll:vote", {**ref(rating), "rating": 4})
    voted = await other.ok("poll:vote", {**ref(rating), "rating": 1})
    assert voted["results"]["average"] == 2.5
    assert [s["count"] for s in voted["results"]["scale"]] == [1, 0, 0, 1, 0]
    assert voted["results"]["scale"][0]["label"] == "schlecht"

    cloud = await open_poll(mod, kind="wordcloud", question="Vision?", max_answers=2)
    ack = await voter.call("poll:vote", {**ref(cloud), "words": ["  ", "!!"]})
    refused(ack, "poll.empty_answer")
    ack = await voter.call("poll:vote", {**ref(cloud), "words": ["a", "b", "c"]})
    refused(ack, "poll.too_many_answers")
    ack = await voter.call("poll:vote", {**ref(cloud), "words": ["x" * 41]})
    refused(ack, "poll.answer_too_long")
    await voter.ok("poll:vote", {**ref(cloud), "words": ["Klimaneutral", "KLIMANEUTRAL!"]})
    voted = await other.ok(
        "poll:vote", {**ref(cloud), "words": ["klimaneutral ", "Wettbewerbsfähig"]}
    )
    # counted whatever the case, shown as written (a tie: the same spelling on every process)
    assert voted["results"]["words"] == [
        {"word": "Klimaneutral", "count": 2, "forms": ["Klimaneutral", "klimaneutral"]},
        {"word": "Wettbewerbsfähig", "count": 1, "forms": ["Wettbewerbsfähig"]},
    ]

    text = await open_poll(mod, kind="open", question="Anmerkungen?")
    voted = await voter.ok("poll:vote", {**ref(text), "text": "Mehr Pausen bitte"})
    assert voted["results"]["answers"] == []  # held for the moderator
    held = await mod.ok("poll:results", ref(text))
    assert [a["text"] for a in held["answers"]] == ["Mehr Pausen bitte"]
    assert held["answers"][0]["shown"] is False
    await mod.ok("poll:answers:show", {**ref(text), "refs": [held["answers"][0]["ref"]]})
    shown = await other.ok("poll:results", ref(text))
    assert [a["text"] for a in shown["answers"]] == ["Mehr Pausen bitte"]

    bad = await mod.call(
        "poll:create", {"room": "plenary", "kind": "single", "question": "?", "options": ["A"]}
    )
    refused(bad, "poll.bad_definition")


async def test_a_vote_may_be_changed_only_where_the_poll_allows(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    poll = await open_poll(mod, **CHOICE, allow_change=True)
    await voter.ok("poll:vote", {**ref(poll), "options": ["o1"]})
    changed = await voter.ok("poll:vote", {**ref(poll), "options": ["o3"]})
    assert [o["count"] for o in changed["results"]["options"]] == [0, 0, 1]
    assert changed["results"]["voters"] == 1


async def test_results_follow_the_visibility_setting(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    watcher = await participant(live, connect)
    presenter = await presenter_view(live, connect)
    for client in (voter, watcher, presenter):
        no_moderators_copies(client)

    after = await open_poll(mod, **CHOICE, results="after_vote")
    for client in (voter, watcher, presenter):  # after a vote: in its ack, never broadcast
        no_results_of(client, after["id"])
    hidden = await watcher.call("poll:results", ref(after))
    refused(hidden, "poll.results_hidden")
    voted = await voter.ok("poll:vote", {**ref(after), "options": ["o1"]})
    assert voted["results"]["voters"] == 1
    assert (await voter.ok("poll:results", ref(after)))["voters"] == 1

    reveal = await open_poll(mod, **CHOICE, results="on_reveal")
    unrevealed = [no_results_of(client, reveal["id"]) for client in (voter, watcher, presenter)]
    voted = await voter.ok("poll:vote", {**ref(reveal), "options": ["o2"]})
    assert voted["results"] is None
    snapshot = await watcher.ok("room:join", {"room": "plenary"})
    mine = next(p for p in snapshot["polls"]["polls"] if p["id"] == reveal["id"])
    assert mine["results"] is None
    assert mine["status"] == "open"
    # moderators see the results all along
    assert (await mod.ok("poll:results", ref(reveal)))["voters"] == 1
    mod.mark()
    await mod.ok("poll:close", ref(reveal))
    final = await mod.wait_for("poll:results", lambda d: d["poll_id"] == reveal["id"])
    assert final["final"] is True
    assert final["moderation"] is True
    # closing sent the final results to moderators only: not to the room, not to the stream
    await presenter_barrier(mod, voter, watcher, presenter)
    refused(await watcher.call("poll:results", ref(reveal)), "poll.results_hidden")
    for client, rule in zip((voter, watcher, presenter), unrevealed, strict=True):
        client.lift(rule)
        client.mark()
    await mod.ok("poll:reveal", ref(reveal))
    for client in (watcher, presenter):
        shown = await client.wait_for("poll:results", lambda d: d["poll_id"] == reveal["id"])
        assert [o["count"] for o in shown["options"]] == [0, 1, 0]
        assert shown["moderation"] is False
    assert (await watcher.ok("poll:results", ref(reveal)))["voters"] == 1


async def test_participants_cannot_manage_polls(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    poll = await open_poll(mod, **CHOICE, anonymous=False)
    voter = await participant(live, connect)
    for event, payload in [
        ("poll:create", {"room": "plenary", **CHOICE}),
        ("poll:open", ref(poll)),
        ("poll:close", ref(poll)),
        ("poll:reopen", ref(poll)),
        ("poll:delete", ref(poll)),
        ("poll:reveal", ref(poll)),
        ("poll:answers:show", {**ref(poll), "all": True}),
        ("presenter:join", {"room": "plenary"}),
    ]:
        await voter.refused(event, payload, "auth.forbidden")
    assert (await mod.ok("poll:results", ref(poll)))["status"] == "open"


async def test_a_vote_on_another_rooms_poll_or_an_unknown_poll_is_refused(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    poll = await open_poll(mod, **CHOICE)
    ack = await voter.call("poll:vote", {"room": "plenary", "id": "0" * 32, "options": ["o1"]})
    refused(ack, "poll.not_found")
    await mod.ok("room:join", {"room": "vernetzung"})
    ack = await mod.call("poll:vote", {"room": "vernetzung", "id": poll["id"], "options": ["o1"]})
    refused(ack, "poll.not_found")


async def test_a_poll_with_a_countdown_closes_itself(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    poll = await open_poll(mod, **CHOICE, duration_seconds=5)
    assert poll["closes_at"]
    await voter.ok("poll:vote", {**ref(poll), "options": ["o3"]})
    final = await voter.wait_for(
        "poll:results", lambda d: d["poll_id"] == poll["id"] and d["final"], within=10
    )
    assert final["status"] == "closed"
    assert final["voters"] == 1
    closed = [d for d in voter.received["poll:updated"] if d["poll"]["id"] == poll["id"]]
    assert closed[-1]["poll"]["status"] == "closed"


async def test_facilitators_manage_polls_of_their_own_room_only(
    live: LiveServer, connect: Any
) -> None:
    _, token = await live.person(Role.FACILITATOR, room="vernetzung")
    facilitator = await connect(live.url, token)
    await facilitator.ok("room:join", {"room": "vernetzung"})
    created = await facilitator.ok("poll:create", {"room": "vernetzung", **CHOICE})
    opened = await facilitator.ok("poll:open", {"room": "vernetzung", "id": created["poll"]["id"]})
    assert opened["poll"]["room"] == "vernetzung"
    ack = await facilitator.call("poll:create", {"room": "plenary", **CHOICE})
    refused(ack, "auth.forbidden")
    mod = await moderator(live, connect)
    plenary_poll = await open_poll(mod, **CHOICE)
    ack = await facilitator.call("poll:close", ref(plenary_poll))
    refused(ack, "auth.forbidden")
    # a plenary poll named with the workshop's room is not found there
    ack = await facilitator.call("poll:close", {"room": "vernetzung", "id": plenary_poll["id"]})
    refused(ack, "poll.not_found")


async def test_the_prepared_polls_are_drafts_once(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    snapshot = await mod.ok("room:join", {"room": "plenary"})
    keys = [p["key"] for p in snapshot["polls"]["polls"] if p["key"]]
    assert {"stimmung", "vision"} <= set(keys)
    assert len(keys) == len(set(keys))  # once each, though two processes seed at start-up
    vision = next(p for p in snapshot["polls"]["polls"] if p["key"] == "vision")
    assert vision["kind"] == "wordcloud"
    assert vision["settings"]["max_answers"] == 3
    stimmung = next(p for p in snapshot["polls"]["polls"] if p["key"] == "stimmung")
    assert stimmung["settings"]["scale_labels"]["5"] == "großartig"
