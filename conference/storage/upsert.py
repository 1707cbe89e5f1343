"""Insert or update one row in one statement, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def dialect_insert(conn: AsyncConnection, table: sa.Table) -> Any:
    """`INSERT` of the connection's dialect, which knows `ON CONFLICT` (SQLite and PostgreSQL)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


async def upsert(
    conn: AsyncConnection, table: sa.Table, values: dict[str, Any], keys: tuple[str, ...]
) -> None:
    """`INSERT … ON CONFLICT (keys) DO UPDATE`: atomic, so two writers never both insert."""
    insert = dialect_insert(conn, table)
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=list(keys),
        set_={name: value for name, value in values.items() if name not in keys},
    )
    await conn.execute(statement)
