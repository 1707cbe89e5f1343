"""`python -m conference.report.worker REPORT_ID`: build one report in a process of its own.

The server starts it (conference/report/jobs.py) so that drawing and laying out never share a
core's time with the event loop (a thread would hold the GIL); it runs at a lower priority,
writes its progress to SQL and prints it as JSON lines, and stores the document in SQL.
Settings come from the environment (CONFERENCE_DATABASE_URL, CONFERENCE_EVENT_FILE).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys

from conference.events.loader import load_event
from conference.report import store
from conference.report.build import ReportFormat, build
from conference.settings import Settings
from conference.storage.db import Database

log = logging.getLogger("conference.report")


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


async def run(report_id: str) -> int:
    settings = Settings()
    event = load_event(settings.event_file)
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            row = await store.get(conn, event.id, report_id)
        if row is None or row.status != "building":
            say(status="failed", error="the report is not being built")
            return 1
        pending: list[asyncio.Task[None]] = []
        loop = asyncio.get_running_loop()

        async def record(step: int, steps: int) -> None:
            async with db.write() as conn:
                await store.progress(conn, report_id, step, steps)

        def progress(step: int, steps: int, stage: str) -> None:
            say(status="building", step=step, steps=steps, stage=stage)
            pending.append(loop.create_task(record(step, steps)))

        format: ReportFormat = "docx" if row.format == "docx" else "pdf"
        try:
            rendered = await build(db, event, format, names=bool(row.names), progress=progress)
        except Exception:
            log.exception("building report %s failed", report_id)
            await asyncio.gather(*pending, return_exceptions=True)
            async with db.write() as conn:
                await store.finish(conn, report_id)
            say(status="failed")
            return 1
        await asyncio.gather(*pending, return_exceptions=True)
        async with db.write() as conn:
            await store.finish(
                conn,
                report_id,
                filename=rendered.filename,
                media_type=rendered.media_type,
                data=rendered.data,
            )
        say(status="ready", size=len(rendered.data))
        return 0
    finally:
        await db.close()


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    with contextlib.suppress(OSError):
        os.nice(10)  # the live event comes first
    if len(argv) != 1:
        print("usage: python -m conference.report.worker REPORT_ID", file=sys.stderr)
        return 2
    return asyncio.run(run(argv[0]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
