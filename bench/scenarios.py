"""The scenarios: each drives one server (of any kind) and returns plain dicts of figures."""

from __future__ import annotations

import array
import asyncio
import contextlib
import gc
import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.client import Client, ack_ok, open_client
from bench.harness import Server, create_people, own_cpu_seconds, rss_bytes

ROOM = "plenary"
CONNECT_TIMEOUT = 60.0
SETTLE = 1.0  # scale of the pauses between steps (the smoke run shortens them)
GROW_AT_ONCE = 100  # clients joining at once when a scenario only needs them in the room
VOTE_ACK_TIMEOUT = 15.0  # a vote not acknowledged by then counts as "no ack"
DRAIN_TIMEOUT = 10.0
P99_TARGET_MS = 200.0
GENERATOR_LIMIT = 0.9  # generator CPU share of wall time above which it, not the server, limits


def percentile(values: Any, q: float) -> float | None:
    if not len(values):
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return float(ordered[k])


async def call(client: Client, event: str, payload: dict[str, Any]) -> Any:
    """An event's ack data, or RuntimeError when it was refused."""
    future = client.emit(event, payload)
    assert future is not None
    ok, data = ack_ok(await asyncio.wait_for(future, CONNECT_TIMEOUT))
    if not ok:
        raise RuntimeError(f"{event} refused: {data}")
    return data


def ms_stats(seconds: Any) -> dict[str, float | None]:
    def ms(q: float) -> float | None:
        value = percentile(seconds, q)
        return None if value is None else round(value * 1000, 1)

    return {"p50_ms": ms(50), "p95_ms": ms(95), "p99_ms": ms(99)}


