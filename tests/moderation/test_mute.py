"""A muted person cannot post: the server refuses, whichever process they are on."""

from __future__ import annotations

from typing import Any

from tests.fixtures.live_server import LiveServer
from tests.leaks import barrier, no_moderators_copies, no_questions_of_others
from tests.polls.helpers import moderator, participant


async def test_a_muted_person_can_neither_chat_nor_ask_until_unmuted(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)  # on the first process
    muted_id, muted_token = await live.person(name="Stör Enfried")
    muted = await connect(live.urls[-1], muted_token)  # on the last
    before = (await muted.ok("room:join", {"room": "plenary"}))["seq"]["plenary"]
    watcher = await participant(live, connect)
    no_moderators_copies(watcher)
    no_questions_of_others(watcher)
    no_moderators_copies(muted, person_id=muted_id)

    await mod.ok("person:mute", {"person_id": muted_id, "muted": True})
    notice = await muted.wait_for("person:muted", lambda d: d["person_id"] == muted_id)
    assert notice["muted"] is True
    await mod.wait_for("person:muted", lambda d: d["person_id"] == muted_id and d["muted"])

    await muted.refused(
        "chat:send",
        {"room": "plenary", "body": "Trotzdem!", "client_id": "muted-0001"},
        "chat.muted",
    )
    await muted.refused("question:ask", {"room": "plenary", "body": "Und jetzt?"}, "chat.muted")
    # nothing was stored: no log entry, no question for the moderators
    synced = await muted.ok("room:sync", {"room": "plenary", "after": before})
    assert [e for e in synced["entries"] if e["type"] in ("chat:message", "question:updated")] == []
    qa = (await mod.ok("room:join", {"room": "plenary"}))["qa"]
    assert "Und jetzt?" not in [q["body"] for q in qa["questions"]]
    # a reconnect on the other process is told it is muted
    again = await connect(live.urls[0], muted_token)
    assert (await again.ok("room:join", {"room": "plenary"}))["me"]["muted"] is True
    await barrier(mod, watcher, muted)  # the mute notices went to the person and moderators only

    await mod.ok("person:mute", {"person_id": muted_id, "muted": False})
    await muted.wait_for("person:muted", lambda d: d["person_id"] == muted_id and not d["muted"])
    sent = await muted.ok(
        "chat:send", {"room": "plenary", "body": "Wieder da", "client_id": "muted-0002"}
    )
    await watcher.wait_for("chat:message", lambda m: m["id"] == sent["id"])


async def test_moderators_cannot_be_muted_or_removed_and_unknown_people_are_not_found(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    other_mod = await moderator(live, connect)
    other_id = (await other_mod.ok("room:join", {"room": "plenary"}))["me"]["id"]
    await mod.refused("person:mute", {"person_id": other_id}, "auth.forbidden")
    await mod.refused("person:remove", {"person_id": other_id}, "auth.forbidden")
    await mod.refused("person:mute", {"person_id": "0" * 32}, "person.not_found")
    await mod.refused("person:remove", {"person_id": "0" * 32}, "person.not_found")
    assert other_mod.sio.connected


async def test_the_people_list_counts_registrations_against_the_capacity(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    before = await mod.ok("presence:list", {"room": "plenary"})
    assert before["capacity"] == 200  # the demo event's
    await live.person(name="Neu Angemeldet")
    after = await mod.ok("presence:list", {"room": "plenary"})
    assert after["registered"] == before["registered"] + 1
