"""Set-up of the vote storm: a single-choice poll in the plenary, opened by a moderator on our
server, and the exact tally read back from the database afterwards."""

from __future__ import annotations

import importlib.util
from typing import Any

import sqlalchemy as sa

from bench.client import ack_ok, open_client
from bench.harness import create_people
from bench.scenarios import ROOM, Crowd, VoteSetup

OPTIONS = ["Ja", "Nein", "Enthaltung"]


def polls_available() -> bool:
    return importlib.util.find_spec("conference.polls.handlers") is not None


async def _call(client: Any, event: str, payload: dict[str, Any]) -> Any:
    future = client.emit(event, payload)
    ok, data = ack_ok(await future)
    if not ok:
        raise RuntimeError(f"{event} refused: {data}")
    return data


def vote_setup(kind: str) -> VoteSetup:
    async def baseline(crowd: Crowd) -> dict[str, Any] | None:
        return {"answers": ["o1", "o2", "o3"], "payload": lambda a: {"poll_id": "p", "answer": a}}

    async def ours(crowd: Crowd) -> dict[str, Any] | None:
        if not polls_available():
            return None
        server = crowd.server
        tokens = await create_people(server, len(server.tokens) + 1, role="moderator")
        moderator = await open_client(server.urls[0], -1, tokens[-1], None, 30)
        try:
            await _call(moderator, "room:join", {"room": ROOM})
            created = await _call(
                moderator,
                "poll:create",
                {"room": ROOM, "kind": "single", "question": "Benchmark?", "options": OPTIONS},
            )
            poll = created["poll"]
            await _call(moderator, "poll:open", {"room": ROOM, "id": poll["id"]})
        finally:
            moderator.close()
        answers = [option["id"] for option in poll["options"]]

        async def tally() -> dict[str, int]:
            from conference.storage.db import Database
            from conference.storage.tables import poll_answers

            assert server.database_url is not None
            db = Database(server.database_url)
            try:
                async with db.read() as conn:
                    query = (
                        sa.select(poll_answers.c.value, sa.func.count())
                        .where(poll_answers.c.poll_id == poll["id"])
                        .group_by(poll_answers.c.value)
                    )
                    counts = {row[0]: int(row[1]) for row in await conn.execute(query)}
            finally:
                await db.close()
            return {a: counts.get(a, 0) for a in answers}

        return {
            "answers": answers,
            "payload": lambda a: {"room": ROOM, "id": poll["id"], "options": [a]},
            "tally": tally,
        }

    return ours if kind == "ours" else baseline
