"""HTTP for moderators: a built report, and every spreadsheet export as CSV or XLSX."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conference.export.base import FORMATS, Rendered, TableExport
from conference.export.http import download, style_of
from conference.polls.export import EXPORT as POLLS
from conference.qa.export import EXPORT as QUESTIONS
from conference.report import store
from conference.rooms.export import EXPORT as ATTENDANCE
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.templating import Pages
from conference.workshops.csv_io import EXPORT as WORKSHOPS

# every spreadsheet export the console offers, in its order
EXPORTS: dict[str, TableExport] = {
    export.identifier: export for export in (POLLS, QUESTIONS, ATTENDANCE, WORKSHOPS)
}


def report_routes(services: Services, pages: Pages) -> list[BaseRoute]:
    event = services.event
    pages.env.globals["spreadsheet_exports"] = list(EXPORTS.values())

    async def report(request: Request) -> Response:
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        async with services.db.read() as conn:
            row = await store.get(conn, event.id, request.path_params["id"], data=True)
        if row is None or row.status != "ready" or row.data is None:
            return pages.render(
                request, "message.html", kind="not_found", status_code=404, event=event
            )
        return download(Rendered(row.filename, row.media_type, row.data))

    async def export(request: Request) -> Response:
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        found = EXPORTS.get(request.path_params["name"])
        format = request.path_params["format"]
        if found is None or format not in FORMATS:
            return pages.render(
                request, "message.html", kind="not_found", status_code=404, event=event
            )
        rendered = await found.render(
            services,
            style_of(services),
            "xlsx" if format == "xlsx" else "csv",
            f"{event.id}-{found.identifier}",
        )
        return download(rendered)

    return [
        Route("/moderator/reports/{id}", report, name="report_download"),
        Route("/moderator/exports/{name}.{format}", export, name="export"),
    ]
