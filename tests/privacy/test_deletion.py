"""The deletion job: after a simulated day on the demo event, moving the clock past each
retention period leaves no personal data of the event in any table or Redis key."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
import sqlalchemy as sa

from conference.events import state_store
from conference.events.loader import load_event
from conference.privacy.retention import RECORD_KEY
from conference.rooms.attendance import Attendance
from conference.settings import Settings
from conference.storage.db import Database
from conference.storage.migrate import migrate
from conference.storage.tables import (
    attendance,
    chat_messages,
    metadata,
    people,
    poll_votes,
    polls,
    questions,
    room_log,
)
from conference.workshops.privacy import ATTENDANCE_TOTALS
from tests.fixtures.clock import FakeClock
from tests.fixtures.inprocess import Running, serve
from tests.fixtures.live_server import COMBINATIONS, EVENT_FILE
from tests.privacy.day import simulate_day

REDIS_DB = 5  # a database of its own: every key in it belongs to this test


def settings_for(
    tmp: Path, redis_url: str | None, event_file: Path = EVENT_FILE, database_url: str | None = None
) -> Settings:
    return Settings(
        database_url=database_url or f"sqlite+aiosqlite:///{tmp / 'conference.db'}",
        event_file=event_file,
        var_dir=tmp / "var",
        secret_key="test-secret-key-test-secret-key",  # type: ignore[arg-type]
        redis_url=redis_url,
        registration_rate_per_minute=1000,
        log_level="warning",
    )


async def dump_database(url: str) -> str:
    """Every row of every table, as text."""
    db = Database(url)
    try:
        lines = []
        async with db.read() as conn:
            for table in metadata.sorted_tables:
                lines += [
                    f"{table.name} {tuple(row)!r}" for row in await conn.execute(sa.select(table))
                ]
        return "\n".join(lines)
    finally:
        await db.close()


async def dump_redis(url: str) -> str:
    """Every key of the Redis database with its value, as text."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    lines = []
    try:
        async for key in client.scan_iter():
            kind = await client.type(key)
            if kind == "none":
                continue  # expired since the scan saw it (a short lease)
            value: Any = {
                "string": client.get,
                "hash": client.hgetall,
                "set": client.smembers,
                "list": lambda k: client.lrange(k, 0, -1),
                "zset": lambda k: client.zrange(k, 0, -1, withscores=True),
            }[kind](key)
            lines.append(f"{key} {kind} {await value!r}")
    finally:
        await client.aclose()
    return "\n".join(lines)


async def settle_attendance(running: list[Running]) -> None:
    """Visits are written about once a second: write them now, as a day later they would be."""
    for process in running:
        await process.services.parts[Attendance].flush()


async def count(url: str, table: sa.Table, where: Any = None) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            query = sa.select(sa.func.count()).select_from(table)
            if where is not None:
                query = query.where(where)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.close()


