"""Issuing join links for people of a role (CLI `conference links`, the demo)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person, create_person, issue_token
from conference.auth.roles import Role
from conference.events.loader import load_event
from conference.events.model import Event
from conference.settings import ConfigError, Settings
from conference.storage.db import command_database
from conference.storage.tables import people

MAX_LINKS = 1000


def join_url(base_url: str, token: str) -> str:
    return f"{base_url}/join/{token}"


def check_role(event: Event, role: str, room: str | None) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        raise ConfigError(f"--role: unknown role {role!r}") from None
    if parsed is Role.FACILITATOR:
        if not room:
            raise ConfigError("--room: a facilitator link needs the workshop it is for")
        if event.workshop(room) is None:
            known = ", ".join(w.id for w in event.workshops)
            raise ConfigError(f"--room: no workshop {room!r} in the event (known: {known})")
    elif room:
        raise ConfigError("--room: only facilitator links belong to a room")
    return parsed


async def find_or_create(
    conn: AsyncConnection,
    event: Event,
    name: str,
    role: Role,
    room: str | None,
    source: str,
    organisation: str = "",
) -> Person:
    """The person of this name, role, room and source, created the first time."""
    query = people.select().where(
        people.c.event_id == event.id,
        people.c.name == name,
        people.c.role == role.value,
        people.c.source == source,
        people.c.removed_at.is_(None),
        (people.c.room == room) if room else people.c.room.is_(None),
    )
    row = (await conn.execute(query)).first()
    if row is not None:
        return Person.from_row(row)
    return await create_person(
        conn,
        event_id=event.id,
        name=name,
        organisation=organisation,
        role=role,
        room=room,
        source=source,
    )


async def issue_links(
    settings: Settings, base_url: str, *, role: str, room: str | None, count: int, name: str | None
) -> list[str]:
    """Create `count` people of `role` and return one line per person with their join link."""
    if not 1 <= count <= MAX_LINKS:
        raise ConfigError(f"--count: between 1 and {MAX_LINKS}")
    event = load_event(settings.event_file)
    parsed = check_role(event, role, room)
    lines: list[str] = []
    async with command_database(settings.database_url) as db, db.write() as conn:
        for number in range(1, count + 1):
            label = name or f"{parsed.value.capitalize()} {number}"
            if name and count > 1:
                label = f"{name} {number}"
            person = await create_person(
                conn, event_id=event.id, name=label, role=parsed, room=room, source="cli"
            )
            token = await issue_token(conn, person.id)
            lines.append(f"{label}\t{join_url(base_url, token)}")
    return lines
