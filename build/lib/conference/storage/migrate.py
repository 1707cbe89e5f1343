"""Bringing the database schema up to date (Alembic, run in a worker thread)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


async def migrate(database_url: str) -> None:
    """Upgrade the schema to the newest revision (idempotent)."""
    # Alembic's env.py starts its own event loop, so it runs in a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), "head")
