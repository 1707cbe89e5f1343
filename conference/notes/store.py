"""The notes in SQL: one row per document (its counter, mode and snapshot), its update log, and
its versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import new_id
from conference.clock import iso, utcnow
from conference.storage.tables import notes_docs, notes_updates, notes_versions, people

Mode = Literal["everyone", "facilitator"]


@dataclass(frozen=True, slots=True)
class DocRow:
    room: str
    seq: int
    mode: str
    snapshot: bytes | None
    snapshot_seq: int


def _where(table: sa.Table, event_id: str, room: str) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.event_id == event_id, table.c.room == room)


async def doc(
    conn: AsyncConnection, event_id: str, room: str, *, lock: bool = False
) -> DocRow | None:
    query = sa.select(notes_docs).where(_where(notes_docs, event_id, room))
    if lock:
        query = query.with_for_update()
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    return DocRow(row.room, row.seq, row.mode, row.snapshot, row.snapshot_seq)


async def create(
    conn: AsyncConnection, event_id: str, room: str, first_update: bytes | None
) -> None:
    """A new document, optionally with its first update (the template) as seq 1; raises
    IntegrityError when another process created it first."""
    now = utcnow()
    await conn.execute(
        notes_docs.insert().values(
            event_id=event_id,
            room=room,
            seq=1 if first_update else 0,
            mode="everyone",
            snapshot_seq=0,
            created_at=now,
            updated_at=now,
        )
    )
    if first_update:
        await conn.execute(
            notes_updates.insert().values(
                event_id=event_id, room=room, seq=1, data=first_update, created_at=now
            )
        )


async def updates_after(
    conn: AsyncConnection, event_id: str, room: str, after: int
) -> list[tuple[int, bytes]]:
    query = (
        sa.select(notes_updates.c.seq, notes_updates.c.data)
        .where(_where(notes_updates, event_id, room), notes_updates.c.seq > after)
        .order_by(notes_updates.c.seq)
    )
    return [(row.seq, bytes(row.data)) for row in await conn.execute(query)]


async def append(
    conn: AsyncConnection, event_id: str, room: str, updates: list[bytes]
) -> list[int]:
    """Number and store updates of one document (its counter row is updated in the same
    transaction, which serialises writers of one document on every database)."""
    now = utcnow()
    result = await conn.execute(
        notes_docs.update()
        .where(_where(notes_docs, event_id, room))
        .values(seq=notes_docs.c.seq + len(updates), updated_at=now)
        .returning(notes_docs.c.seq)
    )
    last = result.scalar_one()
    seqs = list(range(last - len(updates) + 1, last + 1))
    await conn.execute(
        notes_updates.insert(),
        [
            {"event_id": event_id, "room": room, "seq": seq, "data": data, "created_at": now}
            for seq, data in zip(seqs, updates, strict=True)
        ],
    )
    return seqs


async def set_snapshot(
    conn: AsyncConnection, event_id: str, room: str, state: bytes, upto: int
) -> None:
    """Keep `state` as everything up to `upto` and drop the updates it holds."""
    await conn.execute(
        notes_docs.update()
        .where(_where(notes_docs, event_id, room), notes_docs.c.snapshot_seq < upto)
        .values(snapshot=state, snapshot_seq=upto)
    )
    await conn.execute(
        notes_updates.delete().where(
            _where(notes_updates, event_id, room), notes_updates.c.seq <= upto
        )
    )


async def set_mode(conn: AsyncConnection, event_id: str, room: str, mode: Mode) -> None:
    await conn.execute(
        notes_docs.update().where(_where(notes_docs, event_id, room)).values(mode=mode)
    )


async def rooms_with_notes(conn: AsyncConnection, event_id: str) -> list[str]:
    query = sa.select(notes_docs.c.room).where(notes_docs.c.event_id == event_id)
    return [row.room for row in await conn.execute(query)]


# --- versions -----------------------------------------------------------------------------


def _version(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "room": row.room,
        "name": row.name,
        "kind": row.kind,
        "created_at": iso(row.created_at),
        "created_by": row.author,
    }


def _versions() -> sa.Select[Any]:
    return sa.select(
        notes_versions.c.id,
        notes_versions.c.room,
        notes_versions.c.name,
        notes_versions.c.kind,
        notes_versions.c.created_at,
        people.c.name.label("author"),
    ).outerjoin(people, people.c.id == notes_versions.c.created_by)


async def add_version(
    conn: AsyncConnection,
    event_id: str,
    room: str,
    *,
    name: str,
    kind: Literal["auto", "named"],
    state: bytes,
    text: str,
    by: str | None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    version_id = new_id()
    await conn.execute(
        notes_versions.insert().values(
            id=version_id,
            event_id=event_id,
            room=room,
            name=name,
            kind=kind,
            state=state,
            text=text,
            created_at=at or utcnow(),
            created_by=by,
        )
    )
    row = (await conn.execute(_versions().where(notes_versions.c.id == version_id))).one()
    return _version(row)


async def versions(conn: AsyncConnection, event_id: str, room: str) -> list[dict[str, Any]]:
    query = (
        _versions()
        .where(notes_versions.c.event_id == event_id, notes_versions.c.room == room)
        .order_by(notes_versions.c.created_at.desc())
    )
    return [_version(row) for row in await conn.execute(query)]


async def version(
    conn: AsyncConnection, event_id: str, room: str, version_id: str
) -> tuple[dict[str, Any], bytes, str] | None:
    """A version's listing, its encoded state and its text."""
    query = (
        _versions()
        .add_columns(notes_versions.c.state, notes_versions.c.text)
        .where(
            notes_versions.c.event_id == event_id,
            notes_versions.c.room == room,
            notes_versions.c.id == version_id,
        )
    )
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    return _version(row), bytes(row.state), row.text


async def latest_auto_version(
    conn: AsyncConnection, event_id: str, room: str
) -> tuple[dict[str, Any], str] | None:
    """The version kept when the workshop phase last closed: its listing and its text."""
    query = (
        _versions()
        .add_columns(notes_versions.c.text)
        .where(
            notes_versions.c.event_id == event_id,
            notes_versions.c.room == room,
            notes_versions.c.kind == "auto",
        )
        .order_by(notes_versions.c.created_at.desc())
        .limit(1)
    )
    row = (await conn.execute(query)).first()
    return (_version(row), row.text) if row else None
