"""A person's own data: the export (Art. 15 GDPR) and the withdrawal (Art. 17 GDPR)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conference.privacy.declaration import Forgetting, forgetting_lock
from conference.privacy.registry import PERSONAL_DATA
from conference.realtime.ending import end_sessions

if TYPE_CHECKING:
    from conference.services import Services


async def export(services: Services, person_id: str) -> dict[str, Any]:
    """Everything the event keeps about the person, section by section, with why and until
    when (read in one transaction, so the sections agree)."""
    event = services.event
    sections: dict[str, Any] = {}
    async with services.db.read() as conn, conn.begin():
        for declaration in PERSONAL_DATA:
            data = await declaration.export(conn, event.id, person_id)
            if data is not None:
                sections[declaration.name] = data
    return {
        "event": {
            "id": event.id,
            "title": event.title,
            "organiser": event.organiser,
            "date": event.date.isoformat(),
        },
        "controller": event.privacy.controller or event.organiser,
        "contact": event.privacy.contact_email or event.contact_email,
        "exported_at": services.clock.now().isoformat(),
        "data": sections,
        "kept": [
            {
                "section": declaration.name,
                "title": declaration.title,
                "what": declaration.what,
                "purpose": declaration.purpose,
                "deleted_after": event.deletion_due(declaration.kind).isoformat(),
            }
            for declaration in PERSONAL_DATA
        ],
    }


async def withdraw(services: Services, person_id: str) -> None:
    """Delete or anonymise everything of the person in one transaction, tell the rooms,
    then end the person's connections (their links no longer exist)."""
    forgetting = Forgetting(
        event_id=services.event.id, person_ids=frozenset({person_id}), now=services.clock.now()
    )
    async with services.db.write() as conn:
        await forgetting_lock(conn, services.event.id)
        for declaration in PERSONAL_DATA:
            await declaration.forget(conn, forgetting)
    for entry, audience in forgetting.logged:
        services.publisher.send(entry, audience)
    for type_, data, audience in forgetting.notices:
        services.publisher.send_volatile(type_, data, audience)
    await end_sessions(services, person_id, "withdrawn")
