"""A simulated event day on the demo event, through the public interfaces: people register,
join, chat, ask, upvote, vote, react, go to their workshop, call for help, and one of them
withdraws. Returns every piece of
personal data it created, so a test can look for it afterwards."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from conference.auth.people import hash_token
from conference.demo import prepare_demo
from conference.settings import Settings
from conference.storage.db import Database
from conference.storage.tables import join_tokens, people
from tests.fixtures.live_server import Client

LINK = re.compile(r"/join/([A-Za-z0-9_-]+)")


@dataclass
class Day:
    needles: set[str] = field(default_factory=set)  # personal data that must vanish
    kept_words: set[str] = field(default_factory=set)  # aggregated answers that may stay
    shown_answers: set[str] = field(default_factory=set)  # open answers shown to the room
    withdrawn_id: str = ""
    withdrawn_token: str = ""


def _registration(name: str, email: str, organisation: str) -> dict[str, str]:
    return {
        "name": name,
        "organisation": organisation,
        "email": email,
        "workshop_first": "vernetzung",
        "workshop_second": "fachkraefte",
        "consent": "yes",
    }


async def _register(http: httpx.AsyncClient, day: Day, index: int) -> str:
    tag = uuid.uuid4().hex[:8]
    name, email = f"Zelda Zuverlässig {tag}", f"zelda-{tag}@example.org"
    organisation = f"Zuverlässig-Werke {tag}"
    page = await http.post("/register", data=_registration(name, email, organisation))
    assert page.status_code == 200, page.text
    day.needles |= {name, email, organisation}
    tokens = set(LINK.findall(page.text))
    assert len(tokens) == 1, page.text
    return tokens.pop()


async def _joined(connect: Any, url: str, token: str) -> Client:
    client: Client = await connect(url, token)
    await client.ok("room:join", {"room": "plenary"})
    return client


async def simulate_day(urls: list[str], settings: Settings, connect: Any) -> Day:
    """The day, spread over every server in `urls`; everyone has disconnected at the end."""
    day = Day()
    demo = await prepare_demo(settings, urls[0])
    moderator_token = re.search(r"Moderator:\s+\S+/join/(\S+)", demo)
    assert moderator_token is not None, demo
    demo_participants = re.findall(r"Participant:\s+\S+/join/(\S+)\s+\((.+)\)", demo)
    day.needles |= {name for _, name in demo_participants}

    async with httpx.AsyncClient(base_url=urls[0], timeout=20) as http:
        tokens = [await _register(http, day, i) for i in range(4)]
    tokens += [token for token, _ in demo_participants]
    mod = await _joined(connect, urls[0], moderator_token.group(1))
    people_ = [await _joined(connect, urls[i % len(urls)], t) for i, t in enumerate(tokens)]

    # chat: everyone writes; a moderator deletes one message (its text is still personal data)
    sent = []
    for i, client in enumerate(people_):
        body = f"Beitrag {uuid.uuid4().hex} von Person {i}"
        day.needles.add(body)
        sent.append(
            await client.ok(
                "chat:send", {"room": "plenary", "body": body, "client_id": uuid.uuid4().hex}
            )
        )
    await mod.ok("chat:delete", {"room": "plenary", "id": sent[1]["id"]})

    # questions: one approved, pinned and upvoted; one anonymous; one left held
    asked = []
    for client, anonymous in ((people_[0], False), (people_[1], True), (people_[2], False)):
        body = f"Frage {uuid.uuid4().hex}?"
        day.needles.add(body)
        asked.append(
            (
                await client.ok(
                    "question:ask", {"room": "plenary", "body": body, "anonymous": anonymous}
                )
            )["question"]
        )
    for question in asked[:2]:
        await mod.ok("question:approve", {"room": "plenary", "id": question["id"]})
    await mod.ok("question:pin", {"room": "plenary", "id": asked[0]["id"], "value": True})
    for client in people_[1:4]:
        await client.ok("question:upvote", {"room": "plenary", "id": asked[0]["id"]})

    # polls: the prepared word cloud and rating, and an open question
    drafts = {
        p["key"]: p for p in (await mod.ok("room:join", {"room": "plenary"}))["polls"]["polls"]
    }
    for key in ("vision", "stimmung"):
        await mod.ok("poll:open", {"room": "plenary", "id": drafts[key]["id"]})
    created = await mod.ok(
        "poll:create", {"room": "plenary", "kind": "open", "question": "Was nehmen Sie mit?"}
    )
    open_poll = created["poll"]
    await mod.ok("poll:open", {"room": "plenary", "id": open_poll["id"]})
    words = ["klimaneutral", "wettbewerbsfähig", "innovationsfähig"]
    day.kept_words |= set(words)
    for i, client in enumerate(people_):
        vision = {"room": "plenary", "id": drafts["vision"]["id"], "words": words[: 1 + i % 3]}
        await client.ok("poll:vote", vision)
        await client.ok(
            "poll:vote", {"room": "plenary", "id": drafts["stimmung"]["id"], "rating": 1 + i % 5}
        )
        text = f"Antwort {uuid.uuid4().hex}"
        await client.ok("poll:vote", {"room": "plenary", "id": open_poll["id"], "text": text})
        if i == 0:
            day.shown_answers.add(text)
        else:
            day.needles.add(text)
    results = await mod.ok("poll:results", {"room": "plenary", "id": open_poll["id"]})
    first = next(a for a in results["answers"] if a["text"] in day.shown_answers)
    await mod.ok(
        "poll:answers:show", {"room": "plenary", "id": open_poll["id"], "refs": [first["ref"]]}
    )
    for key in ("vision", "stimmung"):
        await mod.ok("poll:close", {"room": "plenary", "id": drafts[key]["id"]})
    await mod.ok("poll:close", {"room": "plenary", "id": open_poll["id"]})
    for client in people_:
        await client.ok("reaction:send", {"room": "plenary", "emoji": "👏"})

    # the afternoon: seats from the registrations' choices, a visit to a workshop room and a
    # call for help; the person who withdraws below gives up a seat
    await mod.ok("workshops:open", {"minutes": 30, "mode": "assigned"})
    seat = (await people_[0].ok("room:join", {"room": "plenary"}))["workshops"]["seat"]
    assert seat is not None
    assert not seat["waiting"], seat
    await people_[0].ok("room:join", {"room": seat["room"]})
    call = f"Bitte kommen Sie {uuid.uuid4().hex}"
    day.needles.add(call)
    await people_[0].ok("workshop:help", {"room": seat["room"], "message": call})
    await people_[0].ok("room:leave", {"room": seat["room"]})
    await mod.ok("workshops:close", {})

    # the last registered person withdraws during the day
    day.withdrawn_token = tokens[3]
    async with httpx.AsyncClient(base_url=urls[-1], timeout=20) as http:
        joined = await http.get(f"/join/{tokens[3]}")
        assert joined.status_code == 303
        me = await people_[3].ok("room:join", {"room": "plenary"})
        day.withdrawn_id = me["me"]["id"]
        gone = await http.post("/my-data/withdraw", data={"confirm": "yes"})
        assert gone.status_code == 200, gone.text

    for client in [mod, *people_]:
        await client.close()
    await _collect_identifiers(settings, day)
    return day


async def _collect_identifiers(settings: Settings, day: Day) -> None:
    """Every person id and token fingerprint of the event is personal data too."""
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            day.needles |= {row.id for row in await conn.execute(sa.select(people.c.id))}
            day.needles |= {
                row.token_hash for row in await conn.execute(sa.select(join_tokens.c.token_hash))
            }
    finally:
        await db.close()
    day.needles |= {day.withdrawn_id, day.withdrawn_token, hash_token(day.withdrawn_token)}
