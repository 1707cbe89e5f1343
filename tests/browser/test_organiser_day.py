"""The plenary as an organiser runs it (issue 12), in German and English: the console organised
for the day (tabs by keyboard, what is live at the top, reactions, registrations), the
plenary's new-poll alert, folded closed polls, focus after voting, numbers with the right
plural and a turnout of at most 100 %, Q&A refusals and rejections; every page of the demo
without an error in the browser console."""

from __future__ import annotations

import re
import uuid
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
from tests.polls.helpers import moderator, open_poll, ref

TEXT = {
    "de": {
        "tabs": ["Umfragen", "Fragen", "Personen", "Workshops", "Bericht und Exporte"],
        "places": "von 200 Plätzen",
        "one_answer": "1 Antwort",
        "turnout": r"Beteiligung (\d+(?:,\d)?) % von \d+ Stimmberechtigten",
        "own": "Ihre Frage",
        "rejected": "nicht angenommen",
        "jump": "Zur Umfrage",
        "vote": "Antwort abgeben",
        "unpin": "Nicht mehr anheften",
        "folded": "Wortwolke Geschlossen · 1 Antwort",
        "reopen": "Wieder öffnen",
    },
    "en": {
        "tabs": ["Polls", "Questions", "People", "Workshops", "Report and exports"],
        "places": "of 200 places",
        "one_answer": "1 answer",
        "turnout": r"turnout (\d+(?:\.\d)?) % of (1 person|\d+ people) who could vote",
        "own": "your question",
        "rejected": "did not accept your question",
        "jump": "To the poll",
        "vote": "Send answer",
        "unpin": "Stop pinning",
        "folded": "Word cloud Closed · 1 answer",
        "reopen": "Reopen",
    },
}
SECTIONS = ["polls", "questions", "people", "workshops", "exports"]


