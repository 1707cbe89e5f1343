"""The shared notes over sockets: sync, who may write, limits, bad updates, versions, awareness,
exports; and a seeded random run of several writers on every process, some of them offline."""

from __future__ import annotations

import asyncio
import base64
import io
import random
from typing import Any

import docx
import pycrdt

from conference.auth.roles import Role
from conference.notes.read import current_text
from conference.storage.db import Database
from tests.fixtures.live_server import Client, LiveServer, logged_in
from tests.notes.helpers import Writer, b64
from tests.workshops.helpers import closed_phase, facilitator, moderator, new_room, participant


async def _seated(live: LiveServer, connect: Any, mod: Client, room: str, url: str) -> Client:
    person_id, client = await participant(live, connect, url)
    await mod.ok("workshops:move", {"people": [person_id], "room": room})
    await client.ok("room:join", {"room": room})
    return client


async def _stored(live: LiveServer, room: str) -> str | None:
    db = Database(live.database_url)
    try:
        async with db.read() as conn:
            return await current_text(conn, "kickoff", room)
    finally:
        await db.close()


async def _settle(writers: list[Writer], expected: str, within: float = 10.0) -> None:
    """Every writer's copy reaches `expected` from the broadcasts."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        for writer in writers:
            writer.catch_up()
        if all(str(w) == expected for w in writers):
            return
        if asyncio.get_running_loop().time() > deadline:
            texts = [str(w) for w in writers]
            raise AssertionError(f"no convergence on {expected!r}: {texts!r}")
        await asyncio.sleep(0.05)


async def test_writers_share_a_document_that_survives_them(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=10)
    host = Writer(await facilitator(afternoon, connect, room, "Gastgeber"), room)
    opened = await host.open()
    assert opened["can_write"]
    assert opened["mode"] == "everyone"
    assert str(host).startswith("## Leitfrage")  # the event file's template, once
    await mod.ok("workshops:open", {"minutes": 30})
    anna = Writer(await _seated(afternoon, connect, mod, room, afternoon.urls[-1]), room)
    await anna.open()
    assert str(anna) == str(host)

    ack = await anna.send(anna.edit(lambda t: t.insert(len(str(t).encode()), "Größe: äöü ✓\n")))
    assert ack["data"]["notes_seq"] >= 2
    await _settle([host, anna], str(anna))
    assert (await _stored(afternoon, room)) == str(anna)

    # a participant may not write while only the facilitation does; the server enforces it
    await host.client.ok("notes:mode", {"room": room, "mode": "facilitator"})
    await anna.client.wait_for("notes:mode", lambda d: d["mode"] == "facilitator")
    refused = await anna.send(anna.edit(lambda t: t.insert(0, "X")))
    assert refused["error"]["code"] == "notes.read_only"
    await host.client.ok("notes:mode", {"room": room, "mode": "everyone"})

    # garbage is refused and harms nothing; too large is refused
    before = await _stored(afternoon, room)
    garbage = await anna.client.call("notes:update", {"room": room, "update": b64(b"\x01\x02" * 9)})
    assert garbage["error"]["code"] == "notes.bad_update"
    not_base64 = await anna.client.call("notes:update", {"room": room, "update": "%%%%"})
    assert not_base64["error"]["code"] == "payload.invalid"
    huge = Writer(anna.client, room)
    big = huge.edit(lambda t: t.insert(0, "x" * 45_000))
    assert (await anna.send(big))["error"]["code"] == "notes.too_large"
    bigger = huge.edit(lambda t: t.insert(0, "x" * 60_000))
    assert (await anna.send(bigger))["error"]["code"] == "payload.too_large"
    assert await _stored(afternoon, room) == before

    # only who joined the room reads or writes its notes
    _, outsider = await participant(afternoon, connect)
    for event, payload in (
        ("notes:open", {}),
        ("notes:update", {"update": b64(b"\x00\x00")}),
        ("notes:versions", {}),
    ):
        ack = await outsider.call(event, {"room": room, **payload})
        assert ack["error"]["code"] == "room.not_joined", (event, ack)
    ack = await anna.client.call("notes:mode", {"room": room, "mode": "facilitator"})
    assert ack["error"]["code"] == "auth.forbidden"
    await mod.ok("workshops:close", {})


async def test_cursors_pass_through_and_go_when_a_writer_leaves(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=10)
    host = Writer(await facilitator(afternoon, connect, room, "Gastgeberin"), room)
    await host.open()
    other_client = await facilitator(afternoon, connect, room, "Zweite Moderation")
    other = Writer(other_client, room)
    await other.client.call("notes:open", {"room": room, "state_vector": "", "client": 4242})
    cursor = b64(b"\x01\x92\x21\x01\x02{}")
    await other.client.ok("notes:awareness", {"room": room, "update": cursor})
    await host.client.wait_for("notes:awareness", lambda d: d["update"] == cursor)
    await other.client.ok("room:leave", {"room": room})
    gone = await host.client.wait_for("notes:gone", lambda d: d["room"] == room)
    assert gone["clients"] == [4242]


async def test_random_writers_on_every_process_converge_even_offline(
    afternoon: LiveServer, connect: Any
) -> None:
    rng = random.Random(20270316)
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=20)
    await mod.ok("workshops:open", {"minutes": 30})
    writers = []
    for index in range(6):
        url = afternoon.urls[index % len(afternoon.urls)]
        writer = Writer(await _seated(afternoon, connect, mod, room, url), room)
        await writer.open()
        writers.append(writer)

    def random_edit(text: pycrdt.Text) -> None:
        length = len(str(text))  # ASCII only here: bytes and characters agree
        if length > 20 and rng.random() < 0.35:
            start = rng.randrange(length - 5)
            del text[start : start + rng.randint(1, 5)]
        else:
            word = "".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 6)))
            text.insert(rng.randint(0, length), word + " ")

    offline: dict[int, Writer] = {}
    for step in range(120):
        index = rng.randrange(len(writers))
        writer = writers[index]
        if index in offline:
            writer.edit(random_edit)  # written while the connection is away
            if rng.random() < 0.2:  # back: a new connection, sync by state vector
                url = afternoon.urls[index % len(afternoon.urls)]
                person_id, token = await afternoon.person(name=f"wieder {step}")
                client = await connect(url, token)
                await mod.ok("workshops:move", {"people": [person_id], "room": room})
                writer.client = client
                await client.ok("room:join", {"room": room})
                await writer.open()
                del offline[index]
            continue
        if rng.random() < 0.05 and len(offline) < 2:
            await writer.client.close()
            offline[index] = writer
            continue
        writer.catch_up()
        update = writer.edit(random_edit)
        if rng.random() < 0.1:
            await writer.send(update)  # sent twice: applied once
        assert (await writer.send(update))["ok"]
    for index, writer in list(offline.items()):
        person_id, token = await afternoon.person(name=f"zurück {index}")
        client = await connect(afternoon.urls[index % len(afternoon.urls)], token)
        await mod.ok("workshops:move", {"people": [person_id], "room": room})
        writer.client = client
        await client.ok("room:join", {"room": room})
        await writer.open()
    for writer in writers:
        await writer.open()  # a final sync, as a reload would
    expected = str(writers[0])
    await _settle(writers, expected)
    assert await _stored(afternoon, room) == expected
    fresh = Writer(await facilitator(afternoon, connect, room, "Später"), room)
    await fresh.open()
    assert str(fresh) == expected
    await mod.ok("workshops:close", {})


async def test_versions_kept_at_phase_close_and_restored_as_a_new_edit(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=5)
    host = Writer(await facilitator(afternoon, connect, room, "Versionen"), room)
    await host.open()
    await mod.ok("workshops:open", {"minutes": 30})
    await host.send(host.edit(lambda t: t.insert(len(str(t).encode()), "Ergebnis A\n")))
    at_close = str(host)
    await mod.ok("workshops:close", {})
    listed = await host.client.wait_for("notes:versions", lambda d: d["room"] == room)
    version = listed["version"]
    assert version["kind"] == "auto"
    assert version["name"].startswith("Ende der Workshopphase")
    shown = await host.client.ok("notes:version", {"room": room, "id": version["id"]})
    assert shown["text"] == at_close

    await host.send(host.edit(lambda t: t.insert(0, "Später dazu\n")))
    await host.send(host.edit(lambda t: t.insert(len(str(t).encode()), "Ergebnis B\n")))
    named = await host.client.ok("notes:save", {"room": room, "name": "Mit B"})
    assert named["version"]["kind"] == "named"
    restored = await host.client.ok("notes:restore", {"room": room, "id": version["id"]})
    assert restored["notes_seq"] > 0
    await _settle([host], at_close)
    assert await _stored(afternoon, room) == at_close  # no content twice
    listing = await host.client.ok("notes:versions", {"room": room})
    assert [v["name"] for v in listing["versions"]][:1] == ["Mit B"]


async def test_exports_of_a_room_and_of_every_workshop(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=5, title="Export: Öffentlichkeit")
    _, host_token = await afternoon.person(Role.FACILITATOR, name="Exporteurin", room=room)
    host = Writer(await connect(afternoon.url, host_token), room)
    await host.client.ok("room:join", {"room": room})
    await host.open()
    await host.send(host.edit(lambda t: t.insert(len(str(t).encode()), "- Bürgerdialog\n")))
    async with logged_in(afternoon, host_token) as http:
        md = await http.get(f"/workshop/{room}/notes.md")
        assert md.status_code == 200
        assert "# Export: Öffentlichkeit" in md.text
        assert "- Bürgerdialog" in md.text
        word = await http.get(f"/workshop/{room}/notes.docx")
        document = docx.Document(io.BytesIO(word.content))
        styles = {(p.style.name, p.text) for p in document.paragraphs}
        assert ("Heading 1", "Export: Öffentlichkeit") in styles
        assert ("Heading 2", "Leitfrage") in styles
        assert ("List Bullet", "Bürgerdialog") in styles
        page = await http.get(f"/workshop/{room}/notes")
        assert "Bürgerdialog" in page.text
        assert (await http.get("/moderator/notes.docx")).status_code == 403
    _, stranger = await afternoon.person(name="Fremd")
    async with logged_in(afternoon, stranger) as http:
        assert (await http.get(f"/workshop/{room}/notes.md")).status_code == 403
    _, mod_token = await afternoon.person(Role.MODERATOR, name="Orga")
    async with logged_in(afternoon, mod_token) as http:
        everything = await http.get("/moderator/notes.docx")
        document = docx.Document(io.BytesIO(everything.content))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert "Export: Öffentlichkeit" in headings


async def test_a_bad_state_vector_is_refused(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    room = await new_room(mod, capacity=5)
    host = await facilitator(afternoon, connect, room, "Vektor")
    ack = await host.call(
        "notes:open", {"room": room, "state_vector": base64.b64encode(b"\xff" * 9).decode()}
    )
    assert ack["error"]["code"] == "notes.bad_update"


async def test_many_updates_are_compacted_into_a_snapshot(
    afternoon: LiveServer, connect: Any
) -> None:
    import sqlalchemy as sa

    from conference.notes.docs import COMPACT_EVERY
    from conference.storage.tables import notes_docs, notes_updates

    mod = await moderator(afternoon, connect)
    room = await new_room(mod, capacity=5)
    writers = [
        Writer(await facilitator(afternoon, connect, room, f"Kompakt {i}"), room) for i in range(6)
    ]
    for writer in writers:
        await writer.open()
    per_writer = COMPACT_EVERY // len(writers) + 5

    async def type_(writer: Writer, index: int) -> None:
        for number in range(per_writer):
            token = f"[{index}.{number}]"
            update = writer.edit(lambda t, token=token: t.insert(0, token))
            assert (await writer.send(update))["ok"]
            await asyncio.sleep(0.1)  # within the notes' rate limit

    await asyncio.gather(*(type_(w, i) for i, w in enumerate(writers)))
    db = Database(afternoon.database_url)
    try:
        for _ in range(100):
            async with db.read() as conn:
                row = (
                    await conn.execute(sa.select(notes_docs).where(notes_docs.c.room == room))
                ).one()
                left = (
                    await conn.execute(
                        sa.select(sa.func.count()).where(notes_updates.c.room == room)
                    )
                ).scalar_one()
            if row.snapshot_seq >= COMPACT_EVERY:
                break
            await asyncio.sleep(0.1)
    finally:
        await db.close()
    assert row.snapshot_seq >= COMPACT_EVERY
    assert left == row.seq - row.snapshot_seq  # the snapshot's updates are gone
    stored = await _stored(afternoon, room)
    assert stored is not None
    for index in range(len(writers)):
        for number in range(per_writer):
            assert stored.count(f"[{index}.{number}]") == 1
    late = Writer(await facilitator(afternoon, connect, room, "Nach dem Verdichten"), room)
    await late.open()
    assert str(late) == stored
