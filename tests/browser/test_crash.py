"""The server process dies mid-event (SIGKILL: a crash, an OOM kill) and is started again: the
page comes back by itself and shows everything acknowledged before the crash, once, and what is
said after it. Room state is in memory here, so the restarted process starts with none."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.people import join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers

ROOM = "plenary"
WATCH_STATUS = """() => {
    window.statuses = [];
    new MutationObserver(() => statuses.push(document.body.dataset.live)).observe(
        document.body, {attributes: true, attributeFilter: ["data-live"]});
}"""


@pytest.fixture
def crashing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_servers(tmp_path_factory.mktemp("crash"))
    yield server
    stop_servers(server)


def _crash_and_restart(server: LiveServer) -> None:
    process = server.processes[0]
    process.kill()
    process.wait(timeout=10)
    server.start(0)
    server.wait_ready()


async def test_the_page_comes_back_by_itself_after_a_crash(
    crashing: LiveServer, new_context: Any, connect: Any
) -> None:
    _, anna_token = await crashing.person(name="Anna Absturz")
    _, mod_token = await crashing.person(Role.MODERATOR, name="Mo Neustart")
    mod = await connect(crashing.url, mod_token)
    await mod.ok("room:join", {"room": ROOM})
    anna = await join(new_context, crashing, anna_token)

    # before the crash: a message, a vote, a question held for moderation
    said = await mod.ok(
        "chat:send", {"room": ROOM, "body": "Vor dem Absturz", "client_id": uuid.uuid4().hex}
    )
    await expect(anna.locator(".chat-body", has_text="Vor dem Absturz")).to_be_visible()
    created = await mod.ok(
        "poll:create",
        {"room": ROOM, "kind": "single", "question": "Läuft es?", "options": ["Ja", "Nein"]},
    )
    await mod.ok("poll:open", {"room": ROOM, "id": created["poll"]["id"]})
    poll = anna.locator(".poll", has_text="Läuft es?")
    await poll.get_by_label("Ja").check()
    await poll.get_by_role("button", name="Antwort abgeben").click()
    await expect(poll.locator(".poll-mine")).to_have_text("Ihre Antwort: Ja")
    await anna.locator("#qa-input").fill("Was passiert bei einem Absturz?")
    await anna.get_by_role("button", name="Frage stellen").click()
    asked = anna.locator(".qa-item", has_text="Was passiert bei einem Absturz?")
    await expect(asked).to_be_visible()

    await anna.evaluate(WATCH_STATUS)
    await asyncio.to_thread(_crash_and_restart, crashing)
    # the page noticed, and comes back by itself once the server answers again
    await expect(anna.locator("body")).to_have_attribute("data-live", "connected", timeout=30_000)
    assert "reconnecting" in await anna.evaluate("window.statuses")
    await expect(anna.locator(".chat-body", has_text="Vor dem Absturz")).to_have_count(1)
    await expect(poll.locator(".poll-mine")).to_have_text("Ihre Antwort: Ja")
    await expect(asked).to_have_count(1)

    # after: what is said reaches the page once, numbered after what came before
    back = await connect(crashing.url, mod_token)
    await back.ok("room:join", {"room": ROOM})
    after = await back.ok(
        "chat:send", {"room": ROOM, "body": "Nach dem Neustart", "client_id": uuid.uuid4().hex}
    )
    assert after["seq"] > said["seq"]
    await expect(anna.locator(".chat-body", has_text="Nach dem Neustart")).to_have_count(1)
    seqs = await anna.locator(".chat-message").evaluate_all(
        "items => items.map(item => Number(item.dataset.seq))"
    )
    assert seqs == sorted(set(seqs))
    assert await axe_violations(anna) == []
