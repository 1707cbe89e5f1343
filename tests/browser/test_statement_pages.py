"""The privacy notice, the accessibility statement and the plain-language and sign-language
pages in German and English; a person's export and withdrawal in the browser; visible focus
on every stop of every page, the presenter view included."""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.async_api import Page, expect

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.browser.keyboard import focus_is_visible
from tests.browser.people import join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer

TITLES = {
    "de": {
        "/privacy": "Datenschutzerklärung",
        "/accessibility": "Erklärung zur Barrierefreiheit",
        "/leichte-sprache": "Informationen in Leichter Sprache",
        "/gebaerdensprache": "Informationen in Deutscher Gebärdensprache",
    },
    "en": {
        "/privacy": "Privacy notice",
        "/accessibility": "Accessibility statement",
        "/leichte-sprache": "Information in plain language",
        "/gebaerdensprache": "Information in German Sign Language",
    },
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_statements_in_both_languages(
    memory_server: LiveServer, new_context, lang: str
) -> None:
    page = await (await new_context()).new_page()
    for path, title in TITLES[lang].items():
        await page.goto(f"{memory_server.url}{path}?lang={lang}")
        await expect(page.locator("html")).to_have_attribute("lang", lang)
        await expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert await axe_violations(page) == [], path
    # the privacy notice is generated from the event file: retention dates and contact
    await page.goto(f"{memory_server.url}/privacy?lang={lang}")
    date = "15. April 2027" if lang == "de" else "April 15, 2027"
    await expect(page.locator("tr[data-kind='chat_messages']")).to_contain_text(date)
    await expect(page.locator("#controller ~ p a").first).to_have_text(
        "datenschutz@industrieinitiativen.example"
    )
    await expect(page.locator("#controller + p")).to_contain_text("10115 Berlin")
    # the start page leads to the explanations BITV 2.0 § 4 asks for
    await page.goto(f"{memory_server.url}/?lang={lang}")
    for path in ("/leichte-sprache", "/gebaerdensprache", "/accessibility"):
        await expect(page.locator(f"main a[href='{path}']")).to_have_count(1)


async def test_export_and_withdrawal_in_the_browser(memory_server: LiveServer, new_context) -> None:
    server = memory_server
    tag = uuid.uuid4().hex[:6]
    _, ada_token = await server.person(name=f"Ada Austritt {tag}", organisation="Austrittswerk")
    _, bob_token = await server.person(name=f"Bob Bleibt {tag}")
    ada = await join(new_context, server, ada_token)
    bob = await join(new_context, server, bob_token)
    await ada.locator("#chat-input").fill(f"Bis gleich {tag}")
    await ada.locator("#chat-input").press("Enter")
    line = bob.locator(".chat-message", has_text=f"Bis gleich {tag}")
    await expect(line.locator(".chat-name")).to_have_text(f"Ada Austritt {tag}")

    # from the footer to the person's own page, and the download
    await ada.get_by_role("link", name="Meine Daten").click()
    await expect(ada.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    assert await axe_violations(ada) == []
    async with ada.expect_download() as info:
        await ada.get_by_role("link", name="Meine Daten herunterladen").click()
    download = await info.value
    exported = json.loads((await download.path()).read_text(encoding="utf-8"))
    assert exported["data"]["registration"]["name"] == f"Ada Austritt {tag}"
    assert [m["text"] for m in exported["data"]["chat_messages"]] == [f"Bis gleich {tag}"]
    assert exported["kept"][0]["title"] == "Anmeldung"  # in the reader's language

    # withdrawing needs the confirmation
    await ada.get_by_role("button", name="Widerrufen und meine Daten löschen").click()
    await expect(ada.locator("#confirm-error")).to_have_text("Bitte bestätigen Sie zuerst.")
    await ada.get_by_label("Ich habe verstanden").check()
    await ada.get_by_role("button", name="Widerrufen und meine Daten löschen").click()
    await expect(ada.get_by_role("heading", level=1)).to_have_text("Ihre Daten wurden gelöscht")
    assert await axe_violations(ada) == []

    # the others see the message stay, from a deleted person; the link no longer works
    await expect(line.locator(".chat-name")).to_have_text("gelöschte Person")
    await expect(line.locator(".chat-body")).to_have_text(f"Bis gleich {tag}")
    await expect(line.locator(".chat-org")).to_have_count(0)
    await ada.goto(f"{server.url}/join/{ada_token}")
    await expect(ada.get_by_role("heading", level=1)).to_have_text("Dieser Link ist ungültig")
    await bob.reload()
    await expect(
        bob.locator(".chat-message", has_text=f"Bis gleich {tag}").locator(".chat-name")
    ).to_have_text("gelöschte Person")


async def every_stop_is_visible(page: Page, limit: int = 150) -> int:
    """Tab round the page (at most `limit` stops); every stop must show its focus. Returns
    the number of stops."""
    for stops in range(limit):
        await page.keyboard.press("Tab")
        problem = await focus_is_visible(page)
        if problem == "wrapped":
            return stops
        assert problem == "", f"{page.url}: {problem}"
    return limit


async def test_focus_is_visible_everywhere_and_contrast_holds(
    memory_server: LiveServer, new_context
) -> None:
    server = memory_server
    _, mod_token = await server.person(Role.MODERATOR, name="Fokus Moderation")
    visitor = await (await new_context()).new_page()
    for path in ("/", "/register", "/privacy", "/accessibility", "/leichte-sprache"):
        await visitor.goto(server.url + path)
        assert await every_stop_is_visible(visitor) > 5, path
    mod = await join(new_context, server, mod_token)
    assert await every_stop_is_visible(mod, limit=120) > 20  # the console is long
    # the presenter view (a browser source in the streaming software) with a poll on it
    created = await mod.evaluate(
        """() => window.conferenceLive.call("poll:create",
            {room: "plenary", kind: "single", question: "Kontrast?", options: ["Ja", "Nein"]})"""
    )
    await mod.evaluate(
        "(id) => window.conferenceLive.call('poll:open', {room: 'plenary', id})",
        created["poll"]["id"],
    )
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    presenter = await (await new_context(viewport={"width": 1920, "height": 1080})).new_page()
    await presenter.goto(f"{server.url}/presenter/{key}")
    await expect(presenter.locator("#presenter-poll-question")).to_have_text("Kontrast?")
    await every_stop_is_visible(presenter)
    assert await axe_violations(presenter) == []  # colour contrast is among axe's checks
    await mod.evaluate(
        "(id) => window.conferenceLive.call('poll:close', {room: 'plenary', id})",
        created["poll"]["id"],
    )
