"""Registrations and join links as personal data (conference/privacy/declaration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.roles import Role
from conference.privacy.declaration import N_, Expiring, Forgetting, PersonalData
from conference.storage.tables import join_tokens, metadata, people


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


async def export(conn: AsyncConnection, event_id: str, person_id: str) -> dict[str, Any]:
    row = (
        await conn.execute(
            people.select().where(people.c.id == person_id, people.c.event_id == event_id)
        )
    ).one()
    links = await conn.execute(
        sa.select(join_tokens.c.created_at, join_tokens.c.revoked_at)
        .where(join_tokens.c.person_id == person_id)
        .order_by(join_tokens.c.created_at)
    )
    return {
        "name": row.name,
        "organisation": row.organisation,
        "email": row.email,
        "role": row.role,
        "workshop_room": row.room,
        "workshop_first_choice": row.workshop_first,
        "workshop_second_choice": row.workshop_second,
        "consent_given_at": _iso(row.consent_at),
        "source": row.source,
        "registered_at": _iso(row.created_at),
        "muted": bool(row.muted),
        "removed_at": _iso(row.removed_at),
        # only a hash of each link is stored: the links themselves cannot be shown again
        "join_links": [
            {"issued_at": _iso(link.created_at), "revoked_at": _iso(link.revoked_at)}
            for link in links
        ],
    }


def _anonymised(now: dt.datetime) -> dict[str, Any]:
    """A nameless placeholder: what shared results (messages, votes) may keep referring to."""
    return {
        "name": "",
        "organisation": "",
        "email": None,
        "role": Role.PARTICIPANT.value,
        "room": None,
        "workshop_first": None,
        "workshop_second": None,
        "consent_at": None,
        "muted": False,
        "removed_at": now,
        "anonymised_at": now,
    }


async def forget(conn: AsyncConnection, forgetting: Forgetting) -> None:
    """Every link stops working; the row keeps only its random id (so votes stay one per
    person and messages keep an author, "a deleted person")."""
    ids = forgetting.person_ids
    await conn.execute(join_tokens.delete().where(join_tokens.c.person_id.in_(ids)))
    await conn.execute(
        people.update().where(people.c.id.in_(ids)).values(**_anonymised(forgetting.now))
    )


def _referenced(person_id: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    """Whether any other table still refers to the person (found through foreign keys, so
    tables added later are covered)."""
    checks = [
        sa.exists().where(fk.parent == person_id)
        for table in metadata.sorted_tables
        if table is not join_tokens
        for fk in table.foreign_keys
        if fk.column is people.c.id
    ]
    return sa.or_(*checks) if checks else sa.false()


async def expire(conn: AsyncConnection, expiring: Expiring) -> int:
    """Links and identities go; placeholders stay only while other records refer to them."""
    of_event = people.c.event_id == expiring.event_id
    links = await conn.execute(
        join_tokens.delete().where(
            join_tokens.c.person_id.in_(sa.select(people.c.id).where(of_event))
        )
    )
    unreferenced = await conn.execute(people.delete().where(of_event, ~_referenced(people.c.id)))
    named = await conn.execute(
        people.update()
        .where(of_event, people.c.anonymised_at.is_(None))
        .values(**_anonymised(expiring.now))
    )
    return int(links.rowcount + unreferenced.rowcount + named.rowcount)


registrations = PersonalData(
    name="registration",
    kind="registrations",
    tables=(people, join_tokens),
    title=N_("Registration"),
    what=N_(
        "Your name, organisation, e-mail address, workshop choices and role, when you "
        "consented, and when your personal join links were issued (only a fingerprint of "
        "each link is stored)."
    ),
    purpose=N_(
        "To let you in with your personal link, to show your name and organisation beside "
        "what you write, to plan the workshops and to send you your link by e-mail."
    ),
    on_withdrawal=N_(
        "Deleted: your links stop working at once, and your name, organisation and e-mail "
        "address are removed."
    ),
    export=export,
    forget=forget,
    expire=expire,
)
