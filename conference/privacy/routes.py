"""HTTP: the privacy notice, and a person's own page (export, withdrawal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from conference.auth.sessions import COOKIE_NAME
from conference.events.model import Event
from conference.privacy import self_service
from conference.privacy.declaration import PersonalData
from conference.privacy.registry import PERSONAL_DATA
from conference.registration.mail import mail_configured
from conference.registration.routes import NO_STORE
from conference.rooms.registry import Room
from conference.services import Services
from conference.web.identity import current_person
from conference.web.origin import same_origin
from conference.web.templating import Pages, request_locale


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """Somewhere a page may make the browser connect to, other than this server."""

    what: str  # "youtube", "vimeo", "stream", "captions", "sign_language", "video_room"
    host: str
    room: str = ""  # the workshop whose video room it is


def _host(url: str) -> str | None:
    """The host of an absolute URL (another server), or None for a path on this one."""
    return urlsplit(url).hostname if url.startswith(("https://", "http://")) else None


def third_parties(event: Event, rooms: list[Room]) -> list[ThirdParty]:
    """Every other host the pages of this event may connect to: from the event file, and the
    external video rooms of the workshops (also those added live)."""
    found: list[ThirdParty] = []
    stream = event.stream
    if stream.kind == "youtube":
        found.append(ThirdParty("youtube", "www.youtube-nocookie.com"))
    elif stream.kind == "vimeo":
        found.append(ThirdParty("vimeo", "player.vimeo.com"))
    elif stream.kind == "hls" and (host := _host(stream.url)):
        found.append(ThirdParty("stream", host))
    if host := _host(stream.captions):
        found.append(ThirdParty("captions", host))
    if host := _host(event.accessibility.sign_language_video):
        found.append(ThirdParty("sign_language", host))
    for room in rooms:
        if host := _host(room.video_url):
            found.append(ThirdParty("video_room", host, room.title))
    return found


def privacy_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event
    settings = services.settings

    def kept() -> list[tuple[PersonalData, dt.date]]:
        """Each kind of personal data with the day it is deleted (in the event's zone)."""
        return [
            (d, event.deletion_due(d.kind).astimezone(event.zone).date()) for d in PERSONAL_DATA
        ]

    async def notice(request: Request) -> Response:
        return pages.render(
            request,
            "privacy/notice.html",
            event=event,
            kept=kept(),
            third_parties=third_parties(event, services.rooms.workshops()),
            log_ip_addresses=settings.log_ip_addresses,
            mail=mail_configured(settings),
        )

    async def my_data(request: Request) -> Response:
        person = await current_person(services, request)
        if person is None:
            return pages.render(
                request, "message.html", kind="join_required", status_code=401, event=event
            )
        response = pages.render(
            request,
            "privacy/my_data.html",
            event=event,
            person=person,
            kept=kept(),
            error=False,
        )
        response.headers.update(NO_STORE)
        return response

    async def export(request: Request) -> Response:
        person = await current_person(services, request)
        if person is None:
            return JSONResponse({"error": "auth.required"}, status_code=401)
        data = await self_service.export(services, person.id)
        gettext = services.i18n.translations(request_locale(request)).gettext
        for item in data["kept"]:
            for key in ("title", "what", "purpose"):
                item[key] = gettext(item[key])
        return JSONResponse(
            data,
            headers={
                "content-disposition": f'attachment; filename="{event.id}-my-data.json"',
                **NO_STORE,
            },
        )

    async def withdraw(request: Request) -> Response:
        if not same_origin(request, services):
            return pages.render(request, "registration/origin.html", status_code=403, event=event)
        person = await current_person(services, request)
        if person is None:
            return pages.render(
                request, "message.html", kind="join_required", status_code=401, event=event
            )
        async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
            confirmed = form.get("confirm") == "yes"
        if not confirmed:
            response = pages.render(
                request,
                "privacy/my_data.html",
                status_code=400,
                event=event,
                person=person,
                kept=kept(),
                error=True,
            )
            response.headers.update(NO_STORE)
            return response
        await self_service.withdraw(services, person.id)
        response = pages.render(request, "privacy/withdrawn.html", event=event)
        response.delete_cookie(COOKIE_NAME)
        response.headers.update(NO_STORE)
        return response

    return [
        Route("/privacy", notice, name="privacy"),
        Route("/my-data", my_data, name="my_data"),
        Route("/my-data/export.json", export, name="my_data_export"),
        Route("/my-data/withdraw", withdraw, name="my_data_withdraw", methods=["POST"]),
    ]
