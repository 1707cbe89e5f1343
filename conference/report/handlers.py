"""report:build and report:list (moderators): the event report built off the event loop with
its progress in the console; its HTTP routes serve the reports and the spreadsheet exports."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, Literal

from conference.auth.roles import Permission
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Context, NoPayload, Payload, Router
from conference.report import store
from conference.report.jobs import Jobs
from conference.report.routes import report_routes
from conference.services import Services

router = Router()


class ReportBuild(Payload):
    format: Literal["pdf", "docx"] = "pdf"
    names: bool = False


@router.on("report:build", ReportBuild, Permission.MODERATOR)
async def build(ctx: Context, payload: ReportBuild) -> dict[str, Any]:
    """Start a build (one at a time per event); `report:progress` follows to moderators."""
    report = await ctx.services.parts[Jobs].start(ctx.person.id, payload.format, payload.names)
    return {"report": report}


@router.on("report:list", NoPayload, Permission.MODERATOR)
async def listing(ctx: Context, payload: NoPayload) -> dict[str, Any]:
    """The reports built last, newest first."""
    async with ctx.services.db.read() as conn:
        return {"reports": await store.recent(conn, ctx.event_id)}


@contextlib.asynccontextmanager
async def _lifetime(services: Services) -> AsyncIterator[None]:
    jobs = services.parts.add(Jobs(services))
    try:
        yield
    finally:
        await jobs.close()
        services.parts.remove(Jobs)


capability = Capability("report", router, lifetime=_lifetime, routes=report_routes)

__all__ = ["capability"]
