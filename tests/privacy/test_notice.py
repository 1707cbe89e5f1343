"""The privacy notice is generated from the event file and the settings: the retention dates,
the log setting, and every other host a page may connect to (a workshop's video room added
live too)."""

from __future__ import annotations

from pathlib import Path

import httpx

from conference.auth.people import create_person, issue_token
from conference.auth.roles import Role
from conference.settings import Settings
from conference.storage.db import Database
from conference.storage.migrate import migrate
from tests.fixtures.inprocess import serve
from tests.fixtures.live_server import EVENT_FILE


async def test_the_notice_follows_the_event_file_the_settings_and_the_rooms(
    tmp_path: Path, connect
) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
        event_file=EVENT_FILE,
        var_dir=tmp_path / "var",
        secret_key="test-secret-key-test-secret-key",  # type: ignore[arg-type]
        log_ip_addresses="shortened",
    )
    await migrate(settings.database_url)
    db = Database(settings.database_url)
    try:
        async with db.write() as conn:
            mod = await create_person(conn, event_id="kickoff", name="Orga", role=Role.MODERATOR)
            token = await issue_token(conn, mod.id)
    finally:
        await db.close()
    async with serve(settings) as running, httpx.AsyncClient(base_url=running.url) as http:
        before = (await http.get("/privacy")).text
        assert (
            "Alle Seiten, Skripte, Schriften und der Livestream kommen von diesem Server" in before
        )
        assert "gekürzten IP-Adressen" in before
        assert "15. April 2027" in before
        assert "Graurheindorfer Straße 153" in before  # [privacy] authority of the demo
        client = await connect(running.url, token)
        await client.ok(
            "workshops:room",
            {"title": "Extra-Runde", "capacity": 10, "video_url": "https://meet.example.org/x"},
        )
        after = (await http.get("/privacy")).text
        assert (
            "Der Workshop „Extra-Runde“ trifft sich in einem Videoraum bei meet.example.org"
            in after
        )
