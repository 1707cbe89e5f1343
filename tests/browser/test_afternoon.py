"""13:45–14:45 in real browsers: a moderator, two facilitators and four participants in two
workshop rooms, from the assignment to everyone back in the plenary."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from conference.auth.roles import Role
from tests.browser.people import console_section, join
from tests.browser.reflow import check
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers

ROOMS = ("vernetzung", "fachkraefte")


@pytest.fixture(scope="module")
def afternoon_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the phase and the seats are event-wide."""
    server = start_servers(tmp_path_factory.mktemp("afternoon-browser"))
    yield server
    stop_servers(server)


async def _room_of(page: Page) -> str:
    await expect(page).to_have_url(re.compile(r"/workshop/[a-z-]+$"), timeout=20_000)
    return page.url.rsplit("/", 1)[1]


async def test_the_afternoon_from_assignment_to_everyone_back(
    afternoon_server: LiveServer, new_context
) -> None:
    server = afternoon_server
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    hosts = [
        (await server.person(Role.FACILITATOR, name=f"Team {room}", room=room))[1] for room in ROOMS
    ]
    tokens = []
    for index, name in enumerate(["Anna Arendt", "Bert Brecht", "Cem Çelik", "Dora Diallo"]):
        room = ROOMS[index % 2]
        tokens.append((await server.person(name=name, workshop_first=room))[1])

    mod = await join(new_context, server, mod_token)
    await console_section(mod, "workshops")
    panel = mod.locator("#workshops-admin")
    await panel.get_by_role("button", name="Alle ohne Platz zuteilen").click()
    await expect(mod.locator("#wsa-feedback")).to_contain_text("Plätze vergeben: 4")

    people = [await join(new_context, server, token) for token in tokens]
    await expect(people[0].locator("#workshops-mine")).to_contain_text(
        "Ihr Workshop: Vernetzung: Wie Initiativen voneinander lernen"
    )
    facilitators = [await join(new_context, server, token) for token in hosts]
    for page, room in zip(facilitators, ROOMS, strict=True):
        assert page.url.endswith(f"/workshop/{room}")  # a facilitator's link opens their room
        await expect(page.locator("h1")).not_to_be_empty()
        await expect(page.locator("#workshop-not-started")).to_be_visible()

    # 13:45: the phase opens with a 2-minute timer; everyone is called to their room
    await panel.get_by_label("Dauer in Minuten").fill("2")
    await panel.get_by_role("button", name="Workshopphase starten").click()
    await expect(mod.locator("#wsa-status")).to_contain_text("läuft")
    for page in people:
        await expect(page.locator("#workshop-call")).to_be_visible()
        await expect(page.locator("#workshop-call-text")).to_contain_text("Ihr Workshop:")
    for page in people[:3]:
        await page.get_by_role("link", name="Jetzt in meinen Workshop").click()
    rooms = [await _room_of(page) for page in people]  # the last one goes after the countdown
    assert rooms == ["vernetzung", "fachkraefte", "vernetzung", "fachkraefte"]
    anna, bert, cem, dora = people
    for page in people:
        await expect(page.locator("body[data-live='connected']")).to_be_attached()
        await expect(page.locator("#workshop-timer")).to_have_text(re.compile(r"^[12]:\d\d$"))
        # two minutes left: the warning is an alert on every room page
        await expect(page.locator("#workshop-alert")).to_contain_text("Noch 2 Minuten")
    # a participant's room page reflows at 320 px (WCAG 1.4.10)
    await anna.set_viewport_size({"width": 320, "height": 800})
    assert await check(anna, "/workshop/vernetzung (participant)") == []
    await anna.set_viewport_size({"width": 1280, "height": 720})  # the default of the context

    # the room chat stays in its room
    await anna.get_by_label("Ihre Nachricht").fill("Hallo Vernetzung!")
    await anna.get_by_role("button", name="Senden").click()
    await expect(cem.locator(".chat-message", has_text="Hallo Vernetzung!")).to_be_visible()
    host_line = facilitators[0].locator(".chat-message", has_text="Hallo Vernetzung!")
    await expect(host_line).to_be_visible()
    await bert.get_by_label("Ihre Nachricht").fill("Hallo Fachkräfte!")
    await bert.get_by_role("button", name="Senden").click()
    await expect(dora.locator(".chat-message", has_text="Hallo Fachkräfte!")).to_be_visible()
    await expect(anna.locator(".chat-message", has_text="Hallo Fachkräfte!")).to_have_count(0)
    await expect(dora.locator(".chat-message", has_text="Hallo Vernetzung!")).to_have_count(0)

    # the moderator extends the timer: every room follows and is told
    await panel.get_by_role("button", name="+5 Minuten").click()
    for page in people:
        await expect(page.locator("#workshop-timer")).to_have_text(re.compile(r"^[67]:\d\d$"))
        # an alert: read out at once
        alert = page.get_by_role("alert").filter(has_text="Workshopzeit wurde geändert")
        await expect(alert).to_be_visible()

    # help from a room is seen in the console; the moderator answers
    await bert.get_by_role("button", name="Hilfe anfordern").click()
    await expect(bert.locator("#help-status")).to_contain_text("Die Moderation ist informiert")
    call = mod.locator("#wsa-help-list li")
    await expect(call).to_contain_text("Bert Brecht bittet um Hilfe in Fachkräfte")
    await call.get_by_role("button", name=re.compile("^Ich komme")).click()
    await expect(bert.locator("#help-status")).to_contain_text("Mia Moderatorin aus der Moderation")
    await expect(mod.locator("#wsa-rooms tr[data-room='fachkraefte']")).to_contain_text("anwesend")

    # a room changed live: more seats; the form is filled with its values and goes back to
    # adding a room afterwards
    fachkraefte = mod.locator("#wsa-rooms tr[data-room='fachkraefte']")
    await fachkraefte.get_by_role("button", name=re.compile("ändern$")).click()
    await expect(panel.get_by_label("Titel", exact=True)).to_be_focused()
    await expect(panel.get_by_label("Titel", exact=True)).not_to_have_value("")
    await panel.get_by_label("Plätze", exact=True).fill("45")
    await panel.get_by_role("button", name="Änderungen speichern").click()
    await expect(mod.locator("#wsa-feedback")).to_contain_text("wurde geändert")
    await expect(fachkraefte).to_contain_text("von 45")
    await expect(panel.locator("#wsa-room-submit")).to_have_text("Raum hinzufügen")
    await expect(panel.get_by_label("Titel", exact=True)).to_have_value("")
    # and a room added live, with the same form
    await panel.get_by_label("Titel", exact=True).fill("Zusatzraum Energie")
    await panel.locator("#wsa-room-submit").click()
    await expect(mod.locator("#wsa-feedback")).to_have_text(
        "Der Raum Zusatzraum Energie wurde hinzugefügt."
    )
    await expect(mod.locator("#wsa-rooms tr", has_text="Zusatzraum Energie")).to_contain_text(
        "von 40"
    )

    # each room's notes, from the console: to read, and to download as Markdown and as Word
    row = mod.locator("#wsa-rooms tr[data-room='vernetzung']")
    async with mod.context.expect_page() as opened:
        await row.get_by_role("link", name=re.compile("^Notizen von Vernetzung")).click()
    notes = await opened.value
    await expect(notes.get_by_role("heading", level=1)).to_contain_text("Notizen: Vernetzung")
    for name, starts in (("Markdown", b"# Vernetzung"), ("Word", b"PK")):
        async with notes.expect_download() as download:
            await notes.get_by_role("link", name=re.compile(name)).click()
        saved = await (await download.value).path()
        assert saved.read_bytes().startswith(starts), name
    await notes.close()

    # accessibility of the room page and the workshops panel, and the room page by keyboard
    for page in (anna, facilitators[0], mod):
        assert await axe_violations(page) == []
    await anna.locator("#chat-input").focus()
    await anna.keyboard.type("Per Tastatur")
    await anna.keyboard.press("Enter")
    await expect(cem.locator(".chat-message", has_text="Per Tastatur")).to_be_visible()
    await anna.keyboard.press("Shift+Tab")
    help_button = anna.get_by_role("button", name="Hilfe anfordern")
    for _ in range(10):
        if await help_button.evaluate("b => b === document.activeElement"):
            break
        await anna.keyboard.press("Shift+Tab")
    await anna.keyboard.press("Enter")
    await expect(anna.locator("#help-status")).to_contain_text("Die Moderation ist informiert")

    # "bring everyone back" with a short countdown: every room sees it, then the plenary
    await panel.get_by_label("Countdown (Sekunden)").fill("3")
    await panel.get_by_role("button", name="Alle zurückholen").click()
    for page in people:
        await expect(page.locator("#workshop-alert")).to_contain_text("zurück ins Plenum")
    for page in people:
        await expect(page).to_have_url(re.compile(r"/plenary$"), timeout=20_000)
    await expect(mod.locator("#wsa-status")).to_contain_text("läuft nicht")
    await expect(facilitators[0].locator("#workshop-alert")).to_contain_text(
        "Die Workshopphase ist beendet"
    )
