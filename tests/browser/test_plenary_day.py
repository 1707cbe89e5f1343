"""The plenary half of the day in real browsers: participants, chat, reactions, moderation."""

from __future__ import annotations

import re

from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.people import console_section, join
from tests.fixtures.live_server import LiveServer


async def test_the_plenary_day(memory_server: LiveServer, new_context) -> None:
    server = memory_server
    _, anna_token = await server.person(name="Anna Arendt", organisation="Initiative Lausitz")
    bert_id, bert_token = await server.person(
        name="Bert Brecht", organisation="Forum Ostwürttemberg"
    )
    _, mod_token = await server.person(
        Role.MODERATOR, name="Mia Moderatorin", organisation="Beratungsstelle"
    )
    anna = await join(new_context, server, anna_token)
    bert = await join(new_context, server, bert_token)
    mod = await join(new_context, server, mod_token)
    assert anna.url.endswith("/plenary")
    assert mod.url.endswith("/moderator")

    # the stream area and the agenda (the demo event lies in the future: a countdown)
    await expect(anna.locator("#stream")).to_be_visible()
    await expect(anna.locator("#stream-countdown:visible, #stream-offline:visible")).to_have_count(
        1
    )
    await expect(anna.locator(".agenda-item")).to_have_count(7)
    await expect(anna.locator(".agenda-item").first).to_contain_text("Begrüßung und Eröffnung")
    await expect(anna.locator("#presence-count")).not_to_have_text("–")

    # chat between two participants on two pages
    await anna.locator("#chat").get_by_label("Ihre Nachricht").fill("Guten Morgen aus der Lausitz!")
    await anna.locator("#chat").get_by_role("button", name="Senden").click()
    line = bert.locator(".chat-message", has_text="Guten Morgen aus der Lausitz!")
    await expect(line).to_be_visible()
    await expect(line.locator(".chat-name")).to_have_text("Anna Arendt")
    await expect(line.locator(".chat-org")).to_have_text("Initiative Lausitz")
    await bert.locator("#chat").get_by_label("Ihre Nachricht").fill("Hallo Anna!")
    await bert.locator("#chat").get_by_label("Ihre Nachricht").press("Enter")
    await expect(anna.locator(".chat-message", has_text="Hallo Anna!")).to_be_visible()
    await expect(anna.locator("#chat-input")).to_have_value("")

    # reactions are counted and shown to everyone in the room, aggregated
    await anna.get_by_role("button", name="Applaus").click()
    await anna.get_by_role("button", name="Applaus").click()
    await expect(bert.locator("button.reaction[data-emoji='👏'] .reaction-count")).to_have_text(
        re.compile(r"^\+[12]$")  # both clicks in one second's aggregate, or one in each
    )

    # the moderator starts the programme and advances it: everyone follows, and the stream
    # area leaves the countdown (the HLS source of the demo is offline)
    await mod.get_by_text("Das ganze Programm").click()  # the agenda folds in the console
    await (
        mod.locator(".agenda-item[data-item='begruessung']")
        .get_by_role("button", name="Als aktuell setzen")
        .click()
    )
    for page in (anna, bert):
        await expect(page.locator(".agenda-item.is-current")).to_have_attribute(
            "data-item", "begruessung"
        )
        await expect(page.locator("#stream-offline")).to_be_visible()
    await mod.get_by_role("button", name="Nächster Punkt").click()
    for page in (anna, bert, mod):
        await expect(page.locator(".agenda-item[aria-current='step']")).to_have_attribute(
            "data-item", "interview"
        )

    # … and posts an announcement, shown on both participants' pages
    await mod.get_by_label("Text der Ankündigung").fill("Gleich beginnt das Interview.")
    await mod.get_by_role("button", name="Ankündigung veröffentlichen").click()
    for page in (anna, bert):
        await expect(page.locator("#announcement")).to_contain_text("Gleich beginnt das Interview.")
    await mod.get_by_role("button", name="Ankündigung entfernen").click()
    for page in (anna, bert):
        await expect(page.locator("#announcement")).to_be_hidden()

    # the moderator deletes a message: it disappears for everyone
    message = mod.locator(".chat-message", has_text="Guten Morgen aus der Lausitz!")
    await message.get_by_role("button", name="Löschen").click()
    for page in (anna, bert, mod):
        await expect(
            page.locator(".chat-message", has_text="Guten Morgen aus der Lausitz!")
        ).to_have_count(0)
    await expect(anna.locator(".chat-message", has_text="Hallo Anna!")).to_be_visible()
    # the moderator's focus stays in the chat (on the next message's delete button)
    await expect(mod.locator("#chat :focus")).to_have_count(1)

    # the moderator removes Bert: his page says so, and his link no longer works
    await console_section(mod, "people")
    row = mod.locator(f"#people-list li[data-person='{bert_id}']")
    await row.get_by_role("button", name="Entfernen").click()
    await expect(mod.locator("#remove-dialog")).to_be_visible()
    await mod.get_by_role("button", name="Aus der Veranstaltung entfernen").click()
    await expect(bert.locator("#session-ended")).to_be_visible()
    await expect(bert.locator("#session-ended")).to_contain_text("entfernt")
    await expect(mod.locator(f"#people-list li[data-person='{bert_id}']")).to_have_count(0)
    await expect(mod.locator("#people-title")).to_be_focused()
    again = await bert.goto(f"{server.url}/join/{bert_token}")
    assert again is not None
    assert again.status == 404
    await expect(bert.get_by_role("heading", level=1)).to_have_text("Dieser Link ist ungültig")
    # Anna stays
    await expect(anna.locator("body")).to_have_attribute("data-live", "connected")
