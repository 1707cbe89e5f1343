"""`conference purge`: the event's data is deleted after the event, other events' data stays."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa

from conference.auth.people import create_person, issue_token
from conference.storage.db import Database
from conference.storage.migrate import migrate
from conference.storage.tables import join_tokens, people
from tests.test_cli import run


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
        "CONFERENCE_VAR_DIR": str(tmp_path / "var"),
        "CONFERENCE_EVENT_FILE": str(Path(__file__).resolve().parents[1] / "config" / "event.toml"),
    }


async def _count(url: str, table: sa.Table, **where: str) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            query = sa.select(sa.func.count()).select_from(table)
            for column, value in where.items():
                query = query.where(table.c[column] == value)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.close()


async def _people(url: str, event_id: str, count: int) -> None:
    db = Database(url)
    try:
        async with db.write() as conn:
            for i in range(count):
                person = await create_person(conn, event_id=event_id, name=f"Person {i}")
                await issue_token(conn, person.id)
    finally:
        await db.close()


async def _other_event_person(url: str) -> None:
    db = Database(url)
    try:
        async with db.write() as conn:
            person = await create_person(conn, event_id="another-event", name="Stays")
            await issue_token(conn, person.id)
    finally:
        await db.close()


def test_purge_waits_for_the_retention_period_unless_told(env: dict[str, str]) -> None:
    assert run("migrate", env=env).returncode == 0
    result = run("purge", "--yes", env=env)
    assert result.returncode == 2
    assert "is kept until 2027-04-15" in result.stderr
    assert "--now" in result.stderr
    assert run("purge", env=env).returncode == 2  # no --yes


def test_purge_deletes_the_events_records_and_only_those(env: dict[str, str]) -> None:
    url = env["CONFERENCE_DATABASE_URL"]
    assert run("migrate", env=env).returncode == 0
    assert run("links", "--count", "3", env=env).returncode == 0
    assert run("links", "--role", "moderator", env=env).returncode == 0
    asyncio.run(_other_event_person(url))
    assert asyncio.run(_count(url, people, event_id="kickoff")) == 4

    result = run("purge", "--yes", "--now", env=env)
    assert result.returncode == 0, result.stderr
    assert "rows deleted:\n" in result.stdout
    assert "  people: 4\n" in result.stdout
    assert "  join_tokens: 4\n" in result.stdout
    assert asyncio.run(_count(url, people, event_id="kickoff")) == 0
    assert asyncio.run(_count(url, people, event_id="another-event")) == 1
    assert asyncio.run(_count(url, join_tokens)) == 1


def test_purge_by_hand_deletes_what_is_due_and_keeps_the_results(
    env: dict[str, str], tmp_path: Path
) -> None:
    """An event long past: every kind is due; people go, the polls' definitions stay."""
    text = Path(env["CONFERENCE_EVENT_FILE"]).read_text(encoding="utf-8")
    past = tmp_path / "past.toml"
    past.write_text(text.replace("date = 2027-03-16", "date = 2020-03-16"), encoding="utf-8")
    env = {**env, "CONFERENCE_EVENT_FILE": str(past)}
    url = env["CONFERENCE_DATABASE_URL"]
    asyncio.run(migrate(url))
    asyncio.run(_people(url, "kickoff", 3))
    asyncio.run(_other_event_person(url))

    result = run("purge", "--yes", env=env)
    assert result.returncode == 0, result.stderr
    # 3 people anonymised (their links deleted), then their 3 placeholders deleted
    assert "rows deleted or anonymised:\n" in result.stdout
    assert "  registration: 6\n" in result.stdout
    assert asyncio.run(_count(url, people, event_id="kickoff")) == 0
    assert asyncio.run(_count(url, people, event_id="another-event")) == 1
    assert asyncio.run(_count(url, join_tokens)) == 1
