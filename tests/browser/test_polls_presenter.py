"""Polls and questions in real browsers: the prepared word cloud and rating, a question from
submission to the presenter view."""

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

VISION = "Wie sieht Ihre Vision"
MOOD = "Wie ist Ihre Stimmung?"


def _poll(page: Page, question: str, container: str) -> Any:
    return page.locator(f"{container} article.poll", has_text=question)


async def _answer_words(page: Page, words: list[str]) -> None:
    poll = _poll(page, VISION, "#polls")
    await expect(poll.locator("form")).to_be_visible()
    inputs = poll.locator("input[name=word]")
    for index, word in enumerate(words):
        await inputs.nth(index).fill(word)
    await inputs.nth(0).press("Enter")  # keyboard: Enter submits the form
    await expect(poll.locator(".poll-mine")).to_be_visible()


async def _rate(page: Page, value: int) -> None:
    poll = _poll(page, MOOD, "#polls")
    radio = poll.locator(f"input[type=radio][value='{value}']")
    await radio.focus()
    await radio.press("Space")
    await poll.locator("button[type=submit]").press("Enter")
    await expect(poll.locator(".poll-mine")).to_be_visible()


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the event file's prepared polls exist once per event, so a test
    that opens and answers them must not share them with other tests (or a second run)."""
    server = start_servers(tmp_path_factory.mktemp("prepared-polls"))
    yield server
    stop_servers(server)


async def test_word_cloud_rating_and_a_question_reach_the_presenter_view(
    fresh_server: LiveServer, new_context: Any
) -> None:
    server = fresh_server
    _, anna_token = await server.person(name="Anna Arendt", organisation="Initiative Lausitz")
    _, bert_token = await server.person(name="Bert Brecht", organisation="Forum Ostwürttemberg")
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    mod = await join(new_context, server, mod_token)
    anna = await join(new_context, server, anna_token)
    bert = await join(new_context, server, bert_token)
    presenter_context = await new_context()
    presenter = await presenter_context.new_page()
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    link = mod.locator("#stage-console .stage-presenter-link a")
    assert await link.get_attribute("href") == f"/presenter/{key}"
    await presenter.goto(f"{server.url}/presenter/{key}")

    # the moderator opens the prepared word cloud; two participants answer
    vision = _poll(mod, VISION, "#polls-admin")
    await vision.locator("button[data-action=open]").click()
    await expect(vision.locator(".poll-status")).not_to_have_text("")
    await expect(vision.locator("button[data-action=close]")).to_be_visible()
    await _answer_words(anna, ["klimaneutral", "wettbewerbsfähig"])
    await _answer_words(bert, ["Klimaneutral "])

    # counted whatever the case; shown as written (a tie: the same spelling everywhere)
    cloud = presenter.locator("#presenter-poll")
    await expect(presenter.locator("#presenter-poll-question")).to_contain_text(VISION)
    await expect(
        cloud.locator(".poll-ranked-item[data-word='Klimaneutral'] .poll-ranked-count")
    ).to_have_text("2")
    await expect(
        cloud.locator(".poll-ranked-item[data-word='wettbewerbsfähig'] .poll-ranked-count")
    ).to_have_text("1")
    await expect(cloud.locator(".poll-ranked-item").first).to_have_attribute(
        "data-word", "Klimaneutral"
    )
    await expect(cloud.locator(".poll-cloud-word", has_text="wettbewerbsfähig")).to_be_visible()
    # the participants see the same ranked list, with a text equivalent beside the cloud
    ranked = _poll(bert, VISION, "#polls").locator(".poll-ranked-item[data-word='Klimaneutral']")
    await expect(ranked).to_contain_text("2")
    await vision.locator("button[data-action=close]").click()
    # closed, it folds to one line; unfolded, it offers to reopen
    await expect(vision.locator("details.poll-box")).not_to_have_attribute("open", "")
    await expect(vision.locator(".poll-fold-note")).to_have_text("Geschlossen · 2 Antworten")
    await vision.locator("summary.poll-summary").click()
    await expect(vision.locator("button[data-action=reopen]")).to_be_visible()

    # the rating of the room's mood shows its average
    mood = _poll(mod, MOOD, "#polls-admin")
    await mood.locator("button[data-action=open]").click()
    await _rate(anna, 4)
    await _rate(bert, 5)
    await expect(presenter.locator("#presenter-poll-question")).to_have_text(MOOD)
    await expect(presenter.locator("#presenter-results .poll-average")).to_contain_text("4,5")
    await expect(_poll(anna, MOOD, "#polls").locator(".poll-average")).to_contain_text("4,5")
    await expect(mood.locator(".poll-average")).to_contain_text("4,5")

    # a question: submitted, approved, upvoted by the other participant, pinned, on the stream
    text = "Wie geht es nach dem Kickoff weiter?"
    await anna.locator("#qa-input").fill(text)
    await anna.locator("#qa-form button[type=submit]").click()
    await expect(anna.locator("#qa-list .qa-item", has_text=text)).to_be_visible()
    await expect(bert.locator("#qa-list .qa-item", has_text=text)).to_have_count(0)
    await console_section(mod, "questions")
    held = mod.locator("#qa-admin-list .qa-item", has_text=text)
    await held.locator("button[data-action=approve]").click()
    shown = bert.locator("#qa-list .qa-item", has_text=text)
    await expect(shown).to_be_visible()
    await shown.locator("button.qa-upvote").click()
    await expect(shown.locator("button.qa-upvote")).to_have_attribute("aria-pressed", "true")
    await expect(held.locator(".qa-meta")).to_contain_text("1")
    await held.locator("button[data-action=pin]").click()
    await expect(presenter.locator("#presenter-question-body")).to_have_text(text)
    await expect(presenter.locator("#presenter-question-meta")).to_contain_text("Anna Arendt")
    await expect(presenter.locator("#presenter-question-meta")).to_contain_text("1")

    assert await axe_violations(presenter) == []
    assert await axe_violations(anna) == []
    assert await axe_violations(mod) == []
    await presenter_context.close()


async def test_a_live_poll_with_a_countdown_from_the_console(
    memory_server: LiveServer, new_context: Any
) -> None:
    server = memory_server
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    _, anna_token = await server.person(name="Anna Arendt")
    mod = await join(new_context, server, mod_token)
    anna = await join(new_context, server, anna_token)

    question = "Welcher Workshop zuerst?"
    await mod.locator("#polls-admin details.poll-create summary").click()
    form = mod.locator("#poll-create")
    await form.locator("[name=kind]").select_option("single")
    await form.locator("[name=question]").fill(question)
    await form.locator("[name=options]").fill("Vernetzung\nFörderung\nFachkräfte")
    await form.locator("[name=duration_seconds]").fill("6")
    await form.locator("button[type=submit]").click()
    poll = _poll(mod, question, "#polls-admin")
    await poll.locator("button[data-action=open]").click()

    mine = _poll(anna, question, "#polls")
    await expect(mine.locator(".poll-timer")).to_be_visible()
    radio = mine.locator("input[type=radio][value=o2]")
    await radio.focus()
    await radio.press("Space")
    await mine.locator("button[type=submit]").press("Enter")
    await expect(mine.locator(".poll-mine")).to_contain_text("Förderung")
    # the countdown closes the poll by itself (it folds); the final results reach everyone
    await expect(poll.locator("details.poll-box")).not_to_have_attribute("open", "", timeout=15_000)
    await poll.locator("summary.poll-summary").click()
    await expect(poll.locator("button[data-action=reopen]")).to_be_visible()
    await expect(mine.locator(".poll-timer")).to_be_hidden()
    await expect(mine.locator("form")).to_have_count(0)
    await expect(mine.locator(".poll-row", has_text="Förderung")).to_contain_text("1 (100 %)")


async def test_open_answers_are_held_until_the_moderator_shows_them(
    memory_server: LiveServer, new_context: Any
) -> None:
    server = memory_server
    _, mod_token = await server.person(Role.MODERATOR, name="Mia Moderatorin")
    _, anna_token = await server.person(name="Anna Arendt")
    mod = await join(new_context, server, mod_token)
    anna = await join(new_context, server, anna_token)

    question = "Was nehmen Sie heute mit?"
    await mod.locator("#polls-admin details.poll-create summary").click()
    form = mod.locator("#poll-create")
    await form.locator("[name=kind]").select_option("open")
    await form.locator("[name=question]").fill(question)
    await form.locator("button[type=submit]").click()
    poll = _poll(mod, question, "#polls-admin")
    await poll.locator("button[data-action=open]").click()

    mine = _poll(anna, question, "#polls")
    await mine.locator("textarea").fill("Viele neue Kontakte")
    await mine.locator("button[type=submit]").click()
    await expect(mine.locator(".poll-mine")).to_contain_text("Viele neue Kontakte")
    await expect(mine.locator(".poll-answer")).to_have_count(0)  # held

    show = poll.locator(".poll-answer button[data-ref]")
    await expect(show).to_have_count(1)
    await show.focus()
    await show.press("Enter")
    await expect(mine.locator(".poll-answer", has_text="Viele neue Kontakte")).to_be_visible()
    await expect(poll.locator(".poll-answer button[data-ref]")).to_have_count(0)
