"""With `qa_moderated = false` in the event file, questions are shown at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.live_server import EVENT_FILE, LiveServer, start_servers, stop_servers
from tests.polls.helpers import participant


@pytest.fixture(scope="module")
def unmoderated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("unmoderated")
    event_file = directory / "event.toml"
    text = EVENT_FILE.read_text(encoding="utf-8")
    assert "qa_moderated = true" in text
    event_file.write_text(
        text.replace("qa_moderated = true", "qa_moderated = false"), encoding="utf-8"
    )
    server = start_servers(
        Path(directory / "server"), extra_env={"CONFERENCE_EVENT_FILE": str(event_file)}
    )
    yield server
    stop_servers(server)


async def test_questions_appear_without_moderation(unmoderated: LiveServer, connect: Any) -> None:
    asker = await participant(unmoderated, connect)
    other = await participant(unmoderated, connect)
    snapshot = await other.ok("room:join", {"room": "plenary"})
    assert snapshot["qa"]["moderated"] is False
    asked = await asker.ok("question:ask", {"room": "plenary", "body": "Sofort sichtbar?"})
    assert asked["question"]["status"] == "approved"
    shown = await other.wait_for(
        "question:updated", lambda d: d["question"]["id"] == asked["question"]["id"]
    )
    assert shown["question"]["body"] == "Sofort sichtbar?"
    assert (await other.ok("question:upvote", {"room": "plenary", "id": asked["question"]["id"]}))[
        "votes"
    ] == 1
