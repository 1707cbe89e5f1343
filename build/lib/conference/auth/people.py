"""People of an event and their join tokens (stored hashed, revocable)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Role, is_moderator
from conference.clock import utcnow
from conference.storage.tables import join_tokens, people


def new_id() -> str:
    return uuid.uuid4().hex


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    event_id: str
    name: str
    organisation: str
    email: str | None
    role: str
    room: str | None
    workshop_first: str | None
    workshop_second: str | None
    muted: bool
    removed: bool

    @classmethod
    def from_row(cls, row: sa.Row[tuple[object, ...]]) -> Person:
        m = row._mapping
        return cls(
            id=m["id"],
            event_id=m["event_id"],
            name=m["name"],
            organisation=m["organisation"],
            email=m["email"],
            role=m["role"],
            room=m["room"],
            workshop_first=m["workshop_first"],
            workshop_second=m["workshop_second"],
            muted=bool(m["muted"]),
            removed=m["removed_at"] is not None,
        )

    def manages(self, room: str) -> bool:
        """Who manages a room (its polls, held questions, chat): moderators everywhere,
        facilitators their own room."""
        return is_moderator(self.role) or (self.role == Role.FACILITATOR and self.room == room)

    def public(self) -> dict[str, str]:
        """What other people of the event may see."""
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "role": self.role,
        }


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


async def create_person(
    conn: AsyncConnection,
    *,
    event_id: str,
    name: str,
    organisation: str = "",
    email: str | None = None,
    role: Role = Role.PARTICIPANT,
    room: str | None = None,
    workshop_first: str | None = None,
    workshop_second: str | None = None,
    consent: bool = False,
    source: str = "registration",
) -> Person:
    now = utcnow()
    person_id = new_id()
    await conn.execute(
        people.insert().values(
            id=person_id,
            event_id=event_id,
            name=name,
            organisation=organisation,
            email=normalise_email(email),
            role=role.value,
            room=room,
            workshop_first=workshop_first,
            workshop_second=workshop_second,
            consent_at=now if consent else None,
            source=source,
            created_at=now,
        )
    )
    person = await get_person(conn, person_id)
    assert person is not None
    return person


async def get_person(conn: AsyncConnection, person_id: str) -> Person | None:
    row = (await conn.execute(people.select().where(people.c.id == person_id))).first()
    return Person.from_row(row) if row else None


async def find_by_email(conn: AsyncConnection, event_id: str, email: str) -> Person | None:
    query = people.select().where(
        people.c.event_id == event_id, people.c.email == normalise_email(email)
    )
    row = (await conn.execute(query)).first()
    return Person.from_row(row) if row else None


async def list_people(
    conn: AsyncConnection, event_id: str, role: Role | None = None, room: str | None = None
) -> list[Person]:
    query = people.select().where(people.c.event_id == event_id).order_by(people.c.created_at)
    if role is not None:
        query = query.where(people.c.role == role.value)
    if room is not None:
        query = query.where(people.c.room == room)
    return [Person.from_row(row) for row in await conn.execute(query)]


async def count_participants(conn: AsyncConnection, event_id: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(people)
        .where(
            people.c.event_id == event_id,
            people.c.role == Role.PARTICIPANT.value,
            people.c.removed_at.is_(None),
        )
    )
    return int((await conn.execute(query)).scalar_one())


async def issue_token(conn: AsyncConnection, person_id: str) -> str:
    """A new join token for the person; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    await conn.execute(
        join_tokens.insert().values(
            token_hash=hash_token(token), person_id=person_id, created_at=utcnow()
        )
    )
    return token


async def people_for_token_hashes(
    conn: AsyncConnection, event_id: str, token_hashes: list[str]
) -> dict[str, Person]:
    """The people live (unrevoked) tokens belong to, by token hash; removed people and other
    events' people are not found."""
    query = (
        sa.select(people, join_tokens.c.token_hash)
        .join(join_tokens, join_tokens.c.person_id == people.c.id)
        .where(
            join_tokens.c.token_hash.in_(token_hashes),
            join_tokens.c.revoked_at.is_(None),
            people.c.removed_at.is_(None),
            people.c.event_id == event_id,
        )
    )
    return {row.token_hash: Person.from_row(row) for row in await conn.execute(query)}


async def revoke_tokens(conn: AsyncConnection, person_id: str) -> None:
    await conn.execute(
        join_tokens.update()
        .where(join_tokens.c.person_id == person_id, join_tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def set_muted(conn: AsyncConnection, person_id: str, muted: bool) -> None:
    await conn.execute(people.update().where(people.c.id == person_id).values(muted=muted))


async def remove_person(conn: AsyncConnection, person_id: str) -> None:
    """Removed people lose every link and cannot rejoin."""
    await conn.execute(people.update().where(people.c.id == person_id).values(removed_at=utcnow()))
    await revoke_tokens(conn, person_id)
