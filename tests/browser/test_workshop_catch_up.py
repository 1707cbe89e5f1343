"""A workshop room's chat in a real browser after a long absence: more than one `room:sync`
page was said meanwhile, and the page shows the last 300 messages once, in order, without a
hole, and says at the top that older ones are hidden."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from playwright.async_api import expect

from conference.auth.roles import Role
from conference.rooms.handlers import SYNC_LIMIT
from tests.browser.people import join
from tests.fixtures.live_server import LiveServer

ROOM = "vernetzung"
MISSED = SYNC_LIMIT + 100
KEEP = 300  # CHAT_KEEP in static/js/lib/chat-ui.js


async def test_a_workshop_page_away_for_600_messages_shows_the_last_300_once(
    unlimited_server: LiveServer, new_context, connect: Any
) -> None:
    server = unlimited_server
    _, mod_token = await server.person(Role.MODERATOR, name="Orga")
    mod = await connect(server.url, mod_token)
    person_id, token = await server.person(name="Paula Pause")
    await mod.ok("workshops:move", {"people": [person_id], "room": ROOM})
    await mod.ok("workshops:open", {"minutes": 30})
    _, host_token = await server.person(Role.FACILITATOR, name="Team Vernetzung", room=ROOM)
    host = await connect(server.url, host_token)
    await host.ok("room:join", {"room": ROOM})

    paula = await join(new_context, server, token)
    assert paula.url.endswith(f"/workshop/{ROOM}")
    await host.ok("chat:send", {"room": ROOM, "body": "w-vorher", "client_id": "w-vorher-1"})
    await expect(paula.locator(".chat-body", has_text="w-vorher")).to_be_visible()

    await paula.evaluate("window.conferenceLive.socket.disconnect()")
    await expect(paula.locator("body")).to_have_attribute("data-live", "reconnecting")
    for start in range(0, MISSED, 50):
        await asyncio.gather(
            *(
                host.ok("chat:send", {"room": ROOM, "body": f"w-{i}", "client_id": f"w-{i:06d}"})
                for i in range(start, min(start + 50, MISSED))
            )
        )
    await paula.evaluate("window.conferenceLive.socket.connect()")
    await expect(paula.locator("body")).to_have_attribute("data-live", "connected", timeout=30_000)
    await expect(paula.locator(".chat-body", has_text=f"w-{MISSED - 1}")).to_be_visible()

    bodies = await paula.locator(".chat-message .chat-body").all_text_contents()
    assert "w-vorher" not in bodies  # the oldest went
    numbers = [int(b.split("-")[1]) for b in bodies]
    assert numbers == list(range(MISSED - KEEP, MISSED))  # the last ones, each once, in order
    seqs = await paula.locator(".chat-message").evaluate_all(
        "items => items.map(item => Number(item.dataset.seq))"
    )
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs)) == KEEP
    await expect(paula.locator("#chat-trimmed-text")).to_have_text(
        re.compile(r"^\d+ ältere Nachrichten sind ausgeblendet\.$")
    )
    await expect(paula.locator("#chat-scroll")).not_to_have_attribute("aria-busy", "true")
