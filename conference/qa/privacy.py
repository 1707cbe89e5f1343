"""Questions and upvotes as personal data (conference/privacy/declaration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.qa import store
from conference.realtime import audiences, room_log
from conference.storage.tables import question_votes, questions

LOG_TYPES = ("question:updated", "question:hidden", "question:pinned")
DELETED_AUTHOR = {"name": "", "organisation": "", "deleted": True}


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> dict[str, Any]:
    asked = await conn.execute(
        sa.select(questions)
        .where(questions.c.event_id == event_id, questions.c.person_id == person_id)
        .order_by(questions.c.created_at)
    )
    upvoted = await conn.execute(
        sa.select(questions.c.room, questions.c.body, question_votes.c.created_at)
        .join(questions, questions.c.id == question_votes.c.question_id)
        .where(questions.c.event_id == event_id, question_votes.c.person_id == person_id)
        .order_by(question_votes.c.created_at)
    )
    return {
        "asked": [
            {
                "room": row.room,
                "text": row.body,
                "status": row.status,
                "asked_anonymously": bool(row.anonymous),
                "asked_at": _iso(row.created_at),
                "edited_by_moderation_at": _iso(row.edited_at),
            }
            for row in asked
        ],
        "upvoted": [
            {"room": row.room, "question": row.body, "upvoted_at": _iso(row.created_at)}
            for row in upvoted
        ],
    }


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Questions the room saw stay, from "a deleted person"; held and rejected ones are
    deleted. Upvotes keep counting: the placeholder row cannot vote again."""
    event_id = forgetting.event_id
    rows = list(
        await conn.execute(
            sa.select(questions.c.id, questions.c.room, questions.c.status).where(
                questions.c.event_id == event_id,
                questions.c.person_id.in_(forgetting.person_ids),
            )
        )
    )
    kept = {row.id for row in rows if row.status in store.VISIBLE}
    gone = {row.id for row in rows} - kept

    def anonymise(type_: str, data: dict[str, Any]) -> dict[str, Any] | None:
        question = data.get("question")
        if not isinstance(question, dict) or question.get("id") not in kept | gone:
            return None
        changed = {**question, "author": None if question.get("anonymous") else DELETED_AUTHOR}
        if question["id"] in gone:
            changed["body"] = ""
        return {**data, "question": changed}

    await room_log.rewrite(conn, event_id, LOG_TYPES, anonymise)
    if gone:
        await conn.execute(question_votes.delete().where(question_votes.c.question_id.in_(gone)))
        await conn.execute(questions.delete().where(questions.c.id.in_(gone)))
    for row in rows:
        if row.id in gone:
            withdrawn = {"id": row.id, "room": row.room, "status": "withdrawn"}
            data = {"room": row.room, "question": withdrawn}
            forgetting.notices.append(
                ("question:changed", data, audiences.managers(event_id, row.room))
            )
            continue
        question = store.as_question(await store.get(conn, event_id, row.id))
        entry = await room_log.append(
            conn, event_id, row.room, "question:updated", {"question": question}
        )
        forgetting.logged.append((entry, audiences.room(event_id, row.room)))
        data = {"room": row.room, "question": question}
        forgetting.notices.append(
            ("question:changed", data, audiences.managers(event_id, row.room))
        )


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    of_event = sa.select(questions.c.id).where(questions.c.event_id == expiring.event_id)
    upvotes = await conn.execute(
        question_votes.delete().where(question_votes.c.question_id.in_(of_event))
    )
    asked = await conn.execute(questions.delete().where(questions.c.event_id == expiring.event_id))
    await room_log.delete(conn, expiring.event_id, LOG_TYPES)
    return int(upvotes.rowcount + asked.rowcount)


questions_and_upvotes = PersonalData(
    name="questions",
    kind="questions",
    tables=(questions, question_votes),
    title=N_("Questions and upvotes"),
    what=N_("The questions you ask and the questions you upvote."),
    purpose=N_("To collect the audience's questions, moderate them and rank them by interest."),
    on_withdrawal=N_(
        "Questions the audience has seen stay, shown as from a deleted person; questions "
        "still waiting for moderation are deleted. Your upvotes keep counting without your name."
    ),
    export=export,
    forget=forget,
    expire=expire,
)
