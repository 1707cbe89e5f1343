"""The shared notes in real browsers: two people type at the same spot at the same time, a
third page opened later shows the same, the DOCX export has it; keyboard and screen readers."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from playwright.async_api import Page, expect

from conference.auth.roles import Role
from tests.browser.people import join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, logged_in, start_servers, stop_servers

ROOM = "vernetzung"


@pytest.fixture(scope="module")
def notes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_servers(tmp_path_factory.mktemp("notes-browser"))
    yield server
    stop_servers(server)


async def _text(page: Page) -> str:
    text: str = await page.evaluate("() => window.conferenceNotes().text")
    return text


async def _stored(server: LiveServer) -> str | None:
    from conference.notes.read import current_text
    from conference.storage.db import Database

    db = Database(server.database_url)
    try:
        async with db.read() as conn:
            return await current_text(conn, "kickoff", ROOM)
    finally:
        await db.close()


async def _to_line_two(page: Page) -> None:
    await page.locator("#notes-editor .cm-content").click()
    await page.keyboard.press("Control+Home")
    await page.keyboard.press("ArrowDown")


async def test_two_people_write_at_the_same_spot(
    notes_server: LiveServer, new_context, connect: Any
) -> None:
    server = notes_server
    _, mod_token = await server.person(Role.MODERATOR, name="Orga")
    mod = await connect(server.url, mod_token)
    await mod.ok("room:join", {"room": "plenary"})
    people = []
    for name in ("Anna Aurich", "Bruno Berg"):
        person_id, token = await server.person(name=name)
        await mod.ok("workshops:move", {"people": [person_id], "room": ROOM})
        people.append(token)
    await mod.ok("workshops:open", {"minutes": 30})

    anna = await join(new_context, server, people[0])
    bruno = await join(new_context, server, people[1])
    for page in (anna, bruno):
        assert page.url.endswith(f"/workshop/{ROOM}")
        await expect(page.locator("#notes[data-synced='true']")).to_be_attached()
        await expect(page.locator("#notes-editor .cm-content")).to_contain_text("## Leitfrage")
    # Anna is told politely that Bruno opened the notes too
    await expect(anna.locator("#notes-announce")).to_contain_text("Bruno Berg hat die Notizen")

    await asyncio.gather(_to_line_two(anna), _to_line_two(bruno))
    await asyncio.gather(
        anna.keyboard.type("Anna schreibt hier. ", delay=15),
        bruno.keyboard.type("Bruno auch! ", delay=15),
    )
    for _ in range(100):
        texts = [await _text(anna), await _text(bruno)]
        if texts[0] == texts[1] and "Anna schreibt hier." in texts[0] and "Bruno auch!" in texts[0]:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"the pages did not converge: {texts!r}")
    both = texts[0]
    assert await _stored(server) == both
    assert both.count("Anna schreibt hier.") == 1
    assert both.count("Bruno auch!") == 1

    # Anna loses the connection and writes on; back online, both pages hold both texts
    await anna.context.set_offline(True)
    await expect(anna.locator("body[data-live='reconnecting']")).to_be_attached(timeout=30_000)
    await anna.locator("#notes-editor .cm-content").click()
    await anna.keyboard.press("Control+End")
    await anna.keyboard.type("Offline geschrieben.", delay=10)
    await bruno.locator("#notes-editor .cm-content").click()
    await bruno.keyboard.press("Control+End")
    await bruno.keyboard.type("Online dazu.", delay=10)
    await anna.context.set_offline(False)
    for _ in range(200):
        texts = [await _text(anna), await _text(bruno)]
        if (
            texts[0] == texts[1]
            and "Offline geschrieben." in texts[0]
            and "Online dazu." in texts[0]
        ):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"offline writing was not merged: {texts!r}")
    both = texts[0]
    assert both.count("Offline geschrieben.") == 1
    assert await _stored(server) == both

    # a third page, opened later, shows the same
    _, host_token = await server.person(Role.FACILITATOR, name="Team Vernetzung", room=ROOM)
    host = await join(new_context, server, host_token)
    await expect(host.locator("#notes[data-synced='true']")).to_be_attached()
    assert await _text(host) == both

    # keyboard: Escape, then Tab leaves the editor; axe finds nothing serious
    await anna.locator("#notes-editor .cm-content").click()
    await anna.keyboard.press("Escape")
    await anna.keyboard.press("Tab")
    inside = await anna.evaluate("() => !!document.activeElement.closest('.cm-editor')")
    assert not inside
    for page in (anna, host):
        assert await axe_violations(page) == []
    editor = anna.locator("#notes-editor .cm-content")
    await expect(editor).to_have_attribute("aria-label", "Gemeinsame Notizen dieses Workshops")

    # the facilitator lets only the facilitation write: the participants' editor is read-only
    await host.get_by_label("Nur die Moderation").check()
    await expect(anna.locator("#notes-status")).to_contain_text("nur die Moderation")
    await expect(editor).to_have_attribute("contenteditable", "false")

    async with logged_in(server, host_token) as http:
        response = await http.get(f"/workshop/{ROOM}/notes.docx")
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Leitfrage") in paragraphs
    assert any("Anna schreibt hier." in text and "Bruno auch!" in text for _, text in paragraphs)
    await mod.ok("workshops:close", {})
