"""Poll answers as personal data (conference/privacy/declaration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.polls import store
from conference.polls.export import answer_text
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.storage.tables import poll_answers, poll_votes, polls


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> list[dict[str, Any]]:
    query = (
        sa.select(
            polls.c.question,
            polls.c.kind,
            polls.c.options,
            polls.c.room,
            poll_votes.c.answer,
            poll_votes.c.created_at,
            poll_votes.c.updated_at,
        )
        .join(polls, polls.c.id == poll_votes.c.poll_id)
        .where(polls.c.event_id == event_id, poll_votes.c.person_id == person_id)
        .order_by(poll_votes.c.created_at)
    )
    return [
        {
            "room": row.room,
            "poll": row.question,
            "kind": row.kind,
            "answer": answer_text({"options": row.options}, dict(row.answer)),
            "answered_at": _iso(row.created_at),
            "changed_at": _iso(row.updated_at),
        }
        for row in await conn.execute(query)
    ]


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Votes keep counting, keyed to the nameless placeholder that the person's row became:
    that key keeps one vote per person while polls are open, and no link leads back to the
    person (docs/privacy.md, "Votes of a withdrawn person")."""


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    """The tallies (and the open-text answers the moderators showed, without any link to
    who wrote them) stay with each poll for the report; every answer row goes."""
    voted = (
        sa.select(poll_votes.c.poll_id)
        .join(polls, polls.c.id == poll_votes.c.poll_id)
        .where(polls.c.event_id == expiring.event_id)
        .distinct()
    )
    poll_ids = [row.poll_id for row in await conn.execute(voted)]
    deleted = 0
    for poll_id in poll_ids:
        voters, counts = await store.tally(conn, poll_id)
        shown = [
            {"ref": answer["ref"], "text": answer["text"], "shown": True}
            for answer in await store.open_answers(conn, poll_id)
            if answer["shown"]
        ]
        kept = {"voters": voters, "counts": counts, "answers": shown}
        await conn.execute(polls.update().where(polls.c.id == poll_id).values(kept_results=kept))
        await conn.execute(poll_answers.delete().where(poll_answers.c.poll_id == poll_id))
        result = await conn.execute(poll_votes.delete().where(poll_votes.c.poll_id == poll_id))
        deleted += int(result.rowcount)
    return deleted


poll_answers_data = PersonalData(
    name="poll_answers",
    kind="poll_answers",
    tables=(poll_votes, poll_answers),
    title=N_("Poll answers"),
    what=N_("Your answers to polls, word clouds and ratings."),
    purpose=N_(
        "To count the results (each person once) and, in polls that the organisers mark as "
        "not anonymous, to show who answered what."
    ),
    on_withdrawal=N_("Your answers keep counting in the results, no longer linked to your name."),
    export=export,
    forget=forget,
    expire=expire,
)
