"""Looking into a test server's database."""

from __future__ import annotations

from conference.auth.people import Person, list_people
from conference.storage.db import Database
from tests.fixtures.live_server import LiveServer


async def people_with(server: LiveServer, email: str) -> list[Person]:
    db = Database(server.database_url)
    try:
        async with db.read() as conn:
            everyone = await list_people(conn, server.event_id)
    finally:
        await db.close()
    return [p for p in everyone if p.email == email.lower()]


async def count_people(database_url: str, event_id: str = "kickoff") -> int:
    db = Database(database_url)
    try:
        async with db.read() as conn:
            return len(await list_people(conn, event_id))
    finally:
        await db.close()