class Meter:
    """CPU of the server processes and of this generator over one measured window."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.t0 = time.perf_counter()
        self.server0 = server.cpu()
        self.gen0 = own_cpu_seconds()

    def read(self) -> dict[str, Any]:
        wall = time.perf_counter() - self.t0
        server = [b - a for a, b in zip(self.server0, self.server.cpu(), strict=True)]
        gen = own_cpu_seconds() - self.gen0
        return {
            "wall_s": round(wall, 3),
            "server_cpu_s": round(sum(server), 3),
            "server_cpu_s_by_process": [round(x, 3) for x in server],
            "server_cpu_share": [round(s / wall, 2) for s in server],
            "generator_cpu_share": round(gen / wall, 2),
            "generator_limited": gen / wall >= GENERATOR_LIMIT,
        }


@dataclass
class Crowd:
    """Connected clients of one server; incoming events go to whatever `sink` is set."""

    server: Server
    clients: list[Client] = field(default_factory=list)
    sink: Callable[[Client, bytes, float], None] | None = None

    def on_event(self, client: Client, data: bytes, now: float) -> None:
        if self.sink is not None:
            self.sink(client, data, now)

    async def join_one(self, index: int, token: str) -> tuple[Client, float]:
        """Connect, authenticate and join the plenary; returns the client and seconds taken."""
        start = time.perf_counter()
        url = self.server.urls[index % len(self.server.urls)]
        client = await open_client(url, index, token, self.on_event, CONNECT_TIMEOUT)
        future = client.emit(self.server.events["join"], {"room": ROOM})
        assert future is not None
        ok, data = ack_ok(await asyncio.wait_for(future, CONNECT_TIMEOUT))
        if not ok:
            client.close()
            raise RuntimeError(f"join refused: {data}")
        if self.server.kind == "ours" and "seq" not in data:
            raise RuntimeError("join without snapshot")
        return client, time.perf_counter() - start

    async def grow(self, count: int, at_once: int | None = None) -> tuple[list[float], list[str]]:
        """Connect and join until `count` clients are in the room: all at once, or at most
        `at_once` joining at any moment."""
        tokens = await create_people(self.server, count)
        start = len(self.clients)
        gate = asyncio.Semaphore(at_once or count)

        async def gated(i: int) -> tuple[Client, float]:
            async with gate:
                return await self.join_one(i, tokens[i])

        results = await asyncio.gather(
            *(gated(i) for i in range(start, count)), return_exceptions=True
        )
        times, failures = [], []
        for result in results:
            if isinstance(result, BaseException):
                failures.append(f"{type(result).__name__}: {result}"[:200])
            else:
                self.clients.append(result[0])
                times.append(result[1])
        return times, failures

    async def storm(self, count: int) -> dict[str, Any]:
        """`grow` all at once, measured: the baseline of the scenarios that move people."""
        meter = Meter(self.server)
        start = time.perf_counter()
        times, failures = await self.grow(count)
        return {
            "joined": len(times),
            "all_joined_s": round(time.perf_counter() - start, 3),
            **ms_stats(times),
            "failures": len(failures),
            **meter.read(),
        }

    async def close(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()
        await asyncio.sleep(0.5 * SETTLE)


# 1 ---------------------------------------------------------------------------------------
async def join_storm(server: Server, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        await create_people(server, n)
        crowd = Crowd(server)
        meter = Meter(server)
        start = time.perf_counter()
        times, failures = await crowd.grow(n)
        total = time.perf_counter() - start
        rows.append(
            {
                "n": n,
                "joined": len(times),
                "all_joined_s": round(total, 3),
                **ms_stats(times),
                "failures": len(failures),
                "failure_examples": failures[:3],
                **meter.read(),
            }
        )
        await crowd.close()
        await asyncio.sleep(1.0 * SETTLE)
    return rows


# 2 ---------------------------------------------------------------------------------------
class FanoutCell:
    """One rate for a while: every chat message must reach every client in the room once."""

    def __init__(self, crowd: Crowd, cell: int, rate: float, duration: float) -> None:
        self.crowd, self.rate = crowd, rate
        self.count = max(1, round(rate * duration))
        self.prefix = b"b%03dx" % (cell % 1000)
        self.sent = [0.0] * self.count
        self.latency = array.array("d")
        self.by_process: dict[int, array.array[float]] = {}
        self.processes = len(crowd.server.urls)
        self.last = 0.0
        self.refused = 0
        self.acks = 0

    def on_event(self, client: Client, data: bytes, now: float) -> None:
        pos = data.find(b'"client_id":"', 17)
        if pos < 0 or not data.startswith(b'42["chat:message"'):
            return
        pos += 13
        if data[pos : pos + 5] != self.prefix:
            return
        index = int(data[pos + 5 : pos + 11])
        seen = client.seen
        if seen[index]:
            client.doubled += 1
            return
        seen[index] = 1
        latency = now - self.sent[index]
        self.latency.append(latency)
        if self.processes > 1:
            self.by_process[client.index % self.processes].append(latency)
        self.last = now

    def on_ack(self, raw: bytes, now: float) -> None:
        self.acks += 1
        if b'"ok":true' not in raw[:16]:
            self.refused += 1

    async def run(self) -> dict[str, Any]:
        crowd = self.crowd
        clients = crowd.clients
        for client in clients:
            client.seen = bytearray(self.count)
            client.doubled = 0
        self.by_process = {p: array.array("d") for p in range(self.processes)}
        # stay within the per-person rate limit (5/s): spread sending over enough people
        senders = clients[: max(4, math.ceil(self.rate / 2))]
        event = crowd.server.events["chat"]
        crowd.sink = self.on_event
        meter = Meter(crowd.server)
        start = time.perf_counter()
        for index in range(self.count):
            delay = start + index / self.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id = (self.prefix + b"%06d" % index).decode()
            self.sent[index] = time.perf_counter()
            senders[index % len(senders)].emit(
                event,
                {"room": ROOM, "body": f"Nachricht {index}", "client_id": client_id},
                self.on_ack,
            )
        expected = self.count * len(clients)
        last_progress, seen_count = time.perf_counter(), -1
        while len(self.latency) < expected:
            await asyncio.sleep(0.02)
            if len(self.latency) != seen_count:
                seen_count, last_progress = len(self.latency), time.perf_counter()
            elif time.perf_counter() - last_progress > DRAIN_TIMEOUT:
                break
        cpu = meter.read()
        crowd.sink = None
        delivered = len(self.latency)
        span = max(self.last - start, 1e-9)
        row: dict[str, Any] = {
            "n": len(clients),
            "rate": self.rate,
            "messages": self.count,
            **ms_stats(self.latency),
            "deliveries": delivered,
            "deliveries_per_s": round(delivered / span),
            "server_cpu_us_per_delivery": round(cpu["server_cpu_s"] / max(delivered, 1) * 1e6, 1),
            "lost": expected - delivered,
            "doubled": sum(c.doubled for c in clients),
            "refused": self.refused,
            **cpu,
        }
        if self.processes > 1:
            row["by_process"] = {str(p): ms_stats(v) for p, v in self.by_process.items()}
        return row


def held(row: dict[str, Any]) -> bool:
    p99 = row["p99_ms"]
    return p99 is not None and p99 <= P99_TARGET_MS and row["lost"] == 0 and row["doubled"] == 0


async def fanout(
    crowd: Crowd,
    sizes: list[int],
    rates: list[float],
    duration: float,
    ladder: list[float],
    ladder_s: float,
) -> dict[str, Any]:
    """Fixed rates at each size, then a rising ladder at the largest size until p99 > 200 ms."""
    cells, cell_no = [], 0
    for n in sizes:
        if n > len(crowd.clients):
            _, failures = await crowd.grow(n, GROW_AT_ONCE)
            if failures:
                raise RuntimeError(f"{len(failures)} clients could not join: {failures[:2]}")
            await asyncio.sleep(1.5 * SETTLE)  # let the presence broadcast of the joins pass
        for rate in rates:
            cell_no += 1
            cells.append(await FanoutCell(crowd, cell_no, rate, duration).run())
            await asyncio.sleep(0.3)
    steps = await run_ladder(crowd, ladder, ladder_s, cell_no)
    return {"cells": cells, **steps, **capacity([c for c in cells if c["n"] == max(sizes)])}


def capacity(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Deliveries per CPU-second of the busiest server process, over the given cells: unlike
    deliveries per wall second, this holds on a machine where other work takes CPU too."""
    deliveries = sum(c["deliveries"] for c in cells)
    busiest = [0.0] * max((len(c["server_cpu_s_by_process"]) for c in cells), default=0)
    for cell in cells:
        for i, cpu in enumerate(cell["server_cpu_s_by_process"]):
            busiest[i] += cpu
    top = max(busiest, default=0.0)
    return {
        "deliveries_per_cpu_s": round(deliveries / top) if top else None,
        "capacity_cells": [(c["n"], c["rate"]) for c in cells],
    }


