"""The `conference` command: clear errors for bad configuration, links for every role."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVENT = (ROOT / "config" / "event.toml").read_text(encoding="utf-8")


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conference", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "CONFERENCE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
        "CONFERENCE_VAR_DIR": str(tmp_path / "var"),
        "CONFERENCE_EVENT_FILE": str(ROOT / "config" / "event.toml"),
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("end = 15:00:00", "end = 09:00:00"), "the event ends before it starts"),
        (
            ('timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus"'),
            "timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            ("capacity = 200", "capacity = -5"),
            "registration.capacity: Input should be greater than or equal to 1",
        ),
        (('kind = "rating"', 'kind = "poll"'), "polls[1].kind"),
        (("start = 13:45:00", "start = 14:50:00"), "agenda[5]: agenda item 'workshops' ends"),
        (('id = "kickoff"', 'id = "Kick Off!"'), "id: String should match pattern"),
    ],
)
def test_a_bad_event_file_names_the_file_the_field_and_the_problem(
    tmp_path: Path, env: dict[str, str], change: tuple[str, str], expected: str
) -> None:
    bad = tmp_path / "bad-event.toml"
    assert change[0] in EVENT
    bad.write_text(EVENT.replace(change[0], change[1], 1), encoding="utf-8")
    result = run("links", "--config", str(bad), env=env)
    assert result.returncode == 2
    assert str(bad) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("title = [unclosed", encoding="utf-8")
    result = run("serve", "--config", str(bad), env=env)
    assert result.returncode == 2
    assert f"{bad}: not valid TOML" in result.stderr


def test_a_missing_event_file_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    result = run("links", "--config", str(tmp_path / "nope.toml"), env=env)
    assert result.returncode == 2
    assert "nope.toml: event file not found" in result.stderr


def test_a_bad_setting_is_refused(env: dict[str, str]) -> None:
    result = run("migrate", env={**env, "CONFERENCE_MAX_PAYLOAD_BYTES": "lots"})
    assert result.returncode == 2
    assert "CONFERENCE_MAX_PAYLOAD_BYTES" in result.stderr


def test_production_mode_needs_a_secret(env: dict[str, str]) -> None:
    result = run("serve", "--no-migrate", env={**env, "CONFERENCE_MODE": "production"})
    assert result.returncode == 2
    assert "CONFERENCE_SECRET_KEY" in result.stderr


def test_the_demo_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    from conference.settings import Settings

    settings = Settings(var_dir=tmp_path / "var", mode="demo")
    secret = settings.secret()
    assert len(secret) > 40
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings(var_dir=tmp_path / "var").secret() == secret


def test_links_are_issued_for_every_role(env: dict[str, str]) -> None:
    assert run("migrate", env=env).returncode == 0
    result = run("links", "--role", "participant", "--count", "3", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all("http://127.0.0.1:8000/join/" in line for line in lines)
    moderator = run("links", "--role", "moderator", "--name", "Moderation", env=env)
    assert "Moderation\thttp://127.0.0.1:8000/join/" in moderator.stdout
    facilitator = run("links", "--role", "facilitator", "--room", "vernetzung", env=env)
    assert facilitator.returncode == 0, facilitator.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--role", "facilitator"), "--room: a facilitator link needs the workshop"),
        (("--role", "facilitator", "--room", "nowhere"), "--room: no workshop 'nowhere'"),
        (("--role", "participant", "--room", "vernetzung"), "--room: only facilitator links"),
        (("--count", "0"), "--count: between 1 and 1000"),
    ],
)
def test_bad_link_requests_are_refused(
    env: dict[str, str], args: tuple[str, ...], expected: str
) -> None:
    assert run("migrate", env=env).returncode == 0
    result = run("links", *args, env=env)
    assert result.returncode == 2
    assert expected in result.stderr


def test_links_without_a_database_say_what_to_do(env: dict[str, str]) -> None:
    result = run("links", env=env)
    assert result.returncode == 2
    assert "conference migrate" in result.stderr


def test_export_notes_writes_every_workshop_in_one_document(
    tmp_path: Path, env: dict[str, str]
) -> None:
    import asyncio
    import io

    import docx

    from conference.notes import store
    from conference.notes.docs import text_update
    from conference.storage.db import Database

    assert run("migrate", env=env).returncode == 0

    async def write_notes() -> None:
        db = Database(env["CONFERENCE_DATABASE_URL"])
        try:
            async with db.write() as conn:
                update = text_update("## Ergebnisse\n\n- Größere Netzwerke\n")
                await store.create(conn, "kickoff", "vernetzung", update)
        finally:
            await db.close()

    asyncio.run(write_notes())
    output = tmp_path / "notizen.docx"
    done = run("export", "notes", "--output", str(output), env=env)
    assert done.returncode == 0, done.stderr
    document = docx.Document(io.BytesIO(output.read_bytes()))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0][0] == "Title"
    assert ("Heading 1", "Vernetzung: Wie Initiativen voneinander lernen") in paragraphs
    assert ("List Bullet", "Größere Netzwerke") in paragraphs
    markdown = run("export", "notes", "--format", "md", "--output", str(tmp_path / "n.md"), env=env)
    assert markdown.returncode == 0
    assert "- Größere Netzwerke" in (tmp_path / "n.md").read_text(encoding="utf-8")
