"""Key results and their upvotes, and reports built with names, as personal data
(conference/privacy/declaration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.gallery.service import CARD
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.realtime import room_log
from conference.storage.tables import key_result_votes, key_results, reports


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> dict[str, Any]:
    written = await conn.execute(
        sa.select(key_results)
        .where(key_results.c.event_id == event_id, key_results.c.person_id == person_id)
        .order_by(key_results.c.room, key_results.c.position)
    )
    upvoted = await conn.execute(
        sa.select(key_results.c.room, key_results.c.text, key_result_votes.c.created_at)
        .join(key_results, key_results.c.id == key_result_votes.c.result_id)
        .where(key_results.c.event_id == event_id, key_result_votes.c.person_id == person_id)
        .order_by(key_result_votes.c.created_at)
    )
    return {
        "written": [
            {"room": row.room, "text": row.text, "published_at": _iso(row.published_at)}
            for row in written
        ],
        "upvoted": [
            {"room": row.room, "key_result": row.text, "upvoted_at": _iso(row.created_at)}
            for row in upvoted
        ],
    }


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Key results are the workshop's, not the writer's, and never show who wrote them: they
    stay. Upvotes keep counting without a name (the person's row is anonymised, not deleted)."""


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    of_event = sa.select(key_results.c.id).where(key_results.c.event_id == expiring.event_id)
    upvotes = await conn.execute(
        key_result_votes.delete().where(key_result_votes.c.result_id.in_(of_event))
    )
    written = await conn.execute(
        key_results.delete().where(key_results.c.event_id == expiring.event_id)
    )
    await room_log.delete(conn, expiring.event_id, (CARD,))
    return int(upvotes.rowcount + written.rowcount)


key_results_data = PersonalData(
    name="key_results",
    kind="notes",
    tables=(key_results, key_result_votes),
    title=N_("Key results of the workshops and their upvotes"),
    what=N_("The key results you write as a facilitator, and the key results you upvote."),
    purpose=N_("To show the workshops' results in the plenary and rank them by interest."),
    on_withdrawal=N_(
        "Key results stay as the workshop's results (they never showed who wrote them); your "
        "upvotes keep counting without your name."
    ),
    export=export,
    forget=forget,
    expire=expire,
)


async def export_reports(conn: AsyncConnection, event_id: str, person_id: str) -> list[Any]:
    """A report names people only as a whole document; nothing in it is filed by person."""
    return []


async def forget_reports(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Reports built with names may name who withdrew: they are deleted (build them again)."""
    await conn.execute(
        reports.delete().where(
            reports.c.event_id == forgetting.event_id, reports.c.names == sa.true()
        )
    )


async def expire_reports(conn: AsyncConnection, expiring: Expiring) -> int:
    result = await conn.execute(reports.delete().where(reports.c.event_id == expiring.event_id))
    return int(result.rowcount)


reports_data = PersonalData(
    name="reports",
    kind="registrations",
    tables=(reports,),
    title=N_("Event reports built with names"),
    what=N_(
        "Reports of the event that the moderators built with names: only of people who agreed "
        "at registration."
    ),
    purpose=N_("To document the event for the organisers."),
    on_withdrawal=N_("Reports built with names are deleted; reports without names stay."),
    export=export_reports,
    forget=forget_reports,
    expire=expire_reports,
)
