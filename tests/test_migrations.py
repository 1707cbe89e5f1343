"""The migrations build exactly the schema that conference/storage/tables.py describes, on
SQLite and on PostgreSQL, from an empty database and from the previous release's schema."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from conference.realtime import room_log
from conference.storage.db import Database
from conference.storage.migrate import alembic_config, migrate
from conference.storage.tables import metadata
from tests.fixtures.postgres_server import Postgres

PREVIOUS_RELEASE = "0006_results"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.database("migrations")


async def differences(url: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found: list[Any] = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
            )
            return found
    finally:
        await engine.dispose()


async def test_migrations_match_the_tables(database_url: str) -> None:
    await migrate(database_url)
    assert await differences(database_url) == []


async def test_the_previous_release_is_upgraded(database_url: str) -> None:
    """A database of the previous release, with a room log, keeps numbering where it was."""
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), PREVIOUS_RELEASE)
    now = dt.datetime.now(dt.UTC)
    db = Database(database_url)
    try:
        async with db.write() as conn:
            await conn.execute(
                sa.table(
                    "room_log",
                    *(sa.column(c) for c in ("event_id", "room", "seq", "type", "data")),
                    sa.column("created_at", sa.DateTime(timezone=True)),
                ).insert(),
                [
                    {"event_id": "kickoff", "room": room, "seq": seq, "type": "chat:message"}
                    | {"data": "{}", "created_at": now}
                    for room, last in (("plenary", 7), ("_event", 3))
                    for seq in range(1, last + 1)
                ],
            )
        await migrate(database_url)
        assert await differences(database_url) == []
        async with db.write() as conn:
            assert await room_log.last_seq(conn, "kickoff", "plenary") == 7
            entry = await room_log.append(conn, "kickoff", "plenary", "chat:message", {})
            assert entry.seq == 8
            assert (await room_log.append(conn, "kickoff", "_event", "x", {})).seq == 4
            assert (await room_log.append(conn, "kickoff", "new-room", "x", {})).seq == 1
    finally:
        await db.close()
