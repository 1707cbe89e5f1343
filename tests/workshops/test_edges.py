"""The afternoon at its edges: the phase's transitions, a call for help nobody made, notes not
opened or a version that does not exist, an event without workshop rooms; and the event-wide
broadcasts of rooms and seats."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycrdt
import pytest

from conference.notes.docs import TEXT as NOTES_TEXT
from tests.fixtures.live_server import EVENT_FILE, LiveServer, start_servers, stop_servers
from tests.workshops.helpers import closed_phase, facilitator, moderator, new_room, participant


async def test_the_phase_refuses_what_does_not_fit_it(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    await mod.refused("workshops:extend", {"minutes": 5}, "workshop.phase_closed")
    await mod.refused("workshops:return", {}, "workshop.phase_closed")
    await mod.ok("workshops:open", {"minutes": 30})
    await mod.refused("workshops:open", {"minutes": 30}, "workshop.phase_running")
    await mod.refused("workshops:help_answer", {"id": "h" * 32}, "workshop.help_not_found")
    await mod.ok("workshops:close", {})


async def test_notes_must_be_opened_and_versions_exist(afternoon: LiveServer, connect: Any) -> None:
    room = "vernetzung"
    host = await facilitator(afternoon, connect, room, "Team Ränder")
    await host.refused("notes:update", {"room": room, "update": "AAAA"}, "notes.not_open")
    await host.refused("notes:awareness", {"room": room, "update": "AAAA"}, "notes.not_open")
    await host.refused("notes:version", {"room": room, "id": "v" * 32}, "notes.version_not_found")
    await host.refused("notes:restore", {"room": room, "id": "v" * 32}, "notes.version_not_found")

    # an opened writer's update reaches the room's other writers, numbered
    colleague = await facilitator(afternoon, connect, room, "Team Ränder 2")
    for client in (host, colleague):
        await client.ok("notes:open", {"room": room})
    doc = pycrdt.Doc()
    doc.get(NOTES_TEXT, type=pycrdt.Text).insert(0, "Vom Rand. ")
    colleague.mark()
    sent = await host.ok(
        "notes:update", {"room": room, "update": base64.b64encode(doc.get_update()).decode()}
    )
    update = await colleague.wait_for("notes:update", lambda d: d["room"] == room)
    assert update["notes_seq"] == sent["notes_seq"]


async def test_rooms_and_seats_are_broadcast_to_the_whole_event(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    person_id, watcher = await participant(afternoon, connect)  # in the plenary, other process
    watcher.mark()
    room = await new_room(mod, capacity=3, title="Randfälle")
    listed = await watcher.wait_for(
        "workshops:rooms", lambda d: room in [r["id"] for r in d["rooms"]]
    )
    assert listed["room"] == "_event"
    assert next(r for r in listed["rooms"] if r["id"] == room)["capacity"] == 3
    watcher.mark()
    await mod.ok("workshops:move", {"people": [person_id], "room": room})
    counts = await watcher.wait_for(
        "workshops:seats", lambda d: d["rooms"].get(room, {}).get("taken") == 1
    )
    assert counts["rooms"][room]["free"] == 2
    seat = await watcher.wait_for("workshops:seat", lambda d: d["person_id"] == person_id)
    assert seat["seat"]["room"] == room


@pytest.fixture(scope="module")
def roomless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose event has no workshop rooms."""
    directory = tmp_path_factory.mktemp("no-workshops")
    text = re.sub(r"\[\[workshops\]\]\n(?:[^\[\n][^\n]*\n|\n)*", "", EVENT_FILE.read_text("utf-8"))
    assert "[[workshops]]" not in text
    event_file = Path(directory) / "event.toml"
    event_file.write_text(text, encoding="utf-8")
    server = start_servers(directory, extra_env={"CONFERENCE_EVENT_FILE": str(event_file)})
    yield server
    stop_servers(server)


async def test_an_event_without_workshop_rooms_cannot_open_the_phase(
    roomless_server: LiveServer, connect: Any
) -> None:
    mod = await moderator(roomless_server, connect)
    await mod.refused("workshops:open", {"minutes": 30}, "workshop.no_rooms")
