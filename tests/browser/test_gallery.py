"""14:45 "Ergebnisse und Ausblick" in real browsers: a facilitator publishes the workshop's key
results, the plenary and the presenter view show them, two participants upvote and the order
changes live; a participant can neither publish nor upvote twice. The console builds the
report with its progress."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Page, expect

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.browser.people import console_section, join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers

ROOM = "vernetzung"
FIRST, SECOND = "Regionale Stammtische einrichten", "Eine gemeinsame Plattform"


@pytest.fixture(scope="module")
def gallery_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the gallery and the report are event-wide."""
    server = start_servers(tmp_path_factory.mktemp("gallery-browser"))
    yield server
    stop_servers(server)


def _results(page: Page, scope: str) -> Any:
    return page.locator(f"{scope} [data-room='{ROOM}'] li")


async def _call(page: Page, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What the server answers a page that sends `event` itself (as a crafted client would)."""
    answer: dict[str, Any] = await page.evaluate(
        """([event, payload]) => window.conferenceLive.call(event, payload)
            .then((data) => ({ ok: true, data }), (err) => ({ ok: false, code: err.code }))""",
        [event, payload],
    )
    return answer


async def test_key_results_from_the_workshop_to_the_plenary_and_the_stream(
    gallery_server: LiveServer, new_context: Any
) -> None:
    server = gallery_server
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    _, host_token = await server.person(Role.FACILITATOR, name="Team Vernetzung", room=ROOM)
    anna_token = (await server.person(name="Anna Arendt"))[1]
    bert_token = (await server.person(name="Bert Brecht"))[1]

    host = await join(new_context, server, host_token)
    assert host.url.endswith(f"/workshop/{ROOM}")
    anna = await join(new_context, server, anna_token)
    bert = await join(new_context, server, bert_token)
    await expect(anna.locator("#gallery")).to_be_hidden()
    mod = await join(new_context, server, mod_token)
    presenter = await (await new_context()).new_page()
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    await presenter.goto(f"{server.url}/presenter/{key}")

    # no list under "Ergebnisse" in the notes yet: nothing to take
    take = host.get_by_role("button", name="Aus den Notizen übernehmen")
    await host.locator("#notes-editor .cm-content").click()
    await host.keyboard.press("Control+a")
    await host.keyboard.insert_text("## Leitfrage\nWie vernetzen wir uns?\n\n## Ergebnisse\n")
    await take.click()
    await expect(host.locator("#gallery-form-feedback")).to_have_text(
        "In den Notizen steht noch keine Liste unter „Ergebnisse“."
    )
    # the facilitator writes two results in the notes' list and takes them over, then
    # publishes them (the phase is not running)
    await host.locator("#notes-editor .cm-content").click()
    await host.keyboard.press("Control+End")
    await host.keyboard.insert_text(f"- {FIRST}\n- {SECOND}\n\n## Nächste Schritte\n- Termin\n")
    await take.click()
    await expect(host.locator("#gallery-form-feedback")).to_have_text(
        "2 Kernergebnisse aus den Notizen übernommen: bitte prüfen und speichern."
    )
    await expect(host.locator("#gallery-result-1")).to_have_value(FIRST)
    await expect(host.locator("#gallery-result-2")).to_have_value(SECOND)
    await expect(host.locator("#gallery-result-3")).to_have_value("")
    await host.locator("#gallery-form button[type=submit]").click()
    await expect(host.locator("#gallery-form-feedback")).not_to_be_empty()
    await host.locator("#gallery-publish").click()
    await expect(host.locator("#gallery-publish")).to_be_hidden()
    assert await axe_violations(host) == []

    # the plenary shows the card at once, in the facilitator's order
    for page in (anna, bert):
        await expect(_results(page, "#gallery-cards")).to_have_count(2)
        await expect(_results(page, "#gallery-cards").first).to_contain_text(FIRST)
    assert await axe_violations(anna) == []
    # a participant cannot publish
    refused = await _call(anna, "gallery:publish", {"room": ROOM})
    assert refused == {"ok": False, "code": "auth.forbidden"}

    # the moderator puts the gallery on the stream (the console's "on the stream now")
    show = mod.locator("#stage-console button[data-stage=gallery]")
    await show.click()
    await expect(show).to_have_attribute("aria-pressed", "true")
    await expect(presenter.locator("#presenter-gallery")).to_be_visible()
    await expect(_results(presenter, "#presenter-gallery")).to_have_count(2)
    await expect(presenter.locator("#presenter-idle")).to_be_hidden()

    # two participants upvote the second result: it moves up everywhere, live
    second = anna.locator("#gallery-cards li.gallery-result", has_text=SECOND)
    await second.locator("button.gallery-upvote").click()
    await expect(_results(bert, "#gallery-cards").first).to_contain_text(SECOND)
    await expect(_results(presenter, "#presenter-gallery").first).to_contain_text(SECOND)
    await (
        bert.locator("#gallery-cards li.gallery-result", has_text=SECOND)
        .locator("button.gallery-upvote")
        .click()
    )
    await expect(_results(anna, "#gallery-cards").first).to_contain_text("2")
    await expect(_results(presenter, "#presenter-gallery").first).to_contain_text("2")
    # nobody upvotes twice: the button is done, and the server refuses a second try
    await expect(second.locator("button.gallery-upvote")).to_be_disabled()
    await expect(second.locator("button.gallery-upvote")).to_have_attribute("aria-pressed", "true")
    result_id = await second.get_attribute("data-result-id")
    again = await _call(anna, "gallery:upvote", {"id": result_id})
    assert again == {"ok": False, "code": "gallery.already_upvoted"}
    assert await axe_violations(presenter) == []

    # the console builds the report; its progress shows until the download is there
    await console_section(mod, "exports")
    await mod.locator("#report-build").click()
    await expect(mod.locator("#report-list li[data-status='ready'] a")).to_be_visible(
        timeout=120_000
    )
    await expect(mod.locator("#report-progress-box")).to_be_hidden()
    assert await axe_violations(mod) == []
