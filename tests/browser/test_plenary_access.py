"""The plenary and the console: accessible (axe), usable by keyboard and on a phone."""

from __future__ import annotations

from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.people import console_section, join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer


async def test_plenary_and_console_have_no_serious_axe_violations(
    memory_server: LiveServer, new_context
) -> None:
    _, token = await memory_server.person(name="Ada Axe", organisation="Prüfstelle")
    _, mod_token = await memory_server.person(Role.MODERATOR, name="Moritz Axe")
    page = await join(new_context, memory_server, token)
    mod = await join(new_context, memory_server, mod_token)
    await page.locator("#chat-input").fill("Eine Nachricht für die Prüfung")
    await page.locator("#chat-input").press("Enter")
    await mod.locator("#announce-input").fill("Willkommen!")
    await mod.locator("#announce-form button[type=submit]").click()
    await expect(page.locator("#announcement")).to_be_visible()
    # the live regions as assistive technology finds them (WCAG 4.1.3): the chat is a polite
    # log named by its heading, the announcement a status message
    chat_log = page.get_by_role("log", name="Chat")
    await expect(chat_log).to_contain_text("Eine Nachricht für die Prüfung")
    await expect(chat_log).to_have_attribute("aria-live", "polite")
    await expect(page.get_by_role("status").filter(has_text="Willkommen!")).to_be_visible()
    await console_section(mod, "people")
    await expect(mod.locator("#people-list li").first).to_be_visible()
    assert await axe_violations(page) == []
    assert await axe_violations(mod) == []
    await mod.locator("#announce-clear").click()


async def test_the_plenary_works_by_keyboard(memory_server: LiveServer, new_context) -> None:
    _, token = await memory_server.person(name="Klara Keyboard")
    page = await join(new_context, memory_server, token)
    # the skip link comes first and leads to the content
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip-link")).to_be_focused()
    # tab until the chat field has the focus, write and send with Enter
    for _ in range(40):
        await page.keyboard.press("Tab")
        if await page.locator("#chat-input").evaluate("el => el === document.activeElement"):
            break
    await expect(page.locator("#chat-input")).to_be_focused()
    await page.keyboard.type("Per Tastatur geschrieben")
    await page.keyboard.press("Enter")
    await expect(page.locator(".chat-body", has_text="Per Tastatur geschrieben")).to_be_visible()
    # reactions are buttons: focusable and pressable with the space bar
    applause = page.get_by_role("button", name="Applaus")
    await applause.focus()
    await page.keyboard.press("Space")
    await expect(applause.locator(".reaction-count")).to_have_text("+1")
    # the focus ring is visible
    outline = await applause.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


async def test_the_plenary_fits_a_phone(memory_server: LiveServer, new_context) -> None:
    _, token = await memory_server.person(name="Paula Phone")
    page = await join(
        new_context,
        memory_server,
        token,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
    )
    await expect(page.locator("#stream")).to_be_in_viewport()
    await expect(page.locator("#chat-input")).to_be_visible()
    await page.locator("#chat-input").scroll_into_view_if_needed()
    await expect(page.locator("#chat-input")).to_be_in_viewport()
    await expect(page.locator("#chat-send")).to_be_in_viewport()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways: {width}px"
    box = await page.locator("#stream .stream-frame").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375


async def test_the_plenary_in_english(memory_server: LiveServer, new_context) -> None:
    _, token = await memory_server.person(name="Emma English")
    page = await join(new_context, memory_server, token)
    await page.goto(memory_server.url + "/plenary?lang=en")
    await expect(page.locator("body[data-live='connected']")).to_be_attached()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("#chat").get_by_label("Your message")).to_be_visible()
    await expect(page.locator("#chat-limit")).to_have_text("0 of 1000 characters")
    await expect(page.get_by_role("button", name="Applause")).to_be_visible()
    refused = await page.evaluate(
        """() => window.conferenceLive.call("agenda:set", {step: 1})
            .then(() => "", (err) => err.message)"""
    )
    assert refused == "You are not allowed to do that."
    assert await axe_violations(page) == []


async def test_a_join_link_sent_in_english_opens_in_english(
    memory_server: LiveServer, new_context
) -> None:
    _, token = await memory_server.person(name="Edward English")
    context = await new_context()
    page = await context.new_page()
    await page.goto(f"{memory_server.url}/join/{token}?lang=en")
    await expect(page).to_have_url(f"{memory_server.url}/plenary")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.goto(f"{memory_server.url}/privacy")  # and stays English
    await expect(page.locator("html")).to_have_attribute("lang", "en")
