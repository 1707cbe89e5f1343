"""The results gallery over sockets: facilitators save up to three key results, the closing
phase publishes them, everyone in the plenary upvotes once per result (exact across
processes), and the cards follow the votes."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fixtures.asserted import refused
from tests.fixtures.live_server import Client, LiveServer
from tests.workshops.helpers import closed_phase, facilitator, moderator, new_room, participant


def _card(cards: list[dict[str, Any]], room: str) -> dict[str, Any]:
    return next(card for card in cards if card["room"] == room)


async def test_closing_the_phase_publishes_the_key_results_and_upvotes_count_once(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room, other = await new_room(mod, capacity=30), await new_room(mod, capacity=30)
    host = await facilitator(afternoon, connect, room, "Moderation Raum A")
    stranger = await facilitator(afternoon, connect, other, "Moderation Raum B")
    _, watcher = await participant(afternoon, connect)
    await mod.ok("workshops:open", {"minutes": 30})

    texts = ["Netzwerke regional bündeln", "Fachkräfte gemeinsam ausbilden", "Daten teilen"]
    saved = await host.ok("gallery:save", {"room": room, "results": texts})
    assert [r["text"] for r in saved["results"]] == texts
    assert all(r["published_at"] is None for r in saved["results"])
    # not while the phase runs, not by others, never more than three
    changed = await host.wait_for("gallery:changed", lambda d: d["room"] == room)
    assert [r["text"] for r in changed["results"]] == texts
    refused(await host.call("gallery:publish", {"room": room}), "gallery.phase_running")
    foreign = await stranger.call("gallery:save", {"room": room, "results": ["fremd"]})
    assert foreign["error"]["code"] == "auth.forbidden"
    too_many = await host.call("gallery:save", {"room": room, "results": [*texts, "vier"]})
    assert too_many["error"]["code"] == "payload.invalid"
    by_participant = await watcher.call("gallery:publish", {"room": room})
    assert by_participant["error"]["code"] == "auth.forbidden"
    # nothing shows in the plenary before the phase closes
    assert all(
        c["room"] != room
        for c in (await watcher.ok("room:join", {"room": "plenary"}))["gallery"]["cards"]
    )

    await mod.ok("workshops:close", {})
    shown = await watcher.wait_for("gallery:card", lambda d: d["card"]["room"] == room)
    assert [r["text"] for r in shown["card"]["results"]] == texts
    last = shown["card"]["results"][-1]

    # everyone upvotes the last result at once, on both processes, each twice
    voters: list[Client] = []
    for index in range(12):
        _, client = await participant(
            afternoon, connect, afternoon.urls[index % len(afternoon.urls)]
        )
        voters.append(client)
    ref = {"id": last["id"]}
    acks = await asyncio.gather(*(c.call("gallery:upvote", ref) for c in voters + voters))
    assert sum(1 for ack in acks if ack["ok"]) == 12
    for ack in acks:
        if not ack["ok"]:
            refused(ack, "gallery.already_upvoted")
    counted = await watcher.wait_for(
        "gallery:votes", lambda d: d["id"] == last["id"] and d["votes"] == 12
    )
    assert counted["workshop"] == room

    # the most upvoted result comes first, and the snapshot says what I upvoted
    again = (await voters[0].ok("room:join", {"room": "plenary"}))["gallery"]
    card = _card(again["cards"], room)
    assert [r["text"] for r in card["results"]] == [texts[2], texts[0], texts[1]]
    assert card["votes"] == 12
    assert last["id"] in again["upvoted"]
    # a correction keeps the card published and the votes of its position
    await host.ok("gallery:save", {"room": room, "results": [*texts[:2], "Daten gemeinsam teilen"]})
    fixed = await watcher.wait_for(
        "gallery:card", lambda d: d["card"]["room"] == room and d["card"]["votes"] == 12
    )
    assert fixed["card"]["results"][0]["text"] == "Daten gemeinsam teilen"


async def test_publishing_by_hand_after_the_phase_and_what_cannot_be_upvoted(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=10)
    host = await facilitator(afternoon, connect, room, "Moderation Raum C")
    _, voter = await participant(afternoon, connect)
    refused(await host.call("gallery:publish", {"room": room}), "gallery.empty")
    saved = await host.ok("gallery:save", {"room": room, "results": ["Ein Ergebnis"]})
    draft = saved["results"][0]
    refused(await voter.call("gallery:upvote", {"id": draft["id"]}), "gallery.not_found")
    unknown = await mod.call("gallery:save", {"room": "plenary", "results": ["x"]})
    assert unknown["error"]["code"] == "room.unknown"

    published = await host.ok("gallery:publish", {"room": room})
    assert published["results"][0]["published_at"]
    await voter.wait_for("gallery:card", lambda d: d["card"]["room"] == room)
    assert (await voter.ok("gallery:upvote", {"id": draft["id"]}))["votes"] == 1

    # the gallery on the stream: the presenter view gets its cards
    mod.mark()
    staged = (await mod.ok("stage:set", {"kind": "gallery"}))["stage"]
    assert staged["kind"] == "gallery"
    await mod.wait_for("stage:changed", lambda d: d["stage"]["version"] == staged["version"])
    view = await mod.ok("presenter:join", {})
    assert view["stage"]["kind"] == "gallery"
    assert _card(view["cards"], room)["results"][0]["votes"] == 1
    await mod.ok("stage:set", {"kind": "nothing"})
    # participants cannot switch the stream or read the presenter's view
    refused(await voter.call("stage:set", {"kind": "gallery"}), "auth.forbidden")
    refused(await voter.call("presenter:join", {}), "auth.forbidden")


async def test_a_participant_outside_the_plenary_cannot_upvote(
    afternoon: LiveServer, connect: Any
) -> None:
    _, client = await participant(afternoon, connect, join=False)
    refused(await client.call("gallery:upvote", {"id": "nothing"}), "room.not_joined")