@pytest.fixture(scope="module")
def organiser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: counts (turnout, questions waiting, closed polls) are room-wide."""
    server = start_servers(tmp_path_factory.mktemp("organiser-day"))
    yield server
    stop_servers(server)


async def _open(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)


async def _selected(page: Page, name: str) -> None:
    await expect(page.locator(f"#tab-{name}")).to_be_focused()
    await expect(page.locator(f"#tab-{name}")).to_have_attribute("aria-selected", "true")
    for other in SECTIONS:
        panel = page.locator(f"#section-{other}")
        if other == name:
            await expect(panel).to_be_visible()
        else:
            await expect(panel).to_be_hidden()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_console_is_organised_for_the_day(
    organiser_server: LiveServer, new_context: Any, lang: str
) -> None:
    server = organiser_server
    text = TEXT[lang]
    _, mod_token = await server.person(Role.MODERATOR, name=f"Tabea {lang}")
    _, anna_token = await server.person(name=f"Anna {lang}")
    mod = await join(new_context, server, mod_token, viewport={"width": 1366, "height": 768})
    await _open(mod, f"{server.url}/moderator?lang={lang}")

    # the sections are tabs, the first one open; what is live now sits above them, and the
    # tabs are on the first screen of a 1366x768 laptop
    await expect(mod.get_by_role("tablist").get_by_role("tab")).to_have_text(
        [re.compile(rf"^{re.escape(name)}( \d+)?\s*$") for name in text["tabs"]]
    )
    box = await mod.locator("#tab-polls").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] < 768
    await expect(mod.locator("#live-registered")).to_contain_text(text["places"])

    # keyboard: arrows move between tabs (and wrap), Home and End go to the ends; Tab goes
    # from the tab into its panel
    await mod.locator("#tab-polls").focus()
    await mod.keyboard.press("ArrowRight")
    await _selected(mod, "questions")
    await mod.keyboard.press("End")
    await _selected(mod, "exports")
    await mod.keyboard.press("ArrowRight")
    await _selected(mod, "polls")
    await mod.keyboard.press("ArrowLeft")
    await _selected(mod, "exports")
    await mod.keyboard.press("Home")
    await _selected(mod, "polls")
    await mod.keyboard.press("ArrowRight")
    await mod.keyboard.press("ArrowRight")
    await _selected(mod, "people")
    await mod.keyboard.press("Tab")
    await expect(mod.locator("#section-people")).to_be_focused()
    assert await axe_violations(mod) == []
    # the open section is kept in the address: a reload opens it again
    assert mod.url.endswith("#people")
    await _open(mod, mod.url)
    await expect(mod.locator("#section-people")).to_be_visible()
    await expect(mod.locator("#section-polls")).to_be_hidden()

    # registrations against the capacity follow as people come
    figure = mod.locator("#live-registered")
    registered = int((await figure.inner_text()).split()[0])
    _, late_token = await server.person(name=f"Spät {lang}")
    await join(new_context, server, late_token)
    await expect(figure).to_contain_text(f"{registered + 1} {text['places']}")

    # reactions of the room show in the console: the plenary's totals so far, kept on the
    # server, so a reload shows them again
    anna = await join(new_context, server, anna_token)
    count = mod.locator(".console-reaction-list li[data-emoji='👏'] .console-reaction-count")
    before = int(await count.inner_text())
    await anna.locator("button.reaction[data-emoji='👏']").click()
    await expect(count).to_have_text(str(before + 1))
    await _open(mod, mod.url)
    await expect(count).to_have_text(str(before + 1))

    # a question waiting for moderation is counted at the top; the link opens its section
    held = int(await mod.locator("#live-held").inner_text())
    await anna.locator("#qa-input").fill(f"Eine Frage ({lang})")
    await anna.locator("#qa-form button[type=submit]").click()
    await expect(mod.locator("#live-held")).to_have_text(str(held + 1))
    await expect(mod.locator("#tab-badge-questions")).to_have_text(str(held + 1))
    await mod.locator("#live-held").click()
    await expect(mod.locator("#section-questions")).to_be_focused()
    await expect(mod.locator("#section-questions")).to_be_visible()
    await expect(mod.locator("#qa-admin-list")).to_contain_text(f"Eine Frage ({lang})")
    # approved and pinned, the button that undoes the pin says so (not "Lösen", "solve")
    item = mod.locator("#qa-admin-list .qa-item", has_text=f"Eine Frage ({lang})")
    await item.locator("button[data-action=approve]").click()
    await item.locator("button[data-action=pin]").click()
    await expect(item.locator("button[data-action=unpin]")).to_have_text(text["unpin"])
    assert await axe_violations(mod) == []
    await item.locator("button[data-action=unpin]").click()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_ranked_words_keep_whole_words_in_a_narrow_console(
    organiser_server: LiveServer, new_context: Any, connect: Any, lang: str
) -> None:
    server = organiser_server
    mod_client = await moderator(server, connect)
    _, voter_token = await server.person(name=f"Wort {lang}")
    voter = await connect(server.url, voter_token)
    await voter.ok("room:join", {"room": "plenary"})
    poll = await open_poll(
        mod_client, kind="wordcloud", question=f"Vision ({lang})?", max_answers=2
    )
    await voter.ok("poll:vote", {**ref(poll), "words": ["wettbewerbsfähig", "klimaneutral"]})
    _, mod_token = await server.person(Role.MODERATOR, name=f"Schmal {lang}")
    mod = await join(new_context, server, mod_token, viewport={"width": 360, "height": 780})
    await _open(mod, f"{server.url}/moderator?lang={lang}#polls")
    word = mod.locator(
        f"article[data-poll-id='{poll['id']}'] .poll-ranked-word", has_text="wettbewerbsfähig"
    )
    await expect(word).to_be_visible()
    height = await word.evaluate("(el) => el.getBoundingClientRect().height")
    line = await word.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)")
    assert height < line * 1.5, f"the word breaks: {height}px high, a line is {line}px"
    assert await axe_violations(mod) == []


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_new_poll_is_noticed_voting_keeps_focus_and_closed_polls_fold(
    organiser_server: LiveServer, new_context: Any, connect: Any, lang: str
) -> None:
    server = organiser_server
    text = TEXT[lang]
    mod_client = await moderator(server, connect)
    _, anna_token = await server.person(name=f"Paula {lang}")
    anna = await join(new_context, server, anna_token, viewport={"width": 360, "height": 780})
    await _open(anna, f"{server.url}/plenary?lang={lang}")

    question = f"Weiter so? {uuid.uuid4().hex[:6]}"
    poll = await open_poll(mod_client, kind="single", question=question, options=["Ja", "Nein"])
    alert = anna.locator("#poll-alert")
    await expect(alert).to_have_attribute("aria-live", "polite")
    await expect(alert).to_contain_text(question)
    await alert.get_by_role("link", name=text["jump"]).click()
    article = anna.locator(f"#poll-{poll['id']}")
    await expect(article).to_be_focused()
    assert await axe_violations(anna) == []

    # vote by keyboard: after sending, the focus is on the result, not the top of the page
    await article.locator("input[type=radio]").first.focus()
    await anna.keyboard.press("Space")
    await article.get_by_role("button", name=text["vote"]).click()
    results = article.locator(".poll-results")
    await expect(results).to_be_focused()
    footer = results.locator(".poll-footer")
    await expect(footer).to_contain_text(text["one_answer"])
    await expect(footer).not_to_contain_text(text["one_answer"] + ("en" if lang == "de" else "s"))
    match = re.search(text["turnout"], await footer.inner_text())
    assert match, await footer.inner_text()
    assert float(match.group(1).replace(",", ".")) <= 100
    await expect(alert).to_be_empty()  # answered: the alert is gone

    # closed, the poll folds to its question, and the questions follow right below
    await mod_client.ok("poll:close", ref(poll))
    await expect(article.locator("details")).not_to_have_attribute("open", "")
    await expect(article.locator("summary")).to_contain_text(question)
    poll_box = await article.bounding_box()
    qa_box = await anna.locator("#qa").bounding_box()
    assert poll_box is not None
    assert qa_box is not None
    assert qa_box["y"] - poll_box["y"] < 400
    assert await axe_violations(anna) == []


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_closed_polls_fold_to_one_line_in_the_console(
    organiser_server: LiveServer, new_context: Any, connect: Any, lang: str
) -> None:
    server = organiser_server
    text = TEXT[lang]
    mod_client = await moderator(server, connect)
    _, voter_token = await server.person(name=f"Falt {lang}")
    voter = await connect(server.url, voter_token)
    await voter.ok("room:join", {"room": "plenary"})
    tag = uuid.uuid4().hex[:6]
    closed = await open_poll(mod_client, kind="wordcloud", question=f"Gefaltet {tag}?")
    await voter.ok("poll:vote", {**ref(closed), "words": ["Netzwerk"]})
    await mod_client.ok("poll:close", ref(closed))
    # a word cloud without answers yet: no cloud to draw (it broke the list once)
    running = await open_poll(mod_client, kind="wordcloud", question=f"Offen {tag}?")
    draft = (
        await mod_client.ok(
            "poll:create", {"room": "plenary", "kind": "open", "question": f"Entwurf {tag}?"}
        )
    )["poll"]

    _, mod_token = await server.person(Role.MODERATOR, name=f"Falter {lang}")
    mod = await join(new_context, server, mod_token)
    await _open(mod, f"{server.url}/moderator?lang={lang}#polls")

    def card(poll: dict[str, Any]) -> Any:
        return mod.locator(f"#polls-admin article[data-poll-id='{poll['id']}']")

    # open polls and drafts stay unfolded; a closed one is one line: question, kind, status, count
    for poll, action in ((running, "close"), (draft, "open")):
        await expect(card(poll).locator("details.poll-box")).to_have_attribute("open", "")
        await expect(card(poll).locator(f"button[data-action={action}]")).to_be_visible()
    box = card(closed).locator("details.poll-box")
    await expect(box).not_to_have_attribute("open", "")
    summary = box.locator("summary.poll-summary")
    await expect(summary).to_have_text(f"Gefaltet {tag}? {text['folded']}")
    reopen = card(closed).get_by_role("button", name=text["reopen"])
    await expect(reopen).to_be_hidden()
    assert await axe_violations(mod) == []

    # unfolded by keyboard, the whole card: reopen, delete, the exports
    await summary.focus()
    await mod.keyboard.press("Enter")
    await expect(box).to_have_attribute("open", "")
    await expect(reopen).to_be_visible()
    await expect(card(closed).locator("button[data-action=remove]")).to_be_visible()
    await expect(card(closed).locator("a[href$='results.csv']")).to_be_visible()
    assert await axe_violations(mod) == []
    # reopened, it stays unfolded; closed again, it folds again
    await reopen.click()
    await expect(card(closed).locator("button[data-action=close]")).to_be_visible()
    await expect(summary).not_to_contain_text("·")  # the line says "closed" only when it is
    for poll in (closed, running):
        await mod_client.ok("poll:close", ref(poll))
    await expect(box).not_to_have_attribute("open", "")
    await expect(card(running).locator("details.poll-box")).not_to_have_attribute("open", "")
    await mod_client.ok("poll:delete", ref(draft))


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_own_questions_are_not_upvoted_and_a_rejection_is_told(
    organiser_server: LiveServer, new_context: Any, connect: Any, lang: str
) -> None:
    server = organiser_server
    text = TEXT[lang]
    mod_client = await moderator(server, connect)
    _, token = await server.person(name=f"Frieda {lang}")
    page = await join(new_context, server, token)
    await _open(page, f"{server.url}/plenary?lang={lang}")

    body = f"Kommt die Förderung? {uuid.uuid4().hex[:6]}"
    await page.locator("#qa-input").fill(body)
    await page.locator("#qa-form button[type=submit]").click()
    item = page.locator("#qa-list li", has_text=body)
    await expect(item).to_be_visible()
    question_id = await item.get_attribute("data-question-id")
    await mod_client.ok("question:approve", {"room": "plenary", "id": question_id})
    await expect(item.locator(".qa-meta")).to_contain_text(text["own"])
    await expect(item.locator("button.qa-upvote")).to_be_hidden()

    rejected = f"Unpassend {uuid.uuid4().hex[:6]}"
    await page.locator("#qa-input").fill(rejected)
    await page.locator("#qa-form button[type=submit]").click()
    second = page.locator("#qa-list li", has_text=rejected)
    await expect(second).to_be_visible()
    second_id = await second.get_attribute("data-question-id")
    await mod_client.ok("question:reject", {"room": "plenary", "id": second_id})
    await expect(page.locator("#qa-feedback")).to_contain_text(text["rejected"])
    await expect(page.locator("#qa-feedback")).to_contain_text(rejected)
    await expect(second).to_have_count(0)
    assert await axe_violations(page) == []


async def test_no_page_of_the_demo_logs_an_error(
    organiser_server: LiveServer, new_context: Any, connect: Any
) -> None:
    """Front, registration, plenary (the stream offline), a workshop room, the presenter
    view, the console, privacy, accessibility and my data: not one error in the console."""
    server = organiser_server
    mod_client = await moderator(server, connect)
    # the programme has begun: the plenary's player looks at the (offline) demo stream
    await mod_client.ok("agenda:set", {"item": "begruessung"})
    _, participant = await server.person(name="Fehlerfrei Fritz")
    _, facilitator = await server.person(Role.FACILITATOR, name="Team", room="vernetzung")
    _, mod_token = await server.person(Role.MODERATOR, name="Fehlerfrei Mod")
    key = presenter_key(Settings(secret_key=server.env["CONFERENCE_SECRET_KEY"]))
    problems: list[str] = []

    def watch(page: Page) -> None:
        page.on(
            "console",
            lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))

    async def visit(page: Page, path: str, *, live: bool = False) -> None:
        await page.goto(server.url + path)
        if live:
            await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
        await page.wait_for_load_state("networkidle")

    visitor = await (await new_context()).new_page()
    watch(visitor)
    for path in ["/", "/register", "/privacy", "/accessibility", "/leichte-sprache"]:
        await visit(visitor, path)
    await visitor.goto(f"{server.url}/presenter/{key}")
    await expect(visitor.locator("body")).to_be_visible()
    await visitor.wait_for_load_state("networkidle")

    person = await (await new_context()).new_page()
    watch(person)
    await person.goto(f"{server.url}/join/{participant}")
    await expect(person.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    await expect(person.locator("#stream-offline")).to_be_visible()
    await person.wait_for_load_state("networkidle")
    await visit(person, "/my-data")

    host = await (await new_context()).new_page()
    watch(host)
    await host.goto(f"{server.url}/join/{facilitator}")
    await expect(host.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    assert host.url.endswith("/workshop/vernetzung")
    await host.wait_for_load_state("networkidle")

    mod = await (await new_context()).new_page()
    watch(mod)
    await mod.goto(f"{server.url}/join/{mod_token}")
    await expect(mod.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    for name in SECTIONS:
        await mod.locator(f"#tab-{name}").click()
    await mod.wait_for_load_state("networkidle")
    assert problems == [], "\n".join(problems)
