"""The `conference` command: serve, migrate, demo, links, report, purge."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from conference.settings import ConfigError, Settings

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "config", None):
        overrides["event_file"] = Path(args.config)
    if getattr(args, "log_level", None):
        overrides["log_level"] = args.log_level
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = [
            f"  CONFERENCE_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ConfigError("invalid settings:\n" + "\n".join(problems)) from None


def _base_url(settings: Settings, host: str, port: int) -> str:
    return (settings.public_url or f"http://{host}:{port}").rstrip("/")


def cmd_migrate(args: argparse.Namespace) -> int:
    from conference.storage.migrate import migrate

    settings = _settings(args)
    _prepare_sqlite_dir(settings)
    asyncio.run(migrate(settings.database_url))
    print(f"database is up to date: {settings.database_url}")
    return 0


def _prepare_sqlite_dir(settings: Settings) -> None:
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from conference.app import create_app
    from conference.logs import log_config
    from conference.realtime.server import transport_limit
    from conference.storage.migrate import migrate

    settings = _settings(args)
    _prepare_sqlite_dir(settings)
    if not args.no_migrate:
        asyncio.run(migrate(settings.database_url))
    if args.demo:
        from conference.demo import prepare_demo

        links = asyncio.run(prepare_demo(settings, _base_url(settings, args.host, args.port)))
        print(links, flush=True)
    app = create_app(settings)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=settings.log_level,
        # no client addresses and no join links in the logs (conference/logs.py)
        log_config=log_config(settings.log_ip_addresses, settings.log_level),
        ws_max_size=transport_limit(settings),
        # permessage-deflate doubles memory per client and slows fan-out (docs/benchmarks.md)
        ws_per_message_deflate=False,
        proxy_headers=True,
        lifespan="on",
    )
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from conference.links import issue_links

    settings = _settings(args)
    lines = asyncio.run(
        issue_links(
            settings,
            _base_url(settings, args.host, args.port),
            role=args.role,
            room=args.room,
            count=args.count,
            name=args.name,
        )
    )
    print("\n".join(lines))
    return 0


def cmd_import_participants(args: argparse.Namespace) -> int:
    from conference.registration.cli import import_participants

    settings = _settings(args)
    base_url = _base_url(settings, args.host, args.port)
    return import_participants(settings, base_url, Path(args.file), args.output)


def cmd_purge(args: argparse.Namespace) -> int:
    from conference.purge import purge

    if not args.yes:
        raise ConfigError("purge deletes personal data for good: add --yes")
    deleted = asyncio.run(purge(_settings(args), now=args.now))
    print("rows deleted:" if args.now else "rows deleted or anonymised:")
    for name, count in deleted.items():
        print(f"  {name}: {count}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from conference.events.loader import load_event
    from conference.report.build import build
    from conference.storage.db import command_database

    settings = _settings(args)
    event = load_event(settings.event_file)

    async def run() -> bytes:
        async with command_database(settings.database_url) as db:
            rendered = await build(db, event, args.format, names=args.names)
        return rendered.data

    data = asyncio.run(run())
    suffix = "-names" if args.names else ""
    output = Path(args.output or f"{event.id}-report{suffix}.{args.format}")
    output.write_bytes(data)
    names = "with names of people who agreed" if args.names else "without names"
    print(f"report ({args.format}, {names}) written to {output}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from conference.notes.cli import export_notes

    settings = _settings(args)
    data, name = asyncio.run(export_notes(settings, args.format))
    output = Path(args.output or name)
    output.write_bytes(data)
    print(f"{output}: {len(data)} bytes")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="conference", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--config", help="event file (default: CONFERENCE_EVENT_FILE or config/event.toml)"
        )
        sub.add_argument("--log-level", choices=["debug", "info", "warning", "error"])

    for name, help_text in (
        ("serve", "serve the event"),
        ("demo", "serve the built-in demo event and print links"),
    ):
        sub = commands.add_parser(name, help=help_text)
        common(sub)
        sub.add_argument("--host", default=DEFAULT_HOST)
        sub.add_argument("--port", type=int, default=DEFAULT_PORT)
        sub.add_argument(
            "--no-migrate", action="store_true", help="do not upgrade the schema first"
        )
        sub.set_defaults(func=cmd_serve, demo=name == "demo")

    sub = commands.add_parser("migrate", help="create or upgrade the database schema")
    common(sub)
    sub.set_defaults(func=cmd_migrate)

    sub = commands.add_parser("links", help="issue join links for a role")
    common(sub)
    sub.add_argument(
        "--role", choices=["participant", "moderator", "facilitator"], default="participant"
    )
    sub.add_argument("--room", help="the workshop a facilitator runs")
    sub.add_argument("--count", type=int, default=1)
    sub.add_argument("--name", help="name of the person (default: a numbered placeholder)")
    sub.add_argument(
        "--host", default=DEFAULT_HOST, help="host used in the links without CONFERENCE_PUBLIC_URL"
    )
    sub.add_argument("--port", type=int, default=DEFAULT_PORT)
    sub.set_defaults(func=cmd_links)

    sub = commands.add_parser("import-participants", help="import participants from a CSV file")
    common(sub)
    sub.add_argument("file", help="CSV: name, organisation, email, workshop_first, workshop_second")
    sub.add_argument("--output", help="write the CSV of join links here instead of to stdout")
    sub.add_argument("--host", default=DEFAULT_HOST, help="host used in the links")
    sub.add_argument("--port", type=int, default=DEFAULT_PORT)
    sub.set_defaults(func=cmd_import_participants)

    sub = commands.add_parser("report", help="build the event report (PDF or DOCX)")
    common(sub)
    sub.add_argument("--format", choices=["pdf", "docx"], default="pdf")
    sub.add_argument(
        "--names",
        action="store_true",
        help="add names of people who agreed at registration (default: no names)",
    )
    sub.add_argument("--output", help="file to write (default: EVENT-report.FORMAT)")
    sub.set_defaults(func=cmd_report)

    sub = commands.add_parser("export", help="export records of the event as documents")
    common(sub)
    sub.add_argument("what", choices=["notes"], help="notes: every workshop's shared notes")
    sub.add_argument("--format", choices=["docx", "md"], default="docx")
    sub.add_argument("--output", help="file to write (default: <event>-workshop-notizen.<format>)")
    sub.set_defaults(func=cmd_export)

    sub = commands.add_parser(
        "purge", help="delete the personal data whose retention period has ended"
    )
    common(sub)
    sub.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    sub.add_argument(
        "--now", action="store_true", help="delete every record of the event today, results too"
    )
    sub.set_defaults(func=cmd_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except ConfigError as exc:
        print(f"conference: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
