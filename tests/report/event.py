"""A short event over sockets, for the report and the exports: polls of every kind, questions,
two workshops with key results, and attendance."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from conference.auth.roles import Role
from conference.storage.db import Database
from conference.storage.tables import attendance
from tests.fixtures.live_server import Client, LiveServer
from tests.notes.helpers import Writer

WORKSHOPS = ("vernetzung", "fachkraefte")
CONSENTED = ("Erika Einverstanden", "Emil Einverstanden")
UNNAMED = ("Ulla Ungenannt", "Udo Ungenannt")
# agreed to be named, asked a question that was shown, then removed by the moderators: the
# question stays in the report, her name goes from it
REMOVED, REMOVED_QUESTION = "Rita Rauswurf", "Kommt die Aufzeichnung online?"
REACTIONS = ("👏", "👏", "🤔", "👏", "❤️")  # sent by the people in turn
NOTES = {
    "vernetzung": "\n### Verabredungen\n\n- **Stammtisch** im Mai\n- Plattform *prüfen*\n",
    "fachkraefte": "\n### Offene Punkte\n\n1. Ausbildungsverbund klären\n",
}
KEY_RESULTS = {
    "vernetzung": ["Regionale Stammtische einrichten", "Gemeinsame Plattform", "Mentoring"],
    "fachkraefte": ["Ausbildungsverbund gründen", "Zuwanderung erleichtern"],
}


@dataclass
class ShortEvent:
    moderator_token: str
    polls: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)


async def _visits_written(live: LiveServer, at_least: int) -> None:
    """Attendance is written in batches about once a second: wait until it is there."""
    db = Database(live.database_url)
    try:
        for _ in range(100):
            async with db.read() as conn:
                count = (
                    await conn.execute(sa.select(sa.func.count()).select_from(attendance))
                ).scalar_one()
            if count >= at_least:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"only {count} visits written")
    finally:
        await db.close()


async def run_short_event(live: LiveServer, connect: Any) -> ShortEvent:
    _, mod_token = await live.person(Role.MODERATOR, name="Moderation")
    mod: Client = await connect(live.url, mod_token)
    await mod.ok("room:join", {"room": "plenary"})
    people: list[Client] = []
    for index, name in enumerate(CONSENTED + UNNAMED):
        _, token = await live.person(
            name=name,
            organisation="Beispiel GmbH",
            workshop_first=WORKSHOPS[index % 2],
            consent=name in CONSENTED,
        )
        client: Client = await connect(live.url, token)
        await client.ok("room:join", {"room": "plenary"})
        people.append(client)
    await mod.ok("agenda:set", {"item": "begruessung"})
    event = ShortEvent(mod_token)

    async def poll(votes: list[dict[str, Any]], **definition: Any) -> None:
        created = await mod.ok("poll:create", {"room": "plenary", **definition})
        ref = {"room": "plenary", "id": created["poll"]["id"]}
        await mod.ok("poll:open", ref)
        for client, vote in zip(people, votes, strict=False):
            await client.ok("poll:vote", {**ref, **vote})
        closed = await mod.ok("poll:close", ref)
        event.polls.append(closed["poll"])

    await poll(
        [{"options": ["o1"]}, {"options": ["o1"]}, {"options": ["o2"]}, {"options": ["o1"]}],
        kind="single",
        question="Wie sind Sie heute dabei?",
        options=["Aus dem Büro", "Von zu Hause"],
        anonymous=False,
    )
    await poll(
        [{"options": ["o1", "o2"]}, {"options": ["o2"]}, {"options": ["o3"]}],
        kind="multiple",
        question="Welche Themen sind Ihnen wichtig?",
        options=["Energie", "Fachkräfte", "Digitalisierung"],
        max_choices=3,
    )
    await poll(
        [
            {"words": ["klimaneutral", "innovationsfähig"]},
            {"words": ["klimaneutral"]},
            {"words": ["wettbewerbsfähig", "klimaneutral"]},
            {"words": ["attraktiver Arbeitgeber"]},
        ],
        kind="wordcloud",
        question="Wie sieht Ihre Vision einer zukunftsfähigen Industrie aus?",
        max_answers=3,
    )
    await poll(
        [{"rating": 5}, {"rating": 4}, {"rating": 4}, {"rating": 2}],
        kind="rating",
        question="Wie ist Ihre Stimmung?",
        scale_min=1,
        scale_max=5,
    )
    await poll(
        [{"text": "Mehr Zeit für Austausch"}, {"text": "Gute Technik"}],
        kind="open",
        question="Was nehmen Sie mit?",
    )
    open_poll = event.polls[-1]
    await mod.ok("poll:answers:show", {"room": "plenary", "id": open_poll["id"], "all": True})

    await mod.ok("agenda:set", {"item": "panel"})
    bodies = [
        "Wie werden kleine Betriebe beteiligt?",
        "Gibt es Fördermittel für Netzwerke?",
        "Wann startet die Beratung?",
    ]
    for client, body in zip(people, bodies, strict=False):
        asked = await client.ok("question:ask", {"room": "plenary", "body": body})
        event.questions.append(asked["question"])
    first, second, _ = event.questions
    await mod.ok("question:approve", {"room": "plenary", "id": first["id"]})
    await mod.ok("question:approve", {"room": "plenary", "id": second["id"]})
    for client in people[1:]:
        await client.ok("question:upvote", {"room": "plenary", "id": first["id"]})
    await people[0].ok("question:upvote", {"room": "plenary", "id": second["id"]})
    await mod.ok("question:answered", {"room": "plenary", "id": first["id"], "value": True})
    rita_id, rita_token = await live.person(
        name=REMOVED, organisation="Beispiel GmbH", consent=True
    )
    rita: Client = await connect(live.url, rita_token)
    await rita.ok("room:join", {"room": "plenary"})
    asked = await rita.ok("question:ask", {"room": "plenary", "body": REMOVED_QUESTION})
    await mod.ok("question:approve", {"room": "plenary", "id": asked["question"]["id"]})
    await mod.ok("person:remove", {"person_id": rita_id})

    # the mood in the room: reactions are kept per minute; a moderator's burst carries the
    # plenary's totals once they are kept
    mark = mod.mark()
    for client, emoji in zip(people * 2, REACTIONS, strict=False):
        await client.ok("reaction:send", {"room": "plenary", "emoji": emoji})
    await mod.wait_for(
        "reaction:burst", lambda d: d.get("totals") == dict(Counter(REACTIONS)), since=mark
    )

    # the afternoon: two workshops with their facilitators' key results
    await mod.ok("agenda:set", {"item": "workshops"})
    hosts = {}
    for room in WORKSHOPS:
        _, token = await live.person(Role.FACILITATOR, name=f"Leitung {room}", room=room)
        hosts[room] = await connect(live.url, token)
        await hosts[room].ok("room:join", {"room": room})
    await mod.ok("workshops:open", {"minutes": 30, "mode": "assigned"})
    for index, client in enumerate(people):
        await client.ok("room:join", {"room": WORKSHOPS[index % 2]})
    for room, texts in KEY_RESULTS.items():
        await hosts[room].ok("gallery:save", {"room": room, "results": texts})
        notes = Writer(hosts[room], room)
        await notes.open()
        end = len(str(notes.text).encode())
        sent = await notes.send(
            notes.edit(lambda text, at=end, room=room: text.insert(at, NOTES[room]))
        )
        assert sent["ok"], sent
    await mod.ok("workshops:close", {})
    await mod.ok("agenda:set", {"item": "abschluss"})
    card = await people[0].wait_for("gallery:card", lambda d: d["card"]["room"] == "fachkraefte")
    second_result = card["card"]["results"][1]
    for client in people[:3]:
        await client.ok("gallery:upvote", {"id": second_result["id"]})
    await _visits_written(live, at_least=len(people) * 2)
    return event
