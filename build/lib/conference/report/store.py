"""Built reports in SQL: any process shows their progress and serves the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import aware, iso, utcnow
from conference.storage.tables import reports

STALE = dt.timedelta(minutes=10)  # a build this old that never finished has died
KEEP = 10  # the console lists this many


def public(row: Any) -> dict[str, Any]:
    ready = row.status == "ready"
    return {
        "id": row.id,
        "format": row.format,
        "names": bool(row.names),
        "status": row.status,
        "step": int(row.step),
        "steps": int(row.steps),
        "filename": row.filename,
        "size": int(row.size) if ready and row.size else None,
        "url": f"/moderator/reports/{row.id}" if ready else None,
        "created_at": iso(row.created_at),
        "finished_at": iso(row.finished_at),
    }


def _columns(data: bool) -> list[Any]:
    """Everything but the document (unless asked), and its size."""
    listed: list[Any] = [c for c in reports.c if c.name != "data"]
    listed.append(sa.func.length(reports.c.data).label("size"))
    return [*listed, reports.c.data] if data else listed


async def building(conn: AsyncConnection, event_id: str) -> bool:
    """Whether a build of the event is under way (and not stale)."""
    query = sa.select(reports.c.created_at).where(
        reports.c.event_id == event_id, reports.c.status == "building"
    )
    now = utcnow()
    return any(now - aware(row.created_at) < STALE for row in await conn.execute(query))


async def insert(
    conn: AsyncConnection, event_id: str, format: str, names: bool, person_id: str | None
) -> str:
    report_id = new_id()
    await conn.execute(
        reports.insert().values(
            id=report_id,
            event_id=event_id,
            format=format,
            names=names,
            status="building",
            step=0,
            steps=1,
            requested_by=person_id,
            created_at=utcnow(),
        )
    )
    return report_id


async def get(conn: AsyncConnection, event_id: str, report_id: str, *, data: bool = False) -> Any:
    query = sa.select(*_columns(data)).where(
        reports.c.event_id == event_id, reports.c.id == report_id
    )
    return (await conn.execute(query)).first()


async def recent(conn: AsyncConnection, event_id: str) -> list[dict[str, Any]]:
    query = (
        sa.select(*_columns(False))
        .where(reports.c.event_id == event_id)
        .order_by(reports.c.created_at.desc())
        .limit(KEEP)
    )
    return [public(row) for row in await conn.execute(query)]


async def progress(conn: AsyncConnection, report_id: str, step: int, steps: int) -> None:
    await conn.execute(
        reports.update().where(reports.c.id == report_id).values(step=step, steps=steps)
    )


async def finish(
    conn: AsyncConnection,
    report_id: str,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    data: bytes | None = None,
) -> None:
    """Ready with its document, or (no data) failed; a finished report stays as it is."""
    await conn.execute(
        reports.update()
        .where(reports.c.id == report_id, reports.c.status == "building")
        .values(
            status="ready" if data is not None else "failed",
            filename=filename,
            media_type=media_type,
            data=data,
            finished_at=utcnow(),
        )
    )
