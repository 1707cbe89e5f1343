"""Reports built by worker processes: started from the console, followed line by line, their
progress sent to the moderators' consoles on every process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from typing import Any

from conference.realtime import audiences
from conference.realtime.errors import Refused
from conference.report import store
from conference.services import Services

log = logging.getLogger(__name__)

PROGRESS = "report:progress"
MAX_SECONDS = 600  # a build that takes longer is stopped


class Jobs:
    """This process's report builds (one per event at a time, across processes)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._tasks: set[asyncio.Task[None]] = set()
        self._processes: set[asyncio.subprocess.Process] = set()

    async def start(self, person_id: str, format: str, names: bool) -> dict[str, Any]:
        services, event_id = self.services, self.services.event.id
        async with services.db.write() as conn:
            if await store.building(conn, event_id):
                raise Refused("report.busy")
            report_id = await store.insert(conn, event_id, format, names, person_id)
            row = await store.get(conn, event_id, report_id)
        env = {
            **os.environ,
            "CONFERENCE_DATABASE_URL": services.settings.database_url,
            "CONFERENCE_EVENT_FILE": str(services.settings.event_file),
        }
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "conference.report.worker",
                report_id,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
        except OSError:
            log.exception("the report worker could not be started")
            await self._fail(report_id)
            raise Refused("server.error") from None
        self._processes.add(process)
        task = asyncio.create_task(self._follow(report_id, process), name=f"report:{report_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        report = store.public(row)
        self._tell(report, "reading")
        return report

    def _tell(self, report: dict[str, Any], stage: str) -> None:
        self.services.publisher.send_volatile(
            PROGRESS,
            {"report": report, "stage": stage},
            audiences.moderators(self.services.event.id),
        )

    async def _follow(self, report_id: str, process: asyncio.subprocess.Process) -> None:
        try:
            async with asyncio.timeout(MAX_SECONDS):
                assert process.stdout is not None
                async for line in process.stdout:
                    with contextlib.suppress(ValueError):
                        said = json.loads(line)
                        if said.get("status") == "building":
                            report = await self._report(report_id)
                            report.update(step=said["step"], steps=said["steps"])
                            self._tell(report, str(said.get("stage", "")))
                await process.wait()
        except TimeoutError:
            log.error("report %s took longer than %s s: stopped", report_id, MAX_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        except asyncio.CancelledError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            await self._fail(report_id)
            raise
        finally:
            self._processes.discard(process)
        if process.returncode != 0:
            await self._fail(report_id)
        report = await self._report(report_id)
        self._tell(report, "done" if report["status"] == "ready" else "failed")

    async def _report(self, report_id: str) -> dict[str, Any]:
        async with self.services.db.read() as conn:
            row = await store.get(conn, self.services.event.id, report_id)
        return store.public(row)

    async def _fail(self, report_id: str) -> None:
        with contextlib.suppress(Exception):
            async with self.services.db.write() as conn:
                await store.finish(conn, report_id)

    async def close(self) -> None:
        """The app stops: builds under way are stopped and marked failed."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
