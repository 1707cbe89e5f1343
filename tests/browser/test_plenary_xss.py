"""User text (chat, names, organisations, announcements) is shown as text and never runs."""

from __future__ import annotations

from playwright.async_api import Page, expect

from conference.auth.roles import Role
from tests.browser.people import console_section, join
from tests.fixtures.live_server import LiveServer

PAYLOADS = [
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">klick mich</a>',
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "</script><script>window.__xss=1</script>",
    "' onmouseover='window.__xss=1' x='",
    "{{ 7*7 }} ${window.__xss=1} %(name)s &lt;b&gt;",
    "<details open ontoggle=window.__xss=1>",
]
MARKUP = "script, img, svg, iframe, a[href^='javascript'], details, b"


async def _no_script_ran(page: Page) -> None:
    assert await page.evaluate("window.__xss") is None
    for region in ("#chat-log", "#announcement", "#people-list"):
        if await page.locator(region).count():
            assert await page.locator(region).locator(MARKUP).count() == 0, region


async def test_xss_payloads_in_chat_names_and_announcements_stay_text(
    memory_server: LiveServer, new_context
) -> None:
    server = memory_server
    evil = [
        await server.person(name=PAYLOADS[i], organisation=PAYLOADS[i + 1])
        for i in range(0, len(PAYLOADS), 2)
    ]
    _, reader_token = await server.person(name="Rita Reader", organisation="Lesekreis")
    _, mod_token = await server.person(Role.MODERATOR, name="Mo Derator")
    sender = await join(new_context, server, evil[0][1])
    others = [await join(new_context, server, token) for _, token in evil[1:]]
    reader = await join(new_context, server, reader_token)
    mod = await join(new_context, server, mod_token)

    for index, payload in enumerate(PAYLOADS):
        author = ([sender, *others])[index % len(evil)]
        await author.locator("#chat-input").fill(payload)
        await author.locator("#chat-input").press("Enter")
        await expect(author.locator("#chat-input")).to_have_value("")
    for page in (reader, mod):
        bodies = page.locator(".chat-message .chat-body")
        for payload in PAYLOADS:
            await expect(bodies.filter(has_text=payload).first).to_have_text(payload)
        names = page.locator(".chat-message .chat-name")
        orgs = page.locator(".chat-message .chat-org")
        for i in range(0, len(PAYLOADS), 2):
            await expect(names.filter(has_text=PAYLOADS[i]).first).to_have_text(PAYLOADS[i])
            await expect(orgs.filter(has_text=PAYLOADS[i + 1]).first).to_have_text(PAYLOADS[i + 1])
    # the moderator's list of people present shows the names literally, too
    await console_section(mod, "people")
    people = mod.locator("#people-list .person-name")
    for i in range(0, len(PAYLOADS), 2):
        await expect(people.filter(has_text=PAYLOADS[i])).to_have_count(1)

    for payload in PAYLOADS[:4]:
        await mod.locator("#announce-input").fill(payload)
        await mod.locator("#announce-form button[type=submit]").click()
        await expect(reader.locator("#announcement .announcement-text")).to_have_text(payload)
        await expect(mod.locator("#announce-current")).to_have_text(payload)

    # the moderator's remove dialog names the person literally
    await mod.locator("#people-list li", has_text=PAYLOADS[2]).locator(".person-remove").click()
    await expect(mod.locator("#remove-dialog-text")).to_contain_text(PAYLOADS[2])
    await mod.locator("#remove-cancel").click()

    # the same after a reload, from the snapshot's history
    await reader.reload()
    await expect(reader.locator("body[data-live='connected']")).to_be_attached()
    await expect(reader.locator(".chat-body").filter(has_text=PAYLOADS[0]).first).to_be_visible()
    await reader.locator(".chat-message").first.hover()
    for page in (sender, *others, reader, mod):
        await _no_script_ran(page)
    await mod.locator("#announce-clear").click()
    await expect(reader.locator("#announcement")).to_be_hidden()
