"""Every page at 200 % zoom (640 CSS pixels of a 1280-pixel window) and at 320 pixels wide
(WCAG 1.4.10): nothing scrolls sideways, nothing is cut off; and every page's footer links
the privacy notice, the accessibility statement and the plain-language and sign-language
explanations."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import expect

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.browser.reflow import check
from tests.fixtures.live_server import LiveServer


@pytest.mark.parametrize("width", [640, 320])
async def test_every_page_reflows_and_links_the_statements(
    memory_server: LiveServer, new_context, width: int
) -> None:
    server = memory_server
    viewport = {"width": width, "height": 800}
    visitor = await (await new_context(viewport=viewport)).new_page()
    problems: list[str] = []
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    for path in [
        "/",
        "/register",
        "/privacy",
        "/accessibility",
        "/leichte-sprache",
        "/gebaerdensprache",
        "/my-data",  # without a link: the page that asks for it
        "/join/not-a-valid-link",
        f"/presenter/{key}",
    ]:
        await visitor.goto(server.url + path)
        problems += await check(visitor, path)

    # a registration's confirmation, with its long personal link
    await visitor.goto(server.url + "/register")
    await visitor.get_by_label("Name *").fill(f"Schmal {uuid.uuid4().hex[:6]}")
    email = f"schmal-{uuid.uuid4().hex[:8]}@example.org"
    await visitor.get_by_label("E-Mail-Adresse *").fill(email)
    await visitor.get_by_label("Ich stimme der Datenschutzerklärung zu. *").check()
    await visitor.get_by_role("button", name="Anmelden").click()
    await expect(visitor.get_by_role("heading", name="Sie sind angemeldet")).to_be_visible()
    problems += await check(visitor, "/register (done)")

    live = {"/plenary", "/moderator", "/workshop/vernetzung"}  # pages with a connection
    for role, room, paths in (
        (Role.PARTICIPANT, None, ["/plenary", "/my-data"]),
        (Role.MODERATOR, None, ["/moderator"]),
        (Role.FACILITATOR, "vernetzung", ["/workshop/vernetzung", "/workshop/vernetzung/notes"]),
    ):
        _, token = await server.person(
            role, name="Reflow Rita", organisation="Prüfstelle", room=room
        )
        page = await (await new_context(viewport=viewport)).new_page()
        await page.goto(f"{server.url}/join/{token}")
        for path in paths:
            await page.goto(server.url + path)
            await expect(page.locator("body")).to_be_visible()
            if path in live:
                await expect(page.locator("body[data-live='connected']")).to_be_attached()
            problems += await check(page, path)
    # the refusal a participant gets on the console
    _, token = await server.person(name="Reflow Neugier")
    page = await (await new_context(viewport=viewport)).new_page()
    await page.goto(f"{server.url}/join/{token}")
    response = await page.goto(server.url + "/moderator")
    assert response is not None
    assert response.status == 403
    problems += await check(page, "/moderator (refused)")

    # the page after withdrawing from the event
    _, token = await server.person(name="Reflow Rückzug")
    page = await (await new_context(viewport=viewport)).new_page()
    await page.goto(f"{server.url}/join/{token}")
    await page.goto(server.url + "/my-data")
    await page.locator("#confirm").check()
    await page.locator("#withdraw-button").click()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    problems += await check(page, "/my-data/withdraw (done)")
    assert problems == [], "\n".join(problems)
