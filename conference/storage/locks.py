"""Named locks held until the transaction ends, for "read, then write" checks of rows that a
row lock cannot cover (a count of rows that do not exist yet).

On PostgreSQL a transaction-level advisory lock: a concurrent transaction asking for the same
name waits until this one commits or rolls back, and its reads afterwards (READ COMMITTED, a new
statement) see what this one wrote. SQLite has one writer at a time (`Database.write`), so there
is nothing to take.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


def _key(name: str) -> int:
    """A signed 64-bit key for `name` (PostgreSQL's advisory locks are keyed by a bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


async def exclusive(conn: AsyncConnection, *parts: str) -> None:
    """Hold the lock named by `parts` (say: "registration", event id) until the transaction
    ends; call it before the read whose result the write depends on."""
    if conn.dialect.name == "postgresql":
        key = _key("\x1f".join(parts))
        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
