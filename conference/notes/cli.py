"""`conference export notes`: every workshop's notes from the database, without a server."""

from __future__ import annotations

from conference.events.loader import load_event
from conference.notes import export
from conference.notes.read import sections
from conference.rooms.registry import every_workshop
from conference.settings import Settings
from conference.storage.db import command_database
from conference.web.i18n import I18n


async def export_notes(settings: Settings, format_: str) -> tuple[bytes, str]:
    """The notes of every workshop room (of the file and added live) as DOCX or Markdown;
    returns the bytes and a file name."""
    event = load_event(settings.event_file)
    async with command_database(settings.database_url) as db, db.read() as conn:
        found = await sections(conn, event.id, await every_workshop(conn, event))
    name = f"{event.id}-workshop-notizen.{format_}"
    if format_ == "md":
        return export.markdown(found).encode(), name
    title = I18n().gettext(event.language, export.TITLE) % {"event": event.title}
    return export.docx(title, found, language=event.language), name