async def event_state(url: str, event_id: str) -> dict[str, Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            return await state_store.get_all(conn, event_id)
    finally:
        await db.close()


@pytest.fixture(params=COMBINATIONS)
async def servers(
    request: pytest.FixtureRequest, tmp_path: Path, redis_url: str
) -> AsyncIterator[tuple[list[Running], Settings, FakeClock, str | None]]:
    """The demo event on one memory process with SQLite, or on two processes sharing Redis and
    PostgreSQL; their deletion jobs see a clock that starts at the event's beginning."""
    url, database = None, None
    if request.param == "redis-postgres":
        url = redis_url.rsplit("/", 1)[0] + f"/{REDIS_DB}"
        database = request.getfixturevalue("postgres").database("deletion")
        client = aioredis.Redis.from_url(url)
        await client.flushdb()
        await client.aclose()
    settings = settings_for(tmp_path, url, database_url=database)
    await migrate(settings.database_url)
    clock = FakeClock(load_event(EVENT_FILE).starts_at().astimezone(dt.UTC))
    count_ = 1 if url is None else 2
    async with serve(settings, clock) as first:
        if count_ == 1:
            yield [first], settings, clock, url
            return
        async with serve(settings, clock) as second:
            yield [first, second], settings, clock, url


async def test_nothing_personal_is_left_after_the_retention_periods(servers, connect) -> None:
    running, settings, clock, redis_url = servers
    event = load_event(EVENT_FILE)
    day = await simulate_day([r.url for r in running], settings, connect)
    await settle_attendance(running)
    await clock.settled(len(running))
    before = await dump_database(settings.database_url)
    assert sum(needle in before for needle in day.needles) > 20  # the day left its traces
    # a process that crashed leaves its connections' presence behind (it expires in 90 s)
    await running[-1].services.state.presence_enter("plenary", day.withdrawn_id, "crashed-sid")

    # one second before the periods end: nothing is due yet
    clock.advance(seconds=(event.deletion_due("registrations") - clock.now()).total_seconds() - 1)
    await clock.settled(len(running))
    assert await count(settings.database_url, people, people.c.event_id == event.id) > 0
    # the job runs once an interval: by the next run, every period has ended
    clock.advance(seconds=settings.deletion_interval_seconds)
    await clock.settled(len(running))

    rows = await dump_database(settings.database_url)
    assert [needle for needle in day.needles if needle in rows] == []
    for table in metadata.sorted_tables:
        if "person_id" in table.c or table is people:
            assert await count(settings.database_url, table) == 0, table.name
    assert await count(settings.database_url, room_log) == 0
    # what stays is aggregated: the word cloud's counts, the shown open answer, no names
    assert all(word in rows for word in day.kept_words)
    assert all(answer in rows for answer in day.shown_answers)
    assert await count(settings.database_url, polls, polls.c.kept_results.is_not(None)) == 3
    totals = (await event_state(settings.database_url, event.id))[ATTENDANCE_TOTALS]
    assert totals["plenary"]["people"] >= 8  # who was there stays counted, without names
    record = (await event_state(settings.database_url, event.id))[RECORD_KEY]
    assert set(record) >= {"registration", "chat_messages", "questions", "poll_answers", "room_log"}
    assert len({entry["by"] for entry in record.values()}) == 1  # one process ran the job
    if redis_url is not None:
        keys = await dump_redis(redis_url)
        assert [needle for needle in day.needles if needle in keys] == []
    for room in event.rooms():
        for process in running:
            assert await process.services.state.presence_people(room) == set()


async def test_each_kind_goes_when_its_own_period_ends(tmp_path: Path, connect) -> None:
    """Registrations first (people become nameless placeholders while their messages stay),
    then the log, the chat, the questions, the poll answers and the attendance, each on its
    own day."""
    text = EVENT_FILE.read_text(encoding="utf-8")
    retention = (
        "[retention]\nregistrations = 1\nlogs = 2\nchat = 3\nquestions = 4\npoll_answers = 5\n"
        "attendance = 6\n"
    )
    event_file = tmp_path / "event.toml"
    text, replaced = re.subn(r"\[retention\]\n(?:[a-z_]+ = \d+\n)+", retention, text)
    assert replaced == 1
    event_file.write_text(text, encoding="utf-8")
    settings = settings_for(tmp_path, None, event_file)
    await migrate(settings.database_url)
    event = load_event(event_file)
    clock = FakeClock(event.starts_at().astimezone(dt.UTC))
    url = settings.database_url
    async with serve(settings, clock) as running:
        day = await simulate_day([running.url], settings, connect)
        await settle_attendance([running])
        await clock.settled(1)
        names = {n for n in day.needles if n.startswith(("Zelda", "zelda", "Zuverlässig"))}

        async def step(kind: str) -> str:
            clock.advance(seconds=(event.deletion_due(kind) - clock.now()).total_seconds())
            clock.advance(seconds=settings.deletion_interval_seconds)
            await clock.settled(1)
            return await dump_database(url)

        rows = await step("registrations")
        assert [name for name in names if name in rows] == []
        assert await count(url, people, people.c.anonymised_at.is_(None)) == 0
        assert await count(url, people) > 0  # placeholders: messages still refer to them
        assert await count(url, room_log) > 0
        rows = await step("logs")
        assert await count(url, room_log) == 0
        assert await count(url, chat_messages) > 0
        rows = await step("chat")
        assert await count(url, chat_messages) == 0
        assert await count(url, questions) > 0
        rows = await step("questions")
        assert await count(url, questions) == 0
        assert await count(url, poll_votes) > 0
        rows = await step("poll_answers")
        assert await count(url, poll_votes) == 0
        assert await count(url, attendance) > 0
        rows = await step("attendance")
        assert await count(url, attendance) == 0
        assert await count(url, people) == 0  # no record refers to anyone any more
        assert [needle for needle in day.needles if needle in rows] == []
