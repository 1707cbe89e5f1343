"""HTTP: a workshop's room page, and the assignment as CSV for moderators."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from conference.auth.people import Person
from conference.auth.roles import Role, is_moderator
from conference.export.http import spreadsheet
from conference.rooms.registry import Room
from conference.services import Services
from conference.web.identity import current_person, moderator_or_refusal
from conference.web.origin import same_origin
from conference.web.templating import Pages, request_locale
from conference.workshops import csv_io, seats, service
from conference.workshops import phase as phases


async def where_to(services: Services, person: Person) -> str | None:
    """The workshop room a person belongs in now: a facilitator's own, a participant's seat
    while the phase runs."""
    if person.role == Role.FACILITATOR and person.room:
        return person.room
    if person.role != Role.PARTICIPANT:
        return None
    async with services.db.read() as conn:
        if not (await phases.read(conn, services.event.id)).running:
            return None
    seat = await services.parts[seats.SeatLookup].get(person.id)
    return seat.room if seat is not None and not seat.waiting else None


async def person_and_workshop(
    services: Services, pages: Pages, request: Request
) -> tuple[Person, Room] | Response:
    """Who asks and the workshop room of the path, or the page that says why not."""
    event = services.event
    person = await current_person(services, request)
    if person is None:
        return pages.render(
            request, "message.html", kind="join_required", status_code=401, event=event
        )
    room = await services.rooms.get(request.path_params["room"])
    if room is None or not room.is_workshop:
        return pages.render(request, "message.html", kind="not_found", status_code=404, event=event)
    return person, room


def workshop_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event

    async def room_page(request: Request) -> Response:
        found = await person_and_workshop(services, pages, request)
        if isinstance(found, Response):
            return found
        person, room = found
        manager = person.manages(room.id)
        if not manager:
            if person.role != Role.PARTICIPANT:
                return pages.render(
                    request, "message.html", kind="forbidden", status_code=403, event=event
                )
            belongs = await where_to(services, person)
            if belongs != room.id:
                # before the phase, or another room: where this person belongs now
                target = f"/workshop/{belongs}" if belongs else "/plenary"
                return RedirectResponse(target, status_code=303)
        return pages.render(
            request,
            "workshop.html",
            style_nonce=True,
            event=event,
            person=person,
            room=room,
            manager=manager,
            moderator=is_moderator(person.role),
            video_host=_host(room),
            now=dt.datetime.now(event.zone),
        )

    async def export(request: Request) -> Response:
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        tables = await csv_io.assignment(services)
        return await spreadsheet(services, tables, "csv", f"{event.id}-workshops")

    async def import_(request: Request) -> Response:
        if not same_origin(request, services):
            return JSONResponse({"errors": ["origin"]}, status_code=403)
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        gettext = services.i18n.translations(request_locale(request)).gettext
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            data = (
                await upload.read(csv_io.MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
            )
        async with services.db.write() as conn:
            everyone = await service.participants(conn, event.id)
            parsed = csv_io.parse(data, everyone, services.rooms.workshops())
            problems = [p for p in parsed if isinstance(p, csv_io.Problem)]
            if problems or not data:
                texts = [f"{p.line}: {p.text(gettext)}" for p in problems[:50]]
                return JSONResponse(
                    {"errors": texts or [gettext("Please choose a CSV file.")]}, 400
                )
            changes = [c for c in parsed if isinstance(c, csv_io.Change)]
            moved = await csv_io.apply(conn, event.id, changes)
        changed: list[seats.Seat | tuple[str, None]] = []
        for change, result in zip(changes, moved, strict=True):
            changed.append(result.seat or (change.person_id, None))
            changed.extend(result.promoted)
        service.announce_seats(services, changed)
        return JSONResponse({"changed": len(changes)})

    return [
        Route("/workshop/{room}", room_page, name="workshop"),
        Route("/moderator/workshops/seats.csv", export, name="workshop_seats_csv"),
        Route(
            "/moderator/workshops/seats.csv",
            import_,
            name="workshop_seats_import",
            methods=["POST"],
        ),
    ]


def _host(room: Room) -> str:
    """The host an external video room talks to (said before anyone opens it)."""
    return urlsplit(room.video_url).hostname or "" if room.video_url else ""
