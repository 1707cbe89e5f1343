"""The page's realtime client in a real browser: gaps and reconnects, muting, rate limits."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import Page, expect

from conference.auth.roles import Role
from conference.rooms.handlers import SYNC_LIMIT
from tests.browser.people import console_section, join
from tests.fixtures.browser import axe_violations
from tests.fixtures.live_server import LiveServer

ROOM = "plenary"
KEEP = 300  # CHAT_KEEP in static/js/lib/chat-ui.js: the messages a chat list keeps
WATCH_BUSY = """() => {
    window.busy = [];
    const log = document.getElementById("chat-scroll");
    new MutationObserver(() => busy.push(log.getAttribute("aria-busy"))).observe(
        log, {attributes: true, attributeFilter: ["aria-busy"]});
}"""
FAILING_WEBSOCKET = """
window.WebSocket = class extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    setTimeout(() => {
      this.readyState = 3;
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "" });
    }, 10);
  }
  send() {}
  close() {}
};
"""


async def _bodies(page: Page, prefix: str) -> list[str]:
    texts = await page.locator(".chat-message .chat-body").all_text_contents()
    return [t for t in texts if t.startswith(prefix)]


async def test_missed_broadcasts_and_a_lost_connection_are_caught_up_once_in_order(
    memory_server: LiveServer, new_context, connect
) -> None:
    _, anna_token = await memory_server.person(name="Anna Lücke")
    _, bert_token = await memory_server.person(name="Bert Sender")
    anna = await join(new_context, memory_server, anna_token)
    bert = await connect(memory_server.url, bert_token)
    await bert.ok("room:join", {"room": ROOM})

    async def say(text: str) -> None:
        await bert.ok("chat:send", {"room": ROOM, "body": text, "client_id": f"id-{text}"[:64]})

    # broadcasts lost on the way (as when Redis was away): the page sees the gap and syncs
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:leave', {room: 'plenary'})")
    for i in range(3):
        await say(f"gap-{i}")
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:join', {room: 'plenary'})")
    await say("gap-3")
    expected = [f"gap-{i}" for i in range(4)]
    await expect(anna.locator(".chat-body", has_text="gap-3")).to_be_visible()
    await expect(anna.locator(".chat-body", has_text="gap-0")).to_be_visible()
    assert await _bodies(anna, "gap-") == expected

    # the connection drops; messages sent meanwhile appear once, in order, after reconnecting
    await anna.evaluate("window.conferenceLive.socket.io.engine.transport.ws.close()")
    await expect(anna.locator("body")).to_have_attribute("data-live", "reconnecting")
    await expect(anna.locator("#connection-status")).to_be_visible()
    # written while offline: sent once the page is back, exactly once
    await anna.locator("#chat-input").fill("unterwegs geschrieben")
    await anna.locator("#chat-input").press("Enter")
    for i in range(5):
        await say(f"lost-{i}")
    await expect(anna.locator("body")).to_have_attribute("data-live", "connected", timeout=15_000)
    await expect(anna.locator("#connection-status")).to_be_hidden()
    await say("lost-5")
    await expect(anna.locator(".chat-body", has_text="lost-5")).to_be_visible()
    assert await _bodies(anna, "lost-") == [f"lost-{i}" for i in range(6)]
    assert await _bodies(anna, "gap-") == expected
    await bert.wait_for("chat:message", lambda m: m["body"] == "unterwegs geschrieben")
    assert await _bodies(anna, "unterwegs") == ["unterwegs geschrieben"]
    await expect(anna.locator("#chat-input")).to_have_value("")
    # and the page can still send
    await anna.locator("#chat-input").fill("wieder da")
    await anna.locator("#chat-input").press("Enter")
    await bert.wait_for("chat:message", lambda m: m["body"] == "wieder da")
    assert (
        len([m for m in bert.received["chat:message"] if m["body"] == "unterwegs geschrieben"]) == 1
    )


async def test_a_muted_participant_is_told_and_cannot_post(
    memory_server: LiveServer, new_context
) -> None:
    muted_id, token = await memory_server.person(name="Max Stumm")
    _, mod_token = await memory_server.person(Role.MODERATOR, name="Mod Mute")
    page = await join(new_context, memory_server, token)
    mod = await join(new_context, memory_server, mod_token)
    await console_section(mod, "people")
    row = mod.locator(f"#people-list li[data-person='{muted_id}']")
    await row.locator(".person-mute").click()
    await expect(page.locator("#chat-muted")).to_be_visible()
    await expect(page.locator("#chat-input")).to_be_disabled()
    await expect(page.locator("#chat-send")).to_be_disabled()
    await expect(page.locator("#chat-feedback")).to_contain_text("stummgeschaltet")
    await expect(row.locator(".person-muted")).to_be_visible()
    # still muted after a reload (from the snapshot)
    await page.reload()
    await expect(page.locator("body[data-live='connected']")).to_be_attached()
    await expect(page.locator("#chat-input")).to_be_disabled()
    await row.locator(".person-mute").click()
    await expect(page.locator("#chat-input")).to_be_enabled()
    await expect(page.locator("#chat-muted")).to_be_hidden()
    await page.locator("#chat-input").fill("Darf wieder")
    await page.locator("#chat-input").press("Enter")
    await expect(mod.locator(".chat-body", has_text="Darf wieder")).to_be_visible()


async def test_flooding_is_refused_with_a_visible_message(
    memory_server: LiveServer, new_context
) -> None:
    _, token = await memory_server.person(name="Flora Flut")
    page = await join(new_context, memory_server, token)
    composer = page.locator("#chat-input")
    # a burst of reactions uses up the person's allowance; the message right after is refused
    await page.evaluate(
        """() => {
            for (let i = 0; i < 40; i++) {
                window.conferenceLive.call("reaction:send", {room: "plenary", emoji: "👏"})
                    .catch(() => {});
            }
            document.getElementById("chat-input").value = "flut";
            document.getElementById("chat-form").requestSubmit();
        }"""
    )
    await expect(page.locator("#chat-feedback")).to_contain_text("zu schnell")
    # the refused text stays in the composer to send again
    assert (await composer.input_value()).startswith("flut")


async def test_the_length_limit_is_shown(memory_server: LiveServer, new_context) -> None:
    _, token = await memory_server.person(name="Lara Lang")
    page = await join(new_context, memory_server, token)
    await expect(page.locator("#chat-limit")).to_have_text("0 von 1000 Zeichen")
    await page.locator("#chat-input").fill("Hallo")
    await expect(page.locator("#chat-limit")).to_have_text("5 von 1000 Zeichen")
    assert await page.locator("#chat-input").get_attribute("maxlength") == "1000"


async def test_a_long_absence_is_caught_up_page_by_page_and_the_list_keeps_the_last_300(
    unlimited_server: LiveServer, new_context, connect
) -> None:
    _, anna_token = await unlimited_server.person(name="Anna Abwesend")
    _, eric_token = await unlimited_server.person(name="Eric English")
    _, bert_token = await unlimited_server.person(name="Bert Viel")
    anna = await join(new_context, unlimited_server, anna_token)
    await anna.evaluate(
        "() => { window.snapshots = 0; window.conferenceLive.onSnapshot(() => snapshots++); }"
    )
    assert await anna.evaluate("window.snapshots") == 1
    # an English page that stays and gets every message live
    eric = await (await new_context()).new_page()
    await eric.goto(f"{unlimited_server.url}/join/{eric_token}?lang=en")
    await expect(eric.locator("body[data-live='connected']")).to_be_attached(timeout=10_000)
    await expect(eric.locator("html")).to_have_attribute("lang", "en")
    bert = await connect(unlimited_server.url, bert_token)
    await bert.ok("room:join", {"room": ROOM})

    sent: dict[str, int] = {}  # body -> seq

    async def send(body: str) -> None:
        message = await bert.ok("chat:send", {"room": ROOM, "body": body, "client_id": body})
        sent[body] = message["seq"]

    async def say(prefix: str, count: int) -> None:
        for start in range(0, count, 50):
            await asyncio.gather(
                *(send(f"{prefix}-{i:05d}") for i in range(start, min(start + 50, count)))
            )

    def last() -> list[str]:
        """The bodies the list keeps: the last 300 sent, in the order of the log."""
        return sorted(sent, key=sent.__getitem__)[-KEEP:]

    async def kept(page: Page) -> list[int]:
        seqs: list[int] = await page.locator(".chat-message").evaluate_all(
            "items => items.map(item => Number(item.dataset.seq))"
        )
        assert seqs == sorted(seqs)
        assert len(seqs) == len(set(seqs)) == KEEP  # the oldest went, nothing twice
        return seqs

    await expect(anna.locator("#chat-trimmed")).to_be_hidden()
    # more than one sync page of broadcasts lost on the way: the page sees the gap and pages
    # through the log (no fresh snapshot that would drop what lies between); the list keeps
    # the last 300, says so at its top, and the replay is marked busy while connected
    await anna.evaluate(WATCH_BUSY)
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:leave', {room: 'plenary'})")
    await say("viel", SYNC_LIMIT + 20)
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:join', {room: 'plenary'})")
    await send("viel-ende")
    await expect(anna.locator(".chat-body", has_text="viel-ende")).to_be_visible()
    await expect(anna.locator("#chat-scroll")).not_to_have_attribute("aria-busy", "true")
    assert await anna.evaluate("window.busy") == ["true", None]
    bodies = await _bodies(anna, "viel-")
    assert bodies == last()
    assert bodies[-1] == "viel-ende"
    assert await kept(anna) == [sent[b] for b in bodies]
    # above the list and outside its live region: a count that changes is not read out
    trimmed = anna.locator("#chat-trimmed")
    assert await trimmed.evaluate("note => !note.closest('[aria-live]')")
    await expect(trimmed).to_be_visible()
    hidden_note = anna.locator("#chat-trimmed-text")
    await expect(hidden_note).to_have_text(
        re.compile(r"^\d+ ältere Nachrichten sind ausgeblendet\.$")
    )
    assert await anna.evaluate("window.snapshots") == 1
    # the live page: the same last 300, the note in English
    await expect(eric.locator(".chat-body", has_text="viel-ende")).to_be_visible()
    assert await _bodies(eric, "viel-") == bodies
    await kept(eric)
    await expect(eric.locator("#chat-trimmed-text")).to_have_text(
        re.compile(r"^\d+ older messages are hidden\.$")
    )

    # the page is away (a closed laptop lid) while 700 messages are said; back, it shows the
    # last 300 of them once, in order. Eric has paused the chat meanwhile (WCAG 2.2.2): the
    # page counts all 700 as waiting but holds no more than the list would keep
    await anna.evaluate("window.conferenceLive.socket.disconnect()")
    await expect(anna.locator("body")).to_have_attribute("data-live", "reconnecting")
    pause = eric.get_by_role("button", name="Pause new messages")
    await pause.click()
    await say("weg", 700)
    await expect(eric.locator("#chat-pending")).to_have_text(
        "700 new messages held back while paused."
    )
    assert await _bodies(eric, "weg-") == []
    await pause.click()
    await expect(eric.locator("#chat-pending")).to_have_text("")
    await anna.evaluate("window.conferenceLive.socket.connect()")
    await expect(anna.locator("body")).to_have_attribute("data-live", "connected", timeout=30_000)
    newest = last()[-1]
    await expect(anna.locator(".chat-body", has_text=newest)).to_be_visible()
    assert await _bodies(anna, "weg-") == last()
    assert await _bodies(anna, "viel-") == []
    assert await anna.evaluate("window.snapshots") == 2
    await kept(anna)
    await expect(trimmed).to_be_visible()
    # the replay was not read out as news: the log is no longer busy once caught up
    await expect(anna.locator("#chat-scroll")).not_to_have_attribute("aria-busy", "true")
    await expect(eric.locator(".chat-body", has_text=newest)).to_be_visible()
    assert await _bodies(eric, "weg-") == last()
    assert await axe_violations(anna) == []
    assert await axe_violations(eric) == []

    # the hidden ones are there on request: a hundred at a time, at the top, in order
    hidden = int((await hidden_note.text_content() or "").split()[0])
    assert hidden >= len(sent) - KEEP
    await anna.get_by_role("button", name="Ältere Nachrichten zeigen").click()
    await expect(hidden_note).to_have_text(f"{hidden - 100} ältere Nachrichten sind ausgeblendet.")
    order = sorted(sent, key=sent.__getitem__)
    assert await _bodies(anna, "") == order[-(KEEP + 100) :]
    seqs = await anna.locator(".chat-message").evaluate_all(
        "items => items.map(item => Number(item.dataset.seq))"
    )
    assert seqs == sorted(set(seqs))
    assert len(seqs) == KEEP + 100


async def test_room_resync_catches_up_without_a_further_broadcast(
    memory_server: LiveServer, new_context, connect
) -> None:
    """After Redis was away the server sends `room:resync` (tests/realtime/test_redis_outage.py):
    the page asks `room:sync` at once, not only when the next broadcast shows a gap."""
    _, anna_token = await memory_server.person(name="Anna Ahnungslos")
    _, bert_token = await memory_server.person(name="Bert Stille")
    anna = await join(new_context, memory_server, anna_token)
    bert = await connect(memory_server.url, bert_token)
    await bert.ok("room:join", {"room": ROOM})
    # a broadcast lost between processes: Anna's page does not get it
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:leave', {room: 'plenary'})")
    await bert.ok("chat:send", {"room": ROOM, "body": "still-verloren", "client_id": "still-0001"})
    await anna.evaluate("window.conferenceLive.socket.emitWithAck('room:join', {room: 'plenary'})")
    await anna.wait_for_timeout(300)
    await expect(anna.locator(".chat-body", has_text="still-verloren")).to_have_count(0)
    await anna.evaluate(
        "window.conferenceLive.socket._anyListeners.forEach((fn) => fn('room:resync', {}))"
    )
    await expect(anna.locator(".chat-body", has_text="still-verloren")).to_have_count(1)


REFUSE_JOINS_WHILE_REDIS_IS_AWAY = """() => {
    const socket = window.conferenceLive.socket;
    window.refusals = 2;
    const emit = socket.emit.bind(socket);
    socket.emit = (event, ...args) => {
        if (event === "room:join" && window.refusals > 0) {
            window.refusals--;
            const ack = args[args.length - 1];
            const error = {code: "state.unavailable", message: "kurz unterbrochen"};
            setTimeout(() => ack(null, {ok: false, error}), 10);
            return socket;
        }
        return emit(event, ...args);
    };
    socket.disconnect();
    window.statuses = [];
    window.conferenceLive.onStatus((state) => statuses.push(state));
    socket.connect();
}"""


async def test_a_join_refused_while_redis_is_away_is_retried(
    memory_server: LiveServer, new_context
) -> None:
    """`state.unavailable` (tests/realtime/test_redis_outage.py has the server's side) is
    retried by the page within seconds, shown as reconnecting, never as an error."""
    _, token = await memory_server.person(name="Rita Retry")
    page = await join(new_context, memory_server, token)
    await page.evaluate(REFUSE_JOINS_WHILE_REDIS_IS_AWAY)
    await expect(page.locator("body")).to_have_attribute("data-live", "connected", timeout=10_000)
    assert await page.evaluate("window.refusals") == 0
    assert await page.evaluate("window.statuses") == ["reconnecting", "connected"]
    await expect(page.locator("#connection-status")).to_be_hidden()


async def test_a_participant_cannot_moderate(memory_server: LiveServer, new_context) -> None:
    _, token = await memory_server.person(name="Paul Probierer")
    page = await join(new_context, memory_server, token)
    refused = await page.evaluate(
        """async () => {
            const out = [];
            for (const [event, payload] of [
                ["agenda:set", {step: 1}],
                ["announce:post", {text: "Ich bin die Moderation"}],
                ["presence:list", {room: "plenary"}],
                ["chat:delete", {room: "plenary", id: "x"}],
            ]) {
                try {
                    await window.conferenceLive.call(event, payload);
                    out.push([event, "ok", ""]);
                } catch (err) {
                    out.push([event, err.code, err.message]);
                }
            }
            return out;
        }"""
    )
    for event, code, message in refused:
        assert code == "auth.forbidden", event
        assert message == "Dazu sind Sie nicht berechtigt."
    response = await page.goto(memory_server.url + "/moderator")
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")


async def test_without_websockets_the_page_falls_back_to_polling(
    memory_server: LiveServer, new_context, connect
) -> None:
    _, token = await memory_server.person(name="Petra Polling")
    _, other_token = await memory_server.person(name="Otto Socket")
    context = await new_context()

    # a proxy that refuses the websocket upgrade: the browser's WebSocket fails to open
    await context.add_init_script(FAILING_WEBSOCKET)
    page = await context.new_page()
    await page.goto(f"{memory_server.url}/join/{token}")
    await expect(page.locator("body[data-live='connected']")).to_be_attached(timeout=15_000)
    transport = await page.evaluate("window.conferenceLive.socket.io.engine.transport.name")
    assert transport == "polling"
    other = await connect(memory_server.url, other_token)
    await other.ok("room:join", {"room": ROOM})
    await page.locator("#chat-input").fill("Über Long-Polling")
    await page.locator("#chat-input").press("Enter")
    await other.wait_for("chat:message", lambda m: m["body"] == "Über Long-Polling")
    await other.ok(
        "chat:send", {"room": ROOM, "body": "Antwort per Websocket", "client_id": "ws-answer-1"}
    )
    await expect(page.locator(".chat-body", has_text="Antwort per Websocket")).to_be_visible()


async def test_the_people_list_keeps_keyboard_focus_when_people_come_and_go(
    memory_server: LiveServer, new_context, connect
) -> None:
    person_id, token = await memory_server.person(name="Fritz Fokus")
    _, mod_token = await memory_server.person(Role.MODERATOR, name="Mod Fokus")
    await join(new_context, memory_server, token)
    mod = await join(new_context, memory_server, mod_token)
    await console_section(mod, "people")
    mute = mod.locator(f"#people-list li[data-person='{person_id}'] .person-mute")
    await mute.focus()
    await mute.evaluate("el => el.dataset.marked = 'yes'")
    newcomer_id, newcomer = await memory_server.person(name="Nora Neu")
    client = await connect(memory_server.url, newcomer)
    await client.ok("room:join", {"room": ROOM})
    await expect(mod.locator(f"#people-list li[data-person='{newcomer_id}']")).to_be_visible()
    await expect(mod.locator("#people-list .person-mute[data-marked='yes']")).to_be_focused()
    # muting by keyboard keeps the focus on the (relabelled) button
    await mod.keyboard.press("Enter")
    await expect(
        mod.locator(f"#people-list li[data-person='{person_id}'] .person-muted")
    ).to_be_visible()
    await expect(
        mod.locator(f"#people-list li[data-person='{person_id}'] .person-mute")
    ).to_be_focused()


async def test_a_message_whose_ack_is_lost_is_retried_and_stored_once(
    memory_server: LiveServer, new_context, connect
) -> None:
    _, token = await memory_server.person(name="Rita Retry")
    _, reader_token = await memory_server.person(name="Leo Leser")
    page = await join(new_context, memory_server, token)
    reader = await connect(memory_server.url, reader_token)
    await reader.ok("room:join", {"room": ROOM})
    # the message leaves, then the connection drops before its ack can come back
    await page.evaluate(
        """() => {
            const live = window.conferenceLive;
            window.retried = live.call("chat:send", {
                room: "plenary", body: "Ack verloren", client_id: "ack-lost-0001"});
            live.socket.io.engine.transport.ws.close();
        }"""
    )
    await expect(page.locator("body")).to_have_attribute("data-live", "connected", timeout=15_000)
    stored = await page.evaluate("() => window.retried")
    assert stored["client_id"] == "ack-lost-0001"
    await expect(page.locator(".chat-body", has_text="Ack verloren")).to_have_count(1)
    marker = await reader.ok(
        "chat:send", {"room": ROOM, "body": "danach", "client_id": "ack-lost-marker"}
    )
    await reader.wait_for("chat:message", lambda m: m["id"] == marker["id"])
    copies = [m for m in reader.received["chat:message"] if m["client_id"] == "ack-lost-0001"]
    assert len(copies) == 1
    assert copies[0]["id"] == stored["id"]
    await expect(page.locator(".chat-body", has_text="Ack verloren")).to_have_count(1)
