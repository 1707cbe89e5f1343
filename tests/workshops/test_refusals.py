"""The afternoon's refusals: the phase's transitions, answering a call for help nobody made, and
an event without workshop rooms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.live_server import EVENT_FILE, LiveServer, start_servers, stop_servers
from tests.workshops.helpers import closed_phase, moderator


async def test_the_phase_refuses_what_does_not_fit_it(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    await mod.refused("workshops:extend", {"minutes": 5}, "workshop.phase_closed")
    await mod.refused("workshops:return", {}, "workshop.phase_closed")
    await mod.ok("workshops:open", {"minutes": 30})
    await mod.refused("workshops:open", {"minutes": 30}, "workshop.phase_running")
    await mod.refused("workshops:help_answer", {"id": "h" * 32}, "workshop.help_not_found")
    await mod.ok("workshops:close", {})


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
