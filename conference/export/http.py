"""Serving exports over HTTP: moderators only, rendered off the event loop, never cached."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.responses import Response

from conference.export.base import Format, Rendered, Style, Table, render_tables

if TYPE_CHECKING:
    from conference.services import Services

NO_STORE = {"cache-control": "no-store"}


def style_of(services: Services) -> Style:
    """Cells as the event's language writes them, times in the event's zone."""
    event = services.event
    gettext = services.i18n.translations(event.language).gettext
    return Style(zone=event.zone, language=event.language, yes=gettext("yes"), no=gettext("no"))


def download(rendered: Rendered) -> Response:
    return Response(
        rendered.data,
        media_type=rendered.media_type,
        headers={
            "content-disposition": f'attachment; filename="{rendered.filename}"',
            **NO_STORE,
        },
    )


async def spreadsheet(
    services: Services, tables: Sequence[Table], format: Format, stem: str
) -> Response:
    """Tables as a CSV or XLSX download, written in a worker thread."""
    rendered = await asyncio.to_thread(render_tables, tables, style_of(services), format, stem)
    return download(rendered)
