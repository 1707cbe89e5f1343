"""The migrations build exactly the schema that conference/storage/tables.py describes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conference.storage.migrate import migrate
from conference.storage.tables import metadata


async def test_migrations_match_the_tables(tmp_path: Path) -> None:
    await migrate(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert differences == []
