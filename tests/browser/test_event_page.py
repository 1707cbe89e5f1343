"""The public event page in a real browser."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer


async def test_the_event_page_shows_the_programme_in_german_and_switches_to_english(
    memory_server: LiveServer, page: Page
) -> None:
    await page.goto(memory_server.url + "/")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zusammenwachsen – für Stabilität und Zukunft!"
    )
    await expect(page.locator("html")).to_have_attribute("lang", "de")
    await expect(page.get_by_role("heading", name="Programm")).to_be_visible()
    await expect(page.locator(".agenda-item").first).to_contain_text("10:00")
    await expect(page.locator(".agenda-item").first).to_contain_text("Begrüßung und Eröffnung")
    await expect(page.locator(".workshop")).to_have_count(5)
    await expect(page.get_by_text("Dienstag, 16. März 2027")).to_be_visible()

    await page.get_by_role("link", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    await expect(page.get_by_text("Tuesday, March 16, 2027")).to_be_visible()
    # the choice sticks (cookie) when the page is opened again without ?lang
    await page.goto(memory_server.url + "/")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    assert await axe_violations(page) == []


async def test_english_browsers_get_english(memory_server: LiveServer, browser: Browser) -> None:
    context = await browser.new_context(locale="en-GB")
    try:
        page = await context.new_page()
        await page.goto(memory_server.url + "/")
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    finally:
        await context.close()
