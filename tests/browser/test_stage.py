"""The stage in real browsers, in German and in English: the moderator chooses in the console
what the stream shows (a poll with or without results, the word cloud, the pinned question, the
results gallery, the holding slide); the presenter view follows within a second and keeps it
after a reload; answering the pinned question takes it off the stream."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Page, expect

from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.settings import Settings
from tests.browser.people import join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer, start_servers, stop_servers

TEXTS = {
    "de": {"idle": "Zusammenwachsen", "now": "Im Stream", "holding": "Titelfolie"},
    "en": {"idle": "Zusammenwachsen", "now": "On the stream", "holding": "Holding slide"},
}


@pytest.fixture(scope="module")
def stage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the stage is event-wide."""
    server = start_servers(tmp_path_factory.mktemp("stage-browser"))
    yield server
    stop_servers(server)


async def _call(page: Page, event: str, payload: dict[str, Any]) -> Any:
    return await page.evaluate(
        "([event, payload]) => window.conferenceLive.call(event, payload)", [event, payload]
    )


async def _follows(presenter: Page, stage: str, action: Any) -> float:
    """Do `action`; the presenter view shows `stage` by itself (no reload). Returns the
    milliseconds it took, printed with -s: a figure to look at, not a timed assertion (a
    loaded CI machine must not fail the suite; the target is one second)."""
    started = time.monotonic()
    await action()
    await expect(presenter.locator("#presenter")).to_have_attribute("data-stage", stage)
    elapsed = (time.monotonic() - started) * 1000
    print(f"the presenter view showed {stage} after {elapsed:.0f} ms")
    return elapsed


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_presenter_view_follows_the_console(
    stage_server: LiveServer, new_context: Any, lang: str
) -> None:
    server = stage_server
    texts = TEXTS[lang]
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    _, anna_token = await server.person(name="Anna Arendt", organisation="Initiative Lausitz")
    mod = await join(new_context, server, mod_token)
    await mod.goto(f"{server.url}/moderator?lang={lang}")
    await expect(mod.locator("body[data-live='connected']")).to_be_attached()
    anna = await join(new_context, server, anna_token)
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    presenter = await (await new_context(viewport={"width": 1920, "height": 1080})).new_page()
    await presenter.goto(f"{server.url}/presenter/{key}?lang={lang}")
    console = mod.locator("#stage-console")
    button = lambda name: console.locator(f"button[data-stage={name}]")  # noqa: E731

    # the holding slide with the event's title
    await _follows(presenter, "nothing", lambda: button("nothing").click())
    await expect(presenter.locator("#presenter-idle")).to_contain_text(texts["idle"])
    await expect(console.locator("#stage-current")).to_contain_text(texts["now"])
    await expect(button("nothing")).to_have_attribute("aria-pressed", "true")
    await expect(button("nothing")).to_have_text(texts["holding"])

    # a word cloud: opening it puts it on the stream; answers pack around the centre
    question = f"Was macht Ihre Region stark? ({lang})"
    created = await _call(
        mod, "poll:create", {"room": "plenary", "kind": "wordcloud", "question": question}
    )
    poll_id = created["poll"]["id"]
    await _follows(
        presenter,
        "wordcloud",
        lambda: _call(mod, "poll:open", {"room": "plenary", "id": poll_id}),
    )
    await _call(
        anna,
        "poll:vote",
        {"room": "plenary", "id": poll_id, "words": ["Attraktiver Arbeitgeber", "=1+1"]},
    )
    cloud = presenter.locator("#presenter-results .poll-cloud-packed")
    await expect(
        cloud.locator(".poll-cloud-word", has_text="Attraktiver Arbeitgeber")
    ).to_be_visible()
    await expect(cloud.locator(".poll-cloud-word", has_text="=1+1")).to_be_visible()
    ranked = presenter.locator("#presenter-results .poll-ranked-item")
    await expect(ranked).to_have_count(2)
    await expect(console.locator("#stage-poll")).to_have_value(poll_id)
    await expect(button("results")).to_have_attribute("aria-pressed", "true")

    # the question only: the results leave the stream; with results again
    await button("poll").click()
    await expect(button("poll")).to_have_attribute("aria-pressed", "true")
    await expect(presenter.locator("#presenter-results .poll-cloud")).to_have_count(0)
    await expect(presenter.locator("#presenter-poll-question")).to_have_text(question)
    await button("results").click()
    await expect(presenter.locator("#presenter-results .poll-cloud-packed")).to_be_visible()

    # it stays after a reload of the presenter view
    await presenter.reload()
    await expect(presenter.locator("#presenter")).to_have_attribute("data-stage", "wordcloud")
    await expect(ranked).to_have_count(2)

    # a pinned question: shown, then answered, which takes it off the stream
    body = f"Wer fördert die Initiativen? ({lang})"
    asked = await _call(anna, "question:ask", {"room": "plenary", "body": body})
    ref = {"room": "plenary", "id": asked["question"]["id"]}
    await _call(mod, "question:approve", ref)
    await _call(mod, "question:pin", {**ref, "value": True})
    await expect(console.locator("#stage-pinned")).to_have_text(body)
    await expect(presenter.locator("#presenter-question-body")).to_have_text(body)
    await expect(button("question")).to_have_attribute("aria-pressed", "true")
    assert await axe_violations(presenter) == []
    await _follows(
        presenter, "nothing", lambda: _call(mod, "question:answered", {**ref, "value": True})
    )
    await expect(presenter.locator("#presenter-question")).to_be_hidden()
    await expect(console.locator("#stage-pinned")).not_to_have_text(body)

    # the results gallery
    await _follows(presenter, "gallery", lambda: button("gallery").click())
    await expect(presenter.locator("#presenter-gallery")).to_be_visible()
    await expect(presenter.locator("#presenter-idle")).to_be_hidden()

    # the whole console, in both languages
    assert await axe_violations(mod) == []
    assert await axe_violations(presenter) == []
    await _follows(presenter, "nothing", lambda: button("nothing").click())
    assert await axe_violations(presenter) == []
