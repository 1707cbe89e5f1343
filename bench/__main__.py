"""`python -m bench [scenario …] [--quick | --n N]`: start the servers, run, print, save JSON.

Scenarios: joinstorm, fanout, reactions, votes, memory, redis, workshops, notes, rejoin (default:
all).
Every scenario runs against our server and the bare python-socketio baseline in the same
invocation; fan-out also against a bare ASGI websocket broadcast (the ceiling); the workshop
switch against the plenary join storm of the same N; the notes against a bare relay.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import platform
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import harness, notes, rejoin, report, scenarios, workshops
from bench.polls import vote_setup
from bench.scenarios import Crowd

ALL = [
    "joinstorm",
    "fanout",
    "reactions",
    "votes",
    "memory",
    "redis",
    "workshops",
    "notes",
    "rejoin",
]
RESULTS = Path(__file__).resolve().parent / "results"
FIVE_ROOMS = ["vernetzung", "fachkraefte", "digitalisierung", "transformation", "akzeptanz"]


def plan(args: argparse.Namespace) -> dict[str, Any]:
    if args.quick or args.n:
        n = args.n or 50
        return {
            "join_sizes": [n],
            "fan_sizes": [n],
            "rates": [1, 5],
            "duration": 1.0,
            "ladder": [20],
            "ladder_s": 1.0,
            "react_n": n,
            "react_s": 1.0,
            "vote_dups": max(1, n // 10),
            "memory_n": n,
            "redis_n": n,
            "redis_rates": [5],
            "settle": 0.3,
            "prestart": True,
            "memory_kinds": ["ours", "ours_deflate"],
            "workshop_cells": [[n, 5]],
            "rejoin_sizes": [n],
            "notes_cells": [[[["vernetzung", 8], ["fachkraefte", 8]], 8.0, 2.0]],
        }
    return {
        "join_sizes": [200, 1000, 2000],
        "fan_sizes": [200, 1000, 2000],
        "rates": [1, 5, 20],
        "duration": 5.0,
        "ladder": [7.5, 10, 15, 20, 30, 40, 60, 80],
        "ladder_s": 3.0,
        "react_n": 2000,
        "react_s": 5.0,
        "vote_dups": 200,
        "memory_n": 2000,
        "redis_n": 2000,
        "redis_rates": [5, 20],
        "settle": 1.0,
        "prestart": False,
        "memory_kinds": ["ours", "ours_arriving", "ours_deflate", "baseline"],
        "workshop_cells": [[200, 5], [200, 50], [2000, 5], [2000, 50]],
        "rejoin_sizes": [200, 2000],
        # the reference event's five workshops of 40 writers, 1 update a second each; and one
        # document with 400 writers at 50 updates a second
        "notes_cells": [
            [[[room, 40] for room in FIVE_ROOMS], 40.0, 10.0],
            [[["vernetzung", 400]], 50.0, 10.0],
        ],
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in (
        "python-socketio",
        "python-engineio",
        "uvicorn",
        "starlette",
        "websockets",
        "picows",
        "redis",
        "uvloop",
    ):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "nproc": harness.CORES,
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": versions,
        "pinning": (
            f"server on core 0, load generator on core {harness.GENERATOR_CORE}"
            if harness.CORES >= 2
            else "one core: not pinned"
        ),
    }


STARTERS: dict[str, Callable[[], harness.Server]] = {
    "ours": lambda: harness.start_ours(),
    "baseline": lambda: harness.start_plain("baseline"),
    "bare": lambda: harness.start_plain("bare"),
    "memory:ours": lambda: harness.start_ours(),
    "memory:ours_deflate": lambda: harness.start_ours(deflate=True),
    "memory:ours_arriving": lambda: harness.start_ours(),
    "memory:baseline": lambda: harness.start_plain("baseline"),
    "redis": lambda: harness.start_ours(processes=2, redis=True),
}


class Servers:
    """Servers are started when a scenario needs them, or all at once up front (smoke run)."""

    def __init__(self) -> None:
        self.started: dict[str, harness.Server] = {}

    async def prestart(self, names: list[str]) -> None:
        gate = asyncio.Semaphore(harness.CORES)

        async def start(name: str) -> harness.Server:
            async with gate:
                return await asyncio.to_thread(STARTERS[name])

        results = await asyncio.gather(*(start(n) for n in names), return_exceptions=True)
        for name, result in zip(names, results, strict=True):
            if isinstance(result, harness.Server):
                self.started[name] = result
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def get(self, name: str) -> harness.Server:
        server = self.started.pop(name, None)
        return server or await asyncio.to_thread(STARTERS[name])

    def stop_all(self) -> None:
        for server in self.started.values():
            server.stop()
        self.started.clear()


def needed(selected: list[str], p: dict[str, Any]) -> list[str]:
    names = []
    if {"joinstorm", "fanout", "reactions", "votes"} & set(selected):
        names += ["ours", "baseline"]
    if "fanout" in selected:
        names.append("bare")
    if "memory" in selected:
        names += [f"memory:{kind}" for kind in p["memory_kinds"]]
    if "redis" in selected:
        names.append("redis")
    return names


async def run_kind(
    kind: str, servers: Servers, selected: list[str], p: dict[str, Any], out: dict[str, Any]
) -> None:
    """Scenarios 1-4 on one server of one kind (ours or baseline)."""
    server = await servers.get(kind)
    try:
        if "joinstorm" in selected:
            out.setdefault("joinstorm", {})[kind] = await scenarios.join_storm(
                server, p["join_sizes"]
            )
            report.progress(f"join storm ({kind}) done")
        if not {"fanout", "reactions", "votes"} & set(selected):
            return
        crowd = Crowd(server)
        try:
            if "fanout" in selected:
                out.setdefault("fanout", {})[kind] = await scenarios.fanout(
                    crowd, p["fan_sizes"], p["rates"], p["duration"], p["ladder"], p["ladder_s"]
                )
                report.progress(f"fan-out ({kind}) done")
            if "reactions" in selected:
                await crowd.grow(p["react_n"], scenarios.GROW_AT_ONCE)
                out.setdefault("reactions", {})[kind] = await scenarios.reactions(
                    crowd, 2.0, p["react_s"]
                )
                report.progress(f"reactions ({kind}) done")
            if "votes" in selected:
                await crowd.grow(p["react_n"], scenarios.GROW_AT_ONCE)
                out.setdefault("votes", {})[kind] = await scenarios.vote_storm(
                    crowd, vote_setup(kind), p["vote_dups"], 1.0
                )
                report.progress(f"vote storm ({kind}) done")
        finally:
            await crowd.close()
    finally:
        server.stop()


async def run_ceiling(servers: Servers, p: dict[str, Any], out: dict[str, Any]) -> None:
    server = await servers.get("bare")
    crowd = Crowd(server)
    try:
        _, failures = await crowd.grow(max(p["fan_sizes"]), scenarios.GROW_AT_ONCE)
        if failures:
            raise RuntimeError(f"ceiling: {len(failures)} clients failed: {failures[:2]}")
        await asyncio.sleep(p["settle"])
        ladder = [r * 2 for r in p["ladder"]] + [r * 4 for r in p["ladder"][-2:]]
        out.setdefault("fanout", {})["bare"] = await scenarios.fanout(
            crowd, [len(crowd.clients)], p["rates"], p["duration"], ladder, p["ladder_s"]
        )
        report.progress("fan-out ceiling (bare websocket) done")
    finally:
        await crowd.close()
        server.stop()


async def run_memory(servers: Servers, p: dict[str, Any], out: dict[str, Any]) -> None:
    rows = {}
    for label in p["memory_kinds"]:
        server = await servers.get(f"memory:{label}")
        try:
            # "arriving": 100 joining at a time, so little of the join burst stays in the heap
            at_once = scenarios.GROW_AT_ONCE if label == "ours_arriving" else None
            rows[label] = await scenarios.memory(
                server, p["memory_n"], deflate_offer=True, at_once=at_once
            )
        finally:
            server.stop()
        report.progress(f"memory ({label}) done")
    out["memory"] = rows


async def run_redis(servers: Servers, p: dict[str, Any], out: dict[str, Any]) -> None:
    server = await servers.get("redis")
    crowd = Crowd(server)
    try:
        result: dict[str, Any] = {}
        result["fanout"] = await scenarios.fanout(
            crowd, [p["redis_n"]], p["redis_rates"], p["duration"], p["ladder"], p["ladder_s"]
        )
        report.progress("fan-out on two processes done")
        result["votes"] = await scenarios.vote_storm(crowd, vote_setup("ours"), p["vote_dups"], 1.0)
        report.progress("vote storm on two processes done")
        out["redis"] = result
    finally:
        await crowd.close()
        server.stop()


async def run_workshops(p: dict[str, Any], out: dict[str, Any]) -> None:
    """Each cell on a fresh server: the phase and the seats are event-wide."""
    rows = []
    for n, room_count in p["workshop_cells"]:
        server = await asyncio.to_thread(harness.start_ours)
        try:
            rows.append(await workshops.switch(server, n, room_count))
        finally:
            server.stop()
        report.progress(f"workshop switch N={n} rooms={room_count} done")
    out["workshops"] = rows


async def run_rejoin(p: dict[str, Any], out: dict[str, Any]) -> None:
    """Each size on a fresh server whose rate limits are lifted: the history before the crash
    is written by one moderator in a few seconds."""
    rows = []
    lifted = {"CONFERENCE_RATE_LIMIT_BURST": "100000", "CONFERENCE_RATE_LIMIT_PER_SECOND": "100000"}
    for n in p["rejoin_sizes"]:
        server = await asyncio.to_thread(lambda: harness.start_ours(extra_env=lifted))
        try:
            rows.append(await rejoin.rejoin(server, n))
        finally:
            server.stop()
        report.progress(f"reconnect after a crash N={n} done")
    out["rejoin"] = rows


async def run_notes(p: dict[str, Any], out: dict[str, Any]) -> None:
    """Each cell on fresh servers, ours and the bare relay."""
    rows = []
    for layout, rate, duration in p["notes_cells"]:
        cell: dict[str, Any] = {}
        for kind in ("ours", "baseline"):
            start = (
                harness.start_ours if kind == "ours" else lambda: harness.start_plain("baseline")
            )
            server = await asyncio.to_thread(start)
            try:
                cell[kind] = await notes.notes_load(
                    server, [tuple(x) for x in layout], rate, duration
                )
            finally:
                server.stop()
        cell.update(notes.summary(cell["ours"], cell["baseline"]))
        rows.append(cell)
        report.progress(f"notes {len(layout)} document(s) x {layout[0][1]} writers done")
    out["notes"] = rows


async def main_async(selected: list[str], p: dict[str, Any]) -> dict[str, Any]:
    harness.pin_generator()
    scenarios.SETTLE = p["settle"]
    gc.freeze()
    out: dict[str, Any] = {}
    servers = Servers()
    try:
        if p["prestart"]:
            await servers.prestart(needed(selected, p))
        if {"joinstorm", "fanout", "reactions", "votes"} & set(selected):
            for kind in ("ours", "baseline"):
                await run_kind(kind, servers, selected, p, out)
        if "fanout" in selected:
            await run_ceiling(servers, p, out)
        if "memory" in selected:
            await run_memory(servers, p, out)
        if "redis" in selected:
            await run_redis(servers, p, out)
        if "workshops" in selected:
            await run_workshops(p, out)
        if "notes" in selected:
            await run_notes(p, out)
        if "rejoin" in selected:
            await run_rejoin(p, out)
    finally:
        servers.stop_all()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(ALL)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 50, short cells")
    parser.add_argument("--n", type=int, help="one size for every scenario (short cells)")
    parser.add_argument(
        "--out", type=Path, help="JSON file (default: bench/results/<timestamp>.json)"
    )
    args = parser.parse_args(argv)
    selected = args.scenarios or ALL
    unknown = set(selected) - set(ALL)
    if unknown:
        parser.error(
            f"unknown scenario(s): {', '.join(sorted(unknown))}; choose from {', '.join(ALL)}"
        )
    p = plan(args)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    started = time.perf_counter()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    results = asyncio.run(main_async(selected, p))
    document = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {**machine(), "loadavg_before": load_before},
        "plan": p,
        "results": results,
        "targets": report.targets(results),
        "duration_s": round(time.perf_counter() - started, 1),
    }
    print(report.table(document))
    path = args.out or RESULTS / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
