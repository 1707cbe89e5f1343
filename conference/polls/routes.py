"""HTTP: the results export for moderators and the presenter view for the stream."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from conference.auth.presenter import presenter_key, valid_key
from conference.export.http import spreadsheet
from conference.polls import service, store
from conference.polls.export import poll_tables
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.templating import Pages


def poll_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event
    # the console's poll panel links the presenter view (moderators only see that page)
    pages.env.globals["presenter_path"] = lambda: f"/presenter/{presenter_key(services.settings)}"

    async def export(request: Request) -> Response:
        person = await moderator_or_refusal(services, pages, request)
        if isinstance(person, Response):
            return person
        async with services.db.read() as conn:
            row = await store.get(conn, event.id, request.path_params["id"])
            if row is None:
                return JSONResponse({"error": "poll.not_found"}, status_code=404)
            poll = store.as_poll(row)
            name = f"poll-{poll['key'] or poll['id']}"
            fmt = request.path_params["format"]
            if fmt != "json":
                tables = await poll_tables(conn, poll)
                return await spreadsheet(services, tables, "xlsx" if fmt == "xlsx" else "csv", name)
            results = await service.results(services, conn, poll, moderator=True)
            answers = None
            if not poll["settings"].get("anonymous", True):
                answers = await store.individual_answers(conn, poll["id"])
        return JSONResponse(
            {"poll": poll, "results": results, "answers": answers},
            headers={"content-disposition": f'attachment; filename="{name}.json"'},
        )

    async def presenter(request: Request) -> Response:
        if not valid_key(services.settings, request.path_params["key"]):
            return pages.render(
                request, "message.html", kind="join_invalid", status_code=404, event=event
            )
        room = request.query_params.get("room", "plenary")
        if services.rooms.known(room) is None:
            room = "plenary"
        return pages.render(
            request, "presenter.html", event=event, key=request.path_params["key"], room=room
        )

    return [
        Route("/moderator/polls/{id}/results.{format:str}", export, name="poll_export"),
        Route("/presenter/{key}", presenter, name="presenter"),
    ]
