"""HTTP: a room's notes as Markdown and DOCX, read-only after the workshops, and every
workshop's notes in one DOCX for the organisers."""

from __future__ import annotations

from urllib.parse import quote

from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conference.auth.people import Person
from conference.auth.roles import Role
from conference.notes import export
from conference.notes.read import current_text, sections
from conference.rooms.registry import Room
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.templating import Pages
from conference.workshops import seats
from conference.workshops.routes import person_and_workshop

NO_STORE = {"cache-control": "no-store"}
_html = MarkdownIt("commonmark", {"html": False})  # raw HTML in the notes stays text


async def may_read(services: Services, person: Person, room: str) -> bool:
    """Who manages the room, and the participants whose workshop it is (also afterwards)."""
    if person.manages(room):
        return True
    if person.role != Role.PARTICIPANT:
        return False
    seat = await services.parts[seats.SeatLookup].get(person.id)
    return seat is not None and seat.room == room and not seat.waiting


def _section(room: Room, text: str) -> export.Section:
    return export.Section(room.title, text, room.facilitator)


def _download(data: bytes | str, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data, media_type=media_type, headers={"content-disposition": disposition, **NO_STORE}
    )


def notes_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event

    async def room_and_text(request: Request) -> tuple[Room, str] | Response:
        found = await person_and_workshop(services, pages, request)
        if isinstance(found, Response):
            return found
        person, room = found
        if not await may_read(services, person, room.id):
            return pages.render(
                request, "message.html", kind="forbidden", status_code=403, event=event
            )
        async with services.db.read() as conn:
            text = await current_text(conn, event.id, room.id)
        return room, text or ""

    async def page(request: Request) -> Response:
        found = await room_and_text(request)
        if isinstance(found, Response):
            return found
        room, text = found
        return pages.render(
            request,
            "workshop_notes.html",
            event=event,
            room=room,
            notes_html=Markup(_html.render(text)),
            empty=not text.strip(),
        )

    async def markdown(request: Request) -> Response:
        found = await room_and_text(request)
        if isinstance(found, Response):
            return found
        room, _ = found
        body = export.markdown([_section(*found)])
        return _download(body, export.MARKDOWN_TYPE, f"{event.id}-{room.id}-notizen.md")

    async def docx(request: Request) -> Response:
        found = await room_and_text(request)
        if isinstance(found, Response):
            return found
        room, _ = found
        data = export.docx(room.title, [_section(*found)], language=event.language)
        return _download(data, export.DOCX_TYPE, f"{event.id}-{room.id}-notizen.docx")

    async def everything(request: Request) -> Response:
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        data = await all_workshops_docx(services)
        return _download(data, export.DOCX_TYPE, f"{event.id}-workshop-notizen.docx")

    return [
        Route("/workshop/{room}/notes", page, name="workshop_notes"),
        Route("/workshop/{room}/notes.md", markdown, name="workshop_notes_md"),
        Route("/workshop/{room}/notes.docx", docx, name="workshop_notes_docx"),
        Route("/moderator/notes.docx", everything, name="all_notes_docx"),
    ]


async def all_workshops_docx(services: Services) -> bytes:
    """Every workshop's notes in one Word document, in the rooms' order."""
    event = services.event
    async with services.db.read() as conn:
        found = await sections(conn, event.id, services.rooms.workshops())
    title = services.i18n.gettext(event.language, export.TITLE) % {"event": event.title}
    return export.docx(title, found, language=event.language)
