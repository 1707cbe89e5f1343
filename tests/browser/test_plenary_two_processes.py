"""The plenary in browsers connected to two server processes on one Redis."""

from __future__ import annotations

from playwright.async_api import expect

from conference.auth.roles import Role
from tests.browser.people import console_section, join
from tests.fixtures.live_server import LiveServer


async def test_chat_announcements_and_removal_across_processes(
    redis_servers: LiveServer, new_context
) -> None:
    first, second = redis_servers.urls
    _, anna_token = await redis_servers.person(name="Anna Eins", organisation="Prozess 1")
    bert_id, bert_token = await redis_servers.person(name="Bert Zwei", organisation="Prozess 2")
    _, mod_token = await redis_servers.person(Role.MODERATOR, name="Mo Eins")
    anna = await join(new_context, redis_servers, anna_token, url=first)
    bert = await join(new_context, redis_servers, bert_token, url=second)
    mod = await join(new_context, redis_servers, mod_token, url=first)

    await anna.locator("#chat-input").fill("Von Prozess 1")
    await anna.locator("#chat-input").press("Enter")
    await expect(bert.locator(".chat-body", has_text="Von Prozess 1")).to_be_visible()
    await bert.locator("#chat-input").fill("Zurück von Prozess 2")
    await bert.locator("#chat-input").press("Enter")
    await expect(anna.locator(".chat-body", has_text="Zurück von Prozess 2")).to_be_visible()
    await expect(mod.locator(".chat-body", has_text="Zurück von Prozess 2")).to_be_visible()

    await mod.locator("#agenda-next").click()
    await expect(bert.locator(".agenda-item.is-current")).to_have_count(1)
    await mod.locator("#announce-input").fill("Über beide Prozesse")
    await mod.locator("#announce-form button[type=submit]").click()
    await expect(bert.locator("#announcement")).to_contain_text("Über beide Prozesse")

    await console_section(mod, "people")
    await expect(mod.locator(f"#people-list li[data-person='{bert_id}']")).to_be_visible()
    await mod.locator(f"#people-list li[data-person='{bert_id}'] .person-remove").click()
    await mod.locator("#remove-confirm").click()
    await expect(bert.locator("#session-ended")).to_be_visible()
    await expect(anna.locator("body")).to_have_attribute("data-live", "connected")
    await mod.locator("#announce-clear").click()
    await expect(anna.locator("#announcement")).to_be_hidden()