async def run_ladder(
    crowd: Crowd, ladder: list[float], seconds: float, cell_no: int = 500
) -> dict[str, Any]:
    steps, best_rate = [], None
    for rate in ladder:
        cell_no += 1
        row = await FanoutCell(crowd, cell_no, rate, seconds).run()
        steps.append(row)
        if not held(row):
            break
        best_rate = rate
        await asyncio.sleep(0.5 * SETTLE)
    return {
        "ladder": steps,
        "held_rate": best_rate,
        "held_deliveries_per_s": round(best_rate * len(crowd.clients)) if best_rate else None,
        "max_deliveries_per_s": max((s["deliveries_per_s"] for s in steps), default=None),
    }


# 3 ---------------------------------------------------------------------------------------
async def reactions(crowd: Crowd, per_client_rate: float, duration: float) -> dict[str, Any]:
    """Every client clicks at `per_client_rate`; count the broadcasts that actually arrive."""
    clients = crowd.clients
    received = {"bursts": 0, "at_first": 0}
    first = clients[0]

    def sink(client: Client, data: bytes, now: float) -> None:
        if data.startswith(b'42["reaction:burst"'):
            received["bursts"] += 1
            if client is first:
                received["at_first"] += 1

    crowd.sink = sink
    event = crowd.server.events["react"]
    payload = {"room": ROOM, "emoji": "👏"}
    ticks_per_s = 20
    per_tick = len(clients) * per_client_rate / ticks_per_s
    meter = Meter(crowd.server)
    start = time.perf_counter()
    sent, owed, cursor = 0, 0.0, 0
    for tick in range(int(duration * ticks_per_s)):
        delay = start + tick / ticks_per_s - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        owed += per_tick
        while owed >= 1:
            clients[cursor % len(clients)].emit_noack(event, payload)
            cursor += 1
            sent += 1
            owed -= 1
    await asyncio.sleep(1.5)  # the last aggregate
    cpu = meter.read()
    crowd.sink = None
    return {
        "n": len(clients),
        "clicks_per_s": round(sent / duration),
        "broadcasts_per_s_at_one_client": round(received["at_first"] / cpu["wall_s"], 2),
        "deliveries_per_s": round(received["bursts"] / cpu["wall_s"]),
        "server_cpu_us_per_click": round(cpu["server_cpu_s"] / max(sent, 1) * 1e6, 1),
        **cpu,
    }


# 4 ---------------------------------------------------------------------------------------
VoteSetup = Callable[[Crowd], Awaitable[dict[str, Any] | None]]


