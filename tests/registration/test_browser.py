"""Registering in a real browser, by the form's labels, and following the link to the plenary."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer


async def test_register_by_labels_follow_the_link_and_land_in_the_plenary(
    reg_server: LiveServer, page: Page
) -> None:
    await page.goto(reg_server.url + "/")
    await page.get_by_role("link", name="Kostenlos anmelden").click()
    await expect(page).to_have_url(reg_server.url + "/register")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung")
    assert await axe_violations(page) == []

    # submitting without consent shows the error at the field, reachable by keyboard
    await page.get_by_label("Name").fill("Browser Person")
    await page.get_by_label("Organisation").fill("Testwerk <b>GmbH</b>")
    await page.get_by_label("E-Mail-Adresse").fill(f"browser-{uuid.uuid4().hex[:8]}@example.org")
    await page.get_by_label("Erstwunsch").select_option(label="Digitalisierung im Mittelstand")
    await page.get_by_label("Zweitwunsch").select_option(label="Fachkräfte gewinnen und halten")
    await page.get_by_role("button", name="Anmelden").click()
    consent = page.get_by_label("Ich stimme der Datenschutzerklärung zu.")
    await expect(consent).to_have_attribute("aria-invalid", "true")
    await expect(consent).to_have_accessible_description(re.compile("Bitte stimmen Sie"))
    await expect(page.get_by_label("Organisation")).to_have_value("Testwerk <b>GmbH</b>")
    assert await axe_violations(page) == []

    await consent.focus()
    await page.keyboard.press("Space")
    await expect(consent).to_be_checked()
    await page.get_by_role("button", name="Anmelden").press("Enter")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Sie sind angemeldet")
    await expect(page.get_by_text("Dieser Link ist persönlich.")).to_be_visible()
    copy = page.get_by_label("Der Link zum Kopieren")
    link = await copy.input_value()
    assert link.startswith(reg_server.url + "/join/")
    await expect(page.get_by_role("link", name=link)).to_be_visible()
    await expect(page.get_by_text("Vielen Dank für Ihre Anmeldung zu „")).to_be_visible()
    # the calendar entry is posted (the token stays out of URLs) and carries the join link
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name=re.compile(r"\.ics")).click()
    download = await download_info.value
    saved = Path(await download.path())
    calendar = (await asyncio.to_thread(saved.read_text, encoding="utf-8")).replace("\r\n ", "")
    assert f"URL:{link}" in calendar
    assert await axe_violations(page) == []

    await page.get_by_role("link", name=link).click()
    await expect(page).to_have_url(reg_server.url + "/plenary")


@pytest.mark.parametrize(
    ("lang", "full", "notice"),
    [
        ("de", "Die Veranstaltung ist ausgebucht.", "Zeile eins und Zeile zwei."),
        ("en", "The event is fully booked.", "Zeile eins und Zeile zwei."),
    ],
)
async def test_a_full_event_offers_no_registration_on_the_front_page(
    event_server: Callable[..., LiveServer], page: Page, lang: str, full: str, notice: str
) -> None:
    server = event_server(
        'open = true\ncapacity = 1\nemail_required = false\nprivacy_notice = """\n'
        'Zeile eins\nund Zeile zwei.\n\nZweiter Absatz.\n"""'
    )
    await page.goto(f"{server.url}/register?lang={lang}")
    # the event file's wrapped lines make one paragraph; a blank line starts the next
    paragraphs = page.locator("#privacy-notice p")
    await expect(paragraphs).to_have_text([notice, "Zweiter Absatz."])
    await page.goto(f"{server.url}/?lang={lang}")
    await expect(page.locator("a[href='/register']")).to_have_count(1)
    await server.person(name="Die Eine")  # the one place is taken
    await page.goto(f"{server.url}/?lang={lang}")
    await expect(page.locator("a[href='/register']")).to_have_count(0)
    await expect(page.locator("#registration-state")).to_contain_text(full)
    assert await axe_violations(page) == []
