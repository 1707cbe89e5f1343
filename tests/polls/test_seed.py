"""Prepared polls: seeded once; a draft follows the event file across restarts, an opened poll
keeps its question."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.live_server import EVENT_FILE, start_servers, stop_servers
from tests.polls.helpers import moderator

OLD = "Wie ist Ihre Stimmung?"
NEW = "Wie ist Ihre Stimmung jetzt?"


async def _polls(server: Any, connect: Any) -> dict[str, dict[str, Any]]:
    mod = await moderator(server, connect)
    snapshot = await mod.ok("room:join", {"room": "plenary"})
    await mod.close()
    return {p["key"]: p for p in snapshot["polls"]["polls"] if p["key"]}


async def test_drafts_follow_the_event_file(
    tmp_path_factory: pytest.TempPathFactory, connect: Any
) -> None:
    directory = tmp_path_factory.mktemp("seed")
    event_file = directory / "event.toml"
    text = EVENT_FILE.read_text(encoding="utf-8")
    assert OLD in text
    event_file.write_text(text, encoding="utf-8")
    env = {"CONFERENCE_EVENT_FILE": str(event_file)}
    server = start_servers(directory / "server", extra_env=env)
    try:
        polls = await _polls(server, connect)
        mod = await moderator(server, connect)
        await mod.ok("poll:open", {"room": "plenary", "id": polls["vision"]["id"]})
        await mod.close()
    finally:
        stop_servers(server)
    changed = text.replace(OLD, NEW).replace("Wie sieht Ihre Vision", "Wie sieht Eure Vision")
    event_file.write_text(changed, encoding="utf-8")
    server = start_servers(directory / "server", extra_env=env)
    try:
        again = await _polls(server, connect)
    finally:
        stop_servers(server)
    assert again["stimmung"]["id"] == polls["stimmung"]["id"]
    assert again["stimmung"]["question"] == NEW
    assert again["vision"]["status"] == "open"
    assert again["vision"]["question"].startswith("Wie sieht Ihre Vision")
