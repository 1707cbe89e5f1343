"""The afternoon over sockets: seats from preferences, the seat race, the phase and its timer,
rooms that are not one's own, help, and everyone back in the plenary."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import sqlalchemy as sa

from conference.storage.db import Database
from conference.storage.tables import attendance
from tests.fixtures.asserted import refused
from tests.fixtures.live_server import Client, LiveServer, logged_in
from tests.workshops.helpers import closed_phase, facilitator, moderator, new_room, participant


def _seat(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    seat: dict[str, Any] | None = snapshot["workshops"]["seat"]
    return seat


async def test_the_assignment_follows_first_and_second_choice_within_capacity(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    small = await new_room(mod, capacity=2)
    other = await new_room(mod, capacity=3)
    wanting = [
        await participant(afternoon, connect, workshop_first=small, workshop_second=other)
        for _ in range(4)
    ]
    result = await mod.ok("workshops:assign", {})
    assert result["seated"] >= 4
    seats = {}
    for person_id, client in wanting:
        seats[person_id] = _seat(await client.ok("room:join", {"room": "plenary"}))
    rooms = [seats[person_id]["room"] for person_id, _ in wanting]
    # the first two who registered get their first choice, the others their second
    assert rooms == [small, small, other, other]
    assert not any(seats[p]["waiting"] for p, _ in wanting)
    # one more with the same wishes finds both full: the waitlist of the first choice
    late_id, late = await participant(
        afternoon, connect, workshop_first=small, workshop_second=small
    )
    await mod.ok("workshops:assign", {})
    waiting = _seat(await late.ok("room:join", {"room": "plenary"}))
    assert waiting == {**waiting, "room": small, "waiting": True, "position": 1}
    # a seat that frees goes to the first on the waitlist, who is told
    await mod.ok("workshops:move", {"people": [wanting[0][0]], "room": other})
    notice = await late.wait_for("workshops:seat", lambda n: not n["seat"]["waiting"])
    assert notice == {"person_id": late_id, "seat": {**notice["seat"], "room": small}}
    # moving into a full room is refused per person, not for the whole batch
    moved = await mod.ok("workshops:move", {"people": [wanting[2][0], late_id], "room": small})
    assert [r["code"] for r in moved["refused"]] == ["workshop.full"]


async def test_the_last_seats_go_to_exactly_as_many_people_on_every_process(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=5)
    await mod.ok("workshops:mode", {"mode": "choose"})
    clients: list[Client] = []
    for index in range(100):
        _, client = await participant(
            afternoon, connect, afternoon.urls[index % len(afternoon.urls)], join=False
        )
        clients.append(client)
    acks = await asyncio.gather(*(c.call("workshop:choose", {"room": room}) for c in clients))
    taken = [ack for ack in acks if ack["ok"]]
    assert len(taken) == 5
    for ack in acks:
        if not ack["ok"]:
            refused(ack, "workshop.full")
    overview = await mod.ok("workshops:overview", {})
    counted = next(r for r in overview["rooms"] if r["id"] == room)
    assert (counted["taken"], counted["free"]) == (5, 0)
    await mod.ok("workshops:mode", {"mode": "assigned"})
    # in "assigned" mode a participant with a seat cannot choose another
    ack = await clients[acks.index(taken[0])].call("workshop:choose", {"room": room})
    refused(ack, "workshop.choice_closed")


async def test_a_participant_cannot_enter_read_or_post_in_a_room_that_is_not_theirs(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    mine, foreign = await new_room(mod, capacity=10), await new_room(mod, capacity=10)
    person_id, anna = await participant(afternoon, connect)
    await mod.ok("workshops:move", {"people": [person_id], "room": mine})

    closed = await anna.call("room:join", {"room": mine})
    refused(closed, "room.closed")
    await mod.ok("workshops:open", {"minutes": 30})
    await anna.ok("room:join", {"room": mine})
    refused(await anna.call("room:join", {"room": foreign}), "room.not_yours")
    for event, payload in (
        ("chat:send", {"body": "Hallo?", "client_id": "foreign-room-1"}),
        ("room:sync", {"after": 0}),
        ("question:ask", {"body": "Darf ich?"}),
        ("reaction:send", {"emoji": "👏"}),
        ("poll:vote", {"id": "p" * 32, "options": ["o1"]}),
        ("poll:results", {"id": "p" * 32}),
        ("workshop:help", {}),
    ):
        ack = await anna.call(event, {"room": foreign, **payload})
        refused(ack, "room.not_joined", event)
    for event, payload in (
        ("presence:list", {}),
        ("chat:delete", {"id": "m" * 32}),
        ("poll:create", {"kind": "open", "question": "?"}),
    ):
        ack = await anna.call(event, {"room": foreign, **payload})
        refused(ack, "auth.forbidden", event)
    # a facilitator of another room is not let in either
    other_facilitator = await facilitator(afternoon, connect, mine, "Fremde Moderation")
    ack = await other_facilitator.call("room:join", {"room": foreign})
    refused(ack, "room.not_yours")

    # moved by hand during the phase: out of the old room at once, into the new one
    await mod.ok("workshops:move", {"people": [person_id], "room": foreign})
    await anna.wait_for("workshops:seat", lambda n: n["seat"]["room"] == foreign)
    for _ in range(50):  # the other process sends her out when the seat notice reaches it
        ack = await anna.call("chat:send", {"room": mine, "body": "x", "client_id": "after-move"})
        if not ack["ok"] and ack["error"]["code"] != "rate.limited":
            break
        await asyncio.sleep(0.1)
    refused(ack, "room.not_joined")
    await anna.ok("room:join", {"room": foreign})
    await mod.ok("workshops:close", {})


async def test_the_timer_reaches_every_room_and_everyone_comes_back(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    rooms = [await new_room(mod, capacity=10), await new_room(mod, capacity=10)]
    people = []
    for index, room in enumerate(rooms):
        url = afternoon.urls[index % len(afternoon.urls)]
        person_id, client = await participant(afternoon, connect, url)
        await mod.ok("workshops:move", {"people": [person_id], "room": room})
        people.append((client, room))
    host = await facilitator(afternoon, connect, rooms[0], "Team Testraum")

    opened = await mod.ok("workshops:open", {"minutes": 2})
    ends_at = dt.datetime.fromisoformat(opened["phase"]["ends_at"])
    for client, room in people:
        phase = await client.wait_for("workshops:phase", lambda d: d["phase"]["status"] == "open")
        assert phase["phase"]["ends_at"] == opened["phase"]["ends_at"]
        snapshot = await client.ok("room:join", {"room": room})
        assert snapshot["workshops"]["phase"]["status"] == "open"
        assert snapshot["event"]["phase"] == "workshops"

    extended = await mod.ok("workshops:extend", {"minutes": 5})
    assert dt.datetime.fromisoformat(extended["phase"]["ends_at"]) == ends_at + dt.timedelta(
        minutes=5
    )
    for client, _ in [*people, (host, rooms[0])]:
        await client.wait_for(
            "workshops:phase", lambda d: d["phase"]["ends_at"] == extended["phase"]["ends_at"]
        )
    # chat in a room stays in that room
    first, second = people[0][0], people[1][0]
    sent = await first.ok(
        "chat:send", {"room": rooms[0], "body": "Nur für Raum eins", "client_id": "room-one-1"}
    )
    await host.wait_for("chat:message", lambda m: m["id"] == sent["id"])
    assert all(m["id"] != sent["id"] for m in second.received["chat:message"])

    # help from a room reaches the moderators and the room's facilitator; the answer the room
    asked = await first.ok("workshop:help", {"room": rooms[0], "message": "Ton fehlt"})
    await mod.wait_for("workshop:help", lambda d: d["request"]["id"] == asked["request"]["id"])
    await host.wait_for("workshop:help", lambda d: d["request"]["id"] == asked["request"]["id"])
    await mod.ok("workshops:help_answer", {"id": asked["request"]["id"]})
    await first.wait_for("workshop:help_answered", lambda d: d["by"] == "Moderation")

    # "bring everyone back": a countdown, then the phase closes by itself everywhere
    back = await mod.ok("workshops:return", {"seconds": 1})
    assert back["phase"]["status"] == "returning"
    for client, _ in people:
        await client.wait_for("workshops:phase", lambda d: d["phase"]["status"] == "returning")
        await client.wait_for(
            "workshops:phase", lambda d: d["phase"]["status"] == "closed", within=10
        )
    for client, room in people:
        late = {"room": room, "body": "x", "client_id": "late-send-1"}
        ack = await client.call("chat:send", late)
        refused(ack, "room.not_joined")
        refused(await client.call("room:join", {"room": room}), "room.closed")
    # the facilitator may stay in their room
    await host.ok("chat:send", {"room": rooms[0], "body": "Danke!", "client_id": "host-send-1"})

    # attendance: each participant entered their room and left it when the phase closed
    # (visits are written about once a second: read until they are, for at most 10 s)
    db = Database(afternoon.database_url)
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            async with db.read() as conn:
                visits = list(
                    await conn.execute(sa.select(attendance).where(attendance.c.room.in_(rooms)))
                )
            participants_visits = [v for v in visits if v.role == "participant"]
            closed = {v.person_id for v in participants_visits if v.left_at is not None}
            if len(closed) == 2 or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.1)
    finally:
        await db.close()
    assert len({v.person_id for v in participants_visits}) == 2
    assert all(v.left_at is not None for v in participants_visits)


async def test_a_facilitator_manages_their_room_only(afternoon: LiveServer, connect: Any) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    mine, other = await new_room(mod, capacity=5), await new_room(mod, capacity=5)
    host = await facilitator(afternoon, connect, mine, "Gastgeberin")
    created = await host.ok("poll:create", {"room": mine, "kind": "open", "question": "Was noch?"})
    changed = await host.wait_for(
        "poll:changed", lambda d: d["poll"]["id"] == created["poll"]["id"]
    )
    assert changed["room"] == mine
    elsewhere = await mod.ok("poll:create", {"room": other, "kind": "open", "question": "Und?"})
    await mod.wait_for("poll:changed", lambda d: d["poll"]["id"] == elsewhere["poll"]["id"])
    assert all(d["room"] == mine for d in host.received["poll:changed"])
    ack = await host.call("poll:open", {"room": other, "id": elsewhere["poll"]["id"]})
    refused(ack, "auth.forbidden")
    listed = await host.ok("presence:list", {"room": mine})
    assert [p["name"] for p in listed["people"]] == ["Gastgeberin"]


async def test_the_timer_survives_a_restart_of_a_process(
    afternoon: LiveServer, connect: Any
) -> None:
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    opened = await mod.ok("workshops:open", {"minutes": 45})
    afternoon.restart(0)
    again = await moderator(afternoon, connect)
    snapshot = await again.ok("room:join", {"room": "plenary"})
    assert snapshot["workshops"]["phase"]["ends_at"] == opened["phase"]["ends_at"]
    assert snapshot["workshops"]["phase"]["status"] == "open"
    await again.ok("workshops:close", {})


async def test_choosing_twice_at_once_still_gives_the_freed_seat_to_the_waitlist(
    afternoon: LiveServer, connect: Any
) -> None:
    """The same person chooses two rooms at once on two processes: whichever wins, the seat
    they leave goes to the first person waiting for it."""
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    await mod.ok("workshops:mode", {"mode": "choose"})
    for _ in range(5):
        mod = await moderator(afternoon, connect)  # a fresh one each time: the rate limit
        full, one, two = [await new_room(mod, capacity=c) for c in (1, 5, 5)]
        person_id, token = await afternoon.person()
        chooser = [await connect(url, token) for url in (afternoon.urls[0], afternoon.urls[-1])]
        waiting_id, _ = await participant(afternoon, connect, join=False)
        await mod.ok("workshops:move", {"people": [person_id], "room": full})
        await mod.ok("workshops:move", {"people": [waiting_id], "room": full, "waitlist": True})
        acks = await asyncio.gather(
            chooser[0].call("workshop:choose", {"room": one}),
            chooser[1].call("workshop:choose", {"room": two}),
        )
        assert all(ack["ok"] for ack in acks), acks
        overview = {r["id"]: r for r in (await mod.ok("workshops:overview", {}))["rooms"]}
        assert (overview[full]["taken"], overview[full]["waiting"]) == (1, 0)
        assert overview[one]["taken"] + overview[two]["taken"] == 1


async def test_a_withdrawal_reaches_the_facilitator_of_the_room(
    afternoon: LiveServer, connect: Any
) -> None:
    """A participant withdraws from the event: the question they asked in their workshop goes
    from the facilitator's list too, not only from the moderators'."""
    mod = await moderator(afternoon, connect)
    await closed_phase(mod)
    room = await new_room(mod, capacity=5)
    host = await facilitator(afternoon, connect, room, "Gastgeber Gerd")
    person_id, token = await afternoon.person(name="Wanda Weg")
    await mod.ok("workshops:move", {"people": [person_id], "room": room})
    await mod.ok("workshops:open", {"minutes": 30})
    wanda = await connect(afternoon.url, token)
    await wanda.ok("room:join", {"room": room})
    asked = await wanda.ok("question:ask", {"room": room, "body": "Wer macht mit?"})
    question_id = asked["question"]["id"]
    await host.wait_for("question:changed", lambda d: d["question"]["id"] == question_id)
    host.mark()
    async with logged_in(afternoon, token) as http:
        assert (await http.post("/my-data/withdraw", data={"confirm": "yes"})).status_code == 200
    gone = await host.wait_for("question:changed", lambda d: d["question"]["id"] == question_id)
    assert gone == {
        "room": room,
        "question": {"id": question_id, "room": room, "status": "withdrawn"},
    }
    await mod.ok("workshops:close", {})
