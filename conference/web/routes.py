"""Page routes: the public event page, join links, the plenary, the moderator console, health."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from conference.auth.people import Person, count_participants, hash_token
from conference.auth.roles import is_moderator
from conference.auth.sessions import COOKIE_NAME, MAX_AGE_SECONDS, Session
from conference.reactions.kinds import REACTIONS
from conference.registration.routes import registration_routes
from conference.registration.service import window
from conference.services import Services
from conference.state import backend_name
from conference.web.identity import current_person, moderator_or_refusal
from conference.web.templating import STATIC, Pages, remember_locale

NO_CACHE = {"cache-control": "no-store"}


def page_routes(
    services: Services, pages: Pages, capability_routes: list[BaseRoute]
) -> list[BaseRoute]:
    event = services.event

    def now() -> dt.datetime:
        return dt.datetime.now(event.zone)

    async def home(request: Request) -> Response:
        """The event; registration is offered only while its window is open and not full."""
        person = await current_person(services, request)
        state = None
        if person is None:
            async with services.db.read() as conn:
                participants = await count_participants(conn, event.id)
            state = window(event, dt.datetime.now(dt.UTC), participants).value
        return pages.render(request, "event.html", event=event, person=person, registration=state)

    async def healthz(request: Request) -> Response:
        database = await services.db.ping()
        state = await services.state.ping()
        body = {
            "status": "ok" if database and state else "down",
            "database": "up" if database else "down",
            "room_state": {
                "backend": backend_name(services.settings),
                "status": "up" if state else "down",
            },
        }
        return JSONResponse(body, status_code=200 if database and state else 503)

    async def join(request: Request) -> Response:
        token = request.path_params["token"]
        token_hash = hash_token(token)
        person = await services.tokens.person(token_hash)
        if person is None:
            return pages.render(
                request, "message.html", kind="join_invalid", status_code=404, event=event
            )
        response = RedirectResponse(await landing(services, person), status_code=303)
        response.set_cookie(
            COOKIE_NAME,
            services.sessions.dumps(Session(person_id=person.id, token_hash=token_hash)),
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        remember_locale(request, response)  # a join link sent with ?lang=en opens in English
        return response

    async def plenary(request: Request) -> Response:
        person = await current_person(services, request)
        if person is None:
            return pages.render(
                request, "message.html", kind="join_required", status_code=401, event=event
            )
        return pages.render(
            request, "plenary.html", event=event, person=person, now=now(), reactions=REACTIONS
        )

    async def moderator(request: Request) -> Response:
        person = await moderator_or_refusal(services, pages, request)
        if isinstance(person, Response):
            return person
        async with services.db.read() as conn:
            registered = await count_participants(conn, event.id)
        return pages.render(
            request,
            "moderator.html",
            event=event,
            person=person,
            now=now(),
            registered=registered,
            reactions=REACTIONS,
        )

    async def favicon(request: Request) -> Response:
        """Browsers ask for /favicon.ico where a page names no icon (a download, an error)."""
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    async def stream_offline(request: Request) -> Response:
        """The demo's stream: a manifest that says "offline" (204, no playlist) rather than a
        404, so the player's probe finds it offline without an error in the browser."""
        return Response(status_code=204, headers={"x-stream-status": "offline", **NO_CACHE})

    async def leave(request: Request) -> Response:
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE_NAME)
        return response

    return [
        Route("/", home, name="home"),
        Route("/healthz", healthz, name="healthz"),
        Route("/join/{token}", join, name="join"),
        Route("/plenary", plenary, name="plenary"),
        Route("/moderator", moderator, name="moderator"),
        Route("/leave", leave, name="leave", methods=["GET", "POST"]),
        Route("/favicon.ico", favicon, name="favicon"),
        Route("/stream/offline.m3u8", stream_offline, name="stream_offline"),
        *registration_routes(services, pages),
        *capability_routes,
        Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"),
    ]


async def landing(services: Services, person: Person) -> str:
    """Where a join link leads: moderators to the console, everyone else to the room they
    belong in now (a facilitator's workshop, a participant's during the workshop phase), or
    the plenary."""
    if is_moderator(person.role):
        return "/moderator"
    room = await services.room_hooks.room_of(person)
    return f"/workshop/{room}" if room else "/plenary"
