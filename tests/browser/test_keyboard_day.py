"""The participant's day with the keyboard alone (WCAG 2.1.1): register, join, read the
agenda, chat, pause the chat, vote, ask, react, go to the workshop, write in the notes, come
back; every focus stop visibly focused (2.4.7).

One test, step by step in the order of the day, on a server of its own (the workshop phase is
event-wide). The moderator, who is not the one tested, acts through a socket connection.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.keyboard import tab_to
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers


@pytest.fixture(scope="module")
def day_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_servers(tmp_path_factory.mktemp("keyboard-day"))
    yield server
    stop_servers(server)


async def test_the_participant_day_by_keyboard_alone(
    day_server: LiveServer, new_context, connect
) -> None:
    server = day_server
    context = await new_context()
    page = await context.new_page()
    tag = uuid.uuid4().hex[:6]

    # the event page: the skip link comes first, then on to the registration
    await page.goto(server.url + "/")
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip-link")).to_be_focused()
    await tab_to(page, page.get_by_role("link", name="Kostenlos anmelden"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(server.url + "/register")

    # register: type into each field, tick the consent with Space, send with Enter
    await tab_to(page, page.get_by_label("Name *"))
    await page.keyboard.type(f"Tastatur Tina {tag}")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Initiative Tastatur")
    await page.keyboard.press("Tab")
    await page.keyboard.type(f"tina-{tag}@example.org")
    await tab_to(page, page.get_by_label("Ich stimme der Datenschutzerklärung zu. *"))
    await page.keyboard.press("Space")
    await tab_to(page, page.get_by_role("button", name="Anmelden"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Sie sind angemeldet")).to_be_visible()

    # join with the personal link
    await tab_to(page, page.locator("#join-link-anchor"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(server.url + "/plenary")
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    me = (await page.evaluate("window.conferenceLive.me"))["id"]

    # read the agenda
    await expect(page.locator(".agenda-item")).to_have_count(7)
    await expect(page.locator(".agenda-item").first).to_contain_text("Begrüßung und Eröffnung")

    # chat: write and send with Enter
    await tab_to(page, page.locator("#chat-input"))
    await page.keyboard.type(f"Guten Morgen von der Tastatur {tag}")
    await page.keyboard.press("Enter")
    await expect(page.locator(".chat-body", has_text=f"Tastatur {tag}")).to_be_visible()

    # pause the chat's automatic updates (2.2.2): new messages wait until resumed
    mod = await connect(server.url, (await server.person(Role.MODERATOR, name="Mo"))[1])
    await mod.ok("room:join", {"room": "plenary"})
    pause = page.get_by_role("button", name="Neue Nachrichten anhalten")
    await tab_to(page, pause, back=True)
    await page.keyboard.press("Space")
    await expect(pause).to_have_attribute("aria-pressed", "true")
    body = f"Während der Pause {tag}"
    await mod.ok("chat:send", {"room": "plenary", "body": body, "client_id": uuid.uuid4().hex})
    await expect(page.locator("#chat-pending")).to_have_text(
        "1 neue Nachricht wartet, solange angehalten ist."
    )
    await expect(page.locator(".chat-body", has_text=body)).to_have_count(0)
    await page.keyboard.press("Space")
    await expect(pause).to_have_attribute("aria-pressed", "false")
    await expect(page.locator(".chat-body", has_text=body)).to_be_visible()

    # vote: a rating opened by the moderator; arrows choose, Enter sends
    created = await mod.ok(
        "poll:create",
        {"room": "plenary", "kind": "rating", "question": f"Wie geht es Ihnen {tag}?"},
    )
    await mod.ok("poll:open", {"room": "plenary", "id": created["poll"]["id"]})
    poll = page.locator(".poll", has_text=f"Wie geht es Ihnen {tag}?")
    first = poll.locator("input[name=choice]").first
    await tab_to(page, first)
    await page.keyboard.press("ArrowRight")
    await expect(poll.locator("input[name=choice]").nth(1)).to_be_checked()
    await tab_to(page, poll.get_by_role("button", name="Antwort abgeben"))
    await page.keyboard.press("Enter")
    await expect(poll.locator(".poll-mine")).to_have_text("Ihre Antwort: 2")

    # ask a question
    await tab_to(page, page.locator("#qa-input"))
    await page.keyboard.type(f"Eine Frage per Tastatur {tag}?")
    await tab_to(page, page.get_by_role("button", name="Frage stellen"))
    await page.keyboard.press("Enter")
    await expect(page.locator("#qa-feedback")).not_to_be_empty()
    asked = page.locator(".qa-item", has_text=f"Eine Frage per Tastatur {tag}?")
    await expect(asked).to_be_visible()

    # react with the space bar
    applause = page.get_by_role("button", name="Applaus")
    await tab_to(page, applause)
    await page.keyboard.press("Space")
    await expect(applause.locator(".reaction-count")).to_have_text("+1")

    # the afternoon: the moderator opens the workshops, which seats Tina; the call to go
    # (above the stream) is reached with Shift+Tab within its ten-second countdown
    await mod.ok("workshops:open", {"minutes": 30, "mode": "assigned"})
    go = page.get_by_role("link", name="Jetzt in meinen Workshop")
    await expect(go).to_be_visible()
    await tab_to(page, go, back=True)
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/workshop/[a-z-]+$"))
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)

    # write in the shared notes, and leave the editor with Tab
    await expect(page.locator("#notes[data-synced='true']")).to_be_attached(timeout=10_000)
    editor = page.locator("#notes-editor .cm-content")
    await tab_to(page, editor)
    await page.keyboard.press("Control+End")
    await page.keyboard.type(f"Ergebnis per Tastatur {tag}")
    await expect(editor).to_contain_text(f"Ergebnis per Tastatur {tag}")
    await page.keyboard.press("Tab")
    await expect(editor).not_to_be_focused()

    # the moderator brings everyone back: the page returns to the plenary by itself
    await mod.ok("workshops:return", {"seconds": 0})
    await expect(page).to_have_url(server.url + "/plenary", timeout=20_000)
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)

    # the day ends where it started: the footer's statements are reachable too
    await tab_to(page, page.get_by_role("link", name="Erklärung zur Barrierefreiheit"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Erklärung zur Barrierefreiheit"
    )
    assert await axe_violations(page) == []
    assert me