async def vote_storm(
    crowd: Crowd, setup: VoteSetup, duplicates: int, window: float
) -> dict[str, Any]:
    """Everyone votes once within `window` seconds (plus `duplicates` repeats); all acks after
    commit, the final tally equal to the ground truth."""
    poll = await setup(crowd)
    if poll is None:
        return {"available": False, "reason": "polls are not available on this server"}
    clients = crowd.clients
    answers = poll["answers"]
    truth: dict[str, int] = {a: 0 for a in answers}
    latencies = array.array("d")
    refused: dict[str, int] = {}
    broadcasts = {"results": 0}
    result_event = poll.get("results_event", "poll:results").encode()

    def sink(client: Client, data: bytes, now: float) -> None:
        if data.startswith(b'42["' + result_event + b'"') and client is clients[0]:
            broadcasts["results"] += 1

    crowd.sink = sink
    event = crowd.server.events["vote"]
    meter = Meter(crowd.server)
    start = time.perf_counter()
    plan = [(i, False) for i in range(len(clients))] + [(i, True) for i in range(duplicates)]
    done = asyncio.get_running_loop().create_future()
    state = {"acked": 0, "last": start}

    def acker(sent_at: float) -> Callable[[bytes, float], None]:
        def on_ack(raw: bytes, now: float) -> None:
            latencies.append(now - sent_at)
            state["acked"] += 1
            state["last"] = now
            if b'"ok":true' not in raw[:16]:
                _ok, data = ack_ok(raw)
                code = data.get("code", "?") if isinstance(data, dict) else "?"
                refused[code] = refused.get(code, 0) + 1
            if state["acked"] == len(plan) and not done.done():
                done.set_result(None)

        return on_ack

    for k, (i, duplicate) in enumerate(plan):
        delay = start + k * window / len(plan) - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        answer = answers[i % len(answers)]
        if not duplicate:
            truth[answer] += 1
        clients[i].emit(event, poll["payload"](answer), acker(time.perf_counter()))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done, VOTE_ACK_TIMEOUT)
    errors = len(plan) - int(state["acked"])
    all_acked = state["last"] - start
    await asyncio.sleep(1.5)
    cpu = meter.read()
    crowd.sink = None
    tally = await poll["tally"]() if "tally" in poll else None
    return {
        "available": True,
        "n": len(clients),
        "duplicates": duplicates,
        "all_acked_s": round(all_acked, 3),
        **ms_stats(latencies),
        "ack_errors": errors,
        "refused": refused,
        "truth": truth,
        "tally": tally,
        "exact": tally == truth if tally is not None else None,
        "acked": int(state["acked"]),
        "tally_total": sum(tally.values()) if tally is not None else None,
        "results_broadcasts_at_one_client": broadcasts["results"],
        **cpu,
    }


# 5 ---------------------------------------------------------------------------------------
async def memory(
    server: Server, n: int, deflate_offer: bool, at_once: int | None = None
) -> dict[str, Any]:
    """RSS growth per connected, joined participant, with a client offering compression
    (websockets negotiates permessage-deflate like a browser) or not."""
    from websockets.asyncio.client import connect

    tokens = await create_people(server, n)
    await asyncio.sleep(1.0 * SETTLE)
    gc.collect()
    before = sum(server.rss())
    url = server.urls[0].replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    connections: list[Any] = []
    readers: list[asyncio.Task[None]] = []
    negotiated = {"deflate": 0}

    async def reader(ws: Any) -> None:
        async for message in ws:
            if message == "2":
                await ws.send("3")

    async def one(i: int) -> None:
        ws = await connect(
            url, compression="deflate" if deflate_offer else None, open_timeout=30, max_size=None
        )
        connections.append(ws)
        if "permessage-deflate" in (ws.response.headers.get("Sec-WebSocket-Extensions") or ""):
            negotiated["deflate"] += 1
        await ws.recv()  # open
        await ws.send("40" + json.dumps({"token": tokens[i]}))
        while not (await ws.recv()).startswith("40"):
            pass
        await ws.send("421" + json.dumps([server.events["join"], {"room": ROOM}]))
        while not (await ws.recv()).startswith("431"):
            pass
        readers.append(asyncio.create_task(reader(ws)))

    gate = asyncio.Semaphore(at_once or n)

    async def gated(i: int) -> None:
        async with gate:
            await one(i)

    results = await asyncio.gather(*(gated(i) for i in range(n)), return_exceptions=True)
    failures = sum(isinstance(r, BaseException) for r in results)
    await asyncio.sleep(3.0 * SETTLE)
    after = sum(server.rss())
    for task in readers:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in connections), return_exceptions=True)
    joined = n - failures
    return {
        "n": n,
        "joined": joined,
        "client_offers_deflate": deflate_offer,
        "deflate_negotiated": negotiated["deflate"],
        "rss_before_mb": round(before / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "kb_per_participant": round((after - before) / max(joined, 1) / 1024, 1),
    }


__all__ = [
    "Crowd",
    "fanout",
    "join_storm",
    "memory",
    "reactions",
    "rss_bytes",
    "run_ladder",
    "vote_storm",
]
