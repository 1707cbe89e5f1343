"""Helpers for browser tests: each person in their own browser context (own cookies)."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.fixtures.live_server import LiveServer


async def join(
    new_context: Any, server: LiveServer, token: str, *, url: str | None = None, **context_args: Any
) -> Page:
    """Open a person's join link in a fresh context (on `url`, default the first process) and
    wait until the page is live."""
    context = await new_context(**context_args)
    page = await context.new_page()
    await page.goto(f"{url or server.url}/join/{token}")
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    return page


async def console_section(page: Page, name: str) -> None:
    """Open a section of the moderator console (its tab: polls, questions, people, workshops,
    exports)."""
    tab = page.locator(f"#tab-{name}")
    await tab.click()
    await expect(tab).to_have_attribute("aria-selected", "true")
    await expect(page.locator(f"#section-{name}")).to_be_visible()
