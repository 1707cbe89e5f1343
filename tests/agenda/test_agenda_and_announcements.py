"""The programme's current item and the announcement banner: moderators set them, every page
of the event follows (on every process), and bad requests change nothing."""

from __future__ import annotations

from typing import Any

from tests.fixtures.live_server import LiveServer
from tests.polls.helpers import moderator, participant

AGENDA = [
    "begruessung",
    "interview",
    "panel",
    "mittagspause",
    "praxisaustausch",
    "workshops",
    "abschluss",
]


async def test_the_current_item_is_set_stepped_within_bounds_and_cleared(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    follower = await participant(live, connect)  # on the other process

    async def current(data: dict[str, Any]) -> str | None:
        follower.mark()
        ack = await mod.ok("agenda:set", data)
        seen = await follower.wait_for("agenda:current", lambda d: d["seq"] == ack["seq"])
        assert seen["room"] == "_event"
        assert seen["current_item"] == ack["current_item"]
        item: str | None = ack["current_item"]
        return item

    assert await current({"item": AGENDA[-1]}) == AGENDA[-1]
    assert await current({"step": 1}) == AGENDA[-1]  # stays on the last item
    assert await current({"item": AGENDA[0]}) == AGENDA[0]
    assert await current({"step": -1}) == AGENDA[0]  # stays on the first
    assert await current({"step": 1}) == AGENDA[1]
    assert await current({"item": None}) is None  # cleared
    assert await current({"step": 1}) == AGENDA[0]  # from none, a step starts at the first

    before = (await follower.ok("room:join", {"room": "plenary"}))["seq"]["_event"]
    await mod.refused("agenda:set", {"item": "gibt-es-nicht"}, "agenda.unknown_item")
    for bad in ({"step": 2}, {"step": -2}, {"item": "x" * 65}):
        await mod.refused("agenda:set", bad, "payload.invalid")
    snapshot = await follower.ok("room:join", {"room": "plenary"})
    assert snapshot["seq"]["_event"] == before
    assert snapshot["event"]["current_item"] == AGENDA[0]


async def test_an_announcement_is_posted_bounded_and_cleared(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    follower = await participant(live, connect)
    follower.mark()
    posted = await mod.ok("announce:post", {"text": "  Gleich geht es weiter  "})
    assert posted["announcement"]["text"] == "Gleich geht es weiter"
    shown = await follower.wait_for("announce:current", lambda d: d["seq"] == posted["seq"])
    assert shown["announcement"]["text"] == "Gleich geht es weiter"
    assert shown["announcement"]["by"] == "Moderation"

    for bad in ({"text": ""}, {"text": "   "}, {"text": "x" * 501}, {}):
        await mod.refused("announce:post", bad, "payload.invalid")
    assert (await follower.ok("room:join", {"room": "plenary"}))["event"]["announcement"][
        "text"
    ] == "Gleich geht es weiter"

    follower.mark()
    cleared = await mod.ok("announce:clear", {})
    assert cleared["announcement"] is None
    gone = await follower.wait_for("announce:current", lambda d: d["seq"] == cleared["seq"])
    assert gone["announcement"] is None
    assert (await follower.ok("room:join", {"room": "plenary"}))["event"]["announcement"] is None
