"""The database: an async SQLAlchemy engine with one serialized writer for SQLite.

SQLite allows one writer at a time. Writes therefore go through one connection that starts
its transactions with BEGIN IMMEDIATE (no read-then-upgrade deadlocks, other processes wait
on busy_timeout) behind an asyncio lock, while reads use a pool of their own (WAL lets them
run beside the writer). PostgreSQL gets one ordinary pool for both.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA busy_timeout=10000",
        "PRAGMA foreign_keys=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _immediate_transactions(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Reads from a pool; writes serialized where the database needs it. Acks follow commit."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self._reader = create_async_engine(url, pool_size=4, max_overflow=4)
            self._writer = create_async_engine(url, pool_size=1, max_overflow=0)
            for engine in (self._reader, self._writer):
                event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
            _immediate_transactions(self._writer)
        else:
            self._reader = self._writer = create_async_engine(url, pool_size=20, max_overflow=10)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (no transaction is committed)."""
        async with self._reader.connect() as connection:
            yield connection

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction that commits when the block ends without an exception."""
        if self._write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._writer.begin() as connection:
            yield connection

    async def ping(self) -> bool:
        try:
            async with self.read() as connection:
                await asyncio.wait_for(connection.execute(sa.text("SELECT 1")), timeout=2)
            return True
        except Exception:
            return False

    async def close(self) -> None:
        await self._reader.dispose()
        if self._writer is not self._reader:
            await self._writer.dispose()


@contextlib.asynccontextmanager
async def command_database(url: str) -> AsyncIterator[Database]:
    """The database for one command-line run: closed afterwards, and a database without the
    schema reported as a ConfigError that says what to do."""
    from conference.settings import ConfigError

    db = Database(url)
    try:
        yield db
    except sa.exc.OperationalError as exc:
        raise ConfigError(f"database {url}: {exc.orig} (run `conference migrate` first?)") from None
    finally:
        await db.close()
