"""`conference import-participants FILE.csv`: import people registered elsewhere, with links."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from conference.events.loader import load_event
from conference.links import join_url
from conference.registration import csv_io
from conference.settings import ConfigError, Settings
from conference.storage.db import command_database


async def _import(settings: Settings, data: bytes) -> csv_io.Report:
    async with command_database(settings.database_url) as db:
        return await csv_io.import_csv(db, load_event(settings.event_file), data)


def import_participants(settings: Settings, base_url: str, path: Path, output: str | None) -> int:
    """Import the file (all rows or none); write name, organisation, email, join_link as CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from None
    try:
        report = asyncio.run(_import(settings, data))
    except csv_io.ImportFailed as failed:
        for error in failed.errors:
            where = f"{path}:{error.line}" if error.line > 0 else str(path)
            print(f"{where}: {error.text()}", file=sys.stderr)
        print(f"{path}: nothing imported ({len(failed.errors)} error(s))", file=sys.stderr)
        return 1
    text = csv_io.links_csv(
        ((entry.person, entry.token) for entry in report.imported),
        lambda token: join_url(base_url, token),
        delimiter=report.delimiter,
    )
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    updated = len(report.imported) - report.created
    print(
        f"{path}: imported {len(report.imported)} participant(s): "
        f"{report.created} new, {updated} updated",
        file=sys.stderr,
    )
    return 0
