"""The participant's day with the keyboard alone (WCAG 2.1.1): register, join, read the
agenda, chat, pause the chat, vote, ask, react; every focus stop visibly focused (2.4.7).

One test, step by step in the order of the day, so later parts of the day are appended here.
The moderator, who is not the one tested, acts through a socket connection.
"""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.keyboard import tab_to
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer


async def test_the_participant_day_by_keyboard_alone(
    memory_server: LiveServer, new_context, connect
) -> None:
    server = memory_server
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
        "1 neue Nachrichten warten, solange angehalten ist."
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

    # --- the afternoon (issues 9 and 10): append the steps here, by keyboard alone:
    # go to the workshop when it opens, write in the notes, come back to the plenary. ---

    # the day ends where it started: the footer's statements are reachable too
    await tab_to(page, page.get_by_role("link", name="Erklärung zur Barrierefreiheit"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Erklärung zur Barrierefreiheit"
    )
    assert await axe_violations(page) == []
    assert me
