"""Shared notes under load: writers send small Yjs updates (made with pycrdt, as a browser's
Yjs would make them) to their room's document; the figures are the time from an update's send
to its arrival at the other writers, the time to its durable ack, server CPU per update, memory
per document and durable updates per second. The bare relay baseline (bench/baseline_server.py,
`notes`) forwards the same bytes to the room without pycrdt or SQL."""

from __future__ import annotations

import array
import asyncio
import base64
import json
import re
import time
from typing import Any

import pycrdt

from bench.client import Client, ack_ok, open_client
from bench.harness import Server, create_people
from bench.scenarios import CONNECT_TIMEOUT, ROOM, Meter, call, ms_stats

TOKEN = re.compile(rb"<(\d+)\.(\d+)>")
SAMPLE_RECEIVERS = 12  # writers per document that measure arrivals (the generator's CPU)
FRAME = b'42["notes:update"'
BASE_FRAME = b'42["notes"'


class Writer:
    """One writer: a connection and a document of its own changes only (each update depends
    on nothing another writer made, as when each types in a place of their own)."""

    def __init__(self, index: int, room: str, client: Client) -> None:
        self.index, self.room, self.client = index, room, client
        self.doc: pycrdt.Doc[Any] = pycrdt.Doc()
        self.text = self.doc.get("notes", type=pycrdt.Text)
        self.count = 0

    def next_update(self) -> tuple[bytes, bytes]:
        """A few characters typed; returns the update and its marker."""
        self.count += 1
        marker = b"<%d.%d>" % (self.index, self.count)
        before = self.doc.get_state()
        self.text.insert(0, marker.decode() + " ")
        return self.doc.get_update(before), marker


class Cell:
    def __init__(self) -> None:
        self.sent: dict[bytes, float] = {}
        self.arrival = array.array("d")
        self.ack = array.array("d")
        self.acked = 0
        self.refused: list[str] = []

    def on_event(self, client: Client, data: bytes, now: float) -> None:
        if not (data.startswith(FRAME) or data.startswith(BASE_FRAME)):
            return
        payload = json.loads(data[2:])[1]
        update = base64.b64decode(payload["update"])
        for match in TOKEN.finditer(update):
            sent = self.sent.get(match.group(0))
            if sent is not None:
                self.arrival.append(now - sent)


async def _prepare_ours(server: Server, layout: list[tuple[str, int]]) -> list[str]:
    """Participants seated in the rooms of `layout` and the workshop phase open; returns the
    tokens in the order of `layout`."""
    total = sum(count for _, count in layout)
    tokens = await create_people(server, total)
    moderator_token = (await create_people(server, total + 1, role="moderator"))[-1]
    moderator = await open_client(server.urls[0], -1, moderator_token, None, CONNECT_TIMEOUT)
    try:
        await call(moderator, "room:join", {"room": ROOM})
        people = (await call(moderator, "workshops:people", {}))["people"]
        by_name = {p["name"]: p["id"] for p in people}
        overview = await call(moderator, "workshops:overview", {})
        titles = {room["id"]: room["title"] for room in overview["rooms"]}
        start = 0
        for room, count in layout:
            await call(
                moderator,
                "workshops:room",
                {"id": room, "title": titles[room], "capacity": max(count, 40)},
            )
            ids = [by_name[f"Bench Person {i}"] for i in range(start, start + count)]
            await call(moderator, "workshops:move", {"people": ids, "room": room})
            start += count
            await asyncio.sleep(0.5)  # within the moderator's rate limit
        await call(moderator, "workshops:open", {"minutes": 120})
    finally:
        moderator.close()
    return tokens


async def notes_load(
    server: Server, layout: list[tuple[str, int]], per_doc_rate: float, duration: float
) -> dict[str, Any]:
    """`layout`: (room, writers) per document; `per_doc_rate`: updates a second per document."""
    ours = server.kind == "ours"
    if ours:
        tokens = await _prepare_ours(server, layout)
    else:
        tokens = await create_people(server, sum(count for _, count in layout))
    cell = Cell()
    writers: list[Writer] = []
    index = 0
    for room, count in layout:
        for number in range(count):
            sink = cell.on_event if number < SAMPLE_RECEIVERS else None
            url = server.urls[index % len(server.urls)]
            client = await open_client(url, index, tokens[index], sink, CONNECT_TIMEOUT)
            await call(client, "room:join" if ours else "join", {"room": room})
            writers.append(Writer(index, room, client))
            index += 1
    # memory of the documents: from here (everyone connected and in the room) to the end
    rss_before = sum(server.rss())
    if ours:
        for writer in writers:
            await call(
                writer.client, "notes:open", {"room": writer.room, "state_vector": "", "client": 1}
            )
    rss_open = sum(server.rss())
    docs = len(layout)
    by_room: dict[str, list[Writer]] = {}
    for writer in writers:
        by_room.setdefault(writer.room, []).append(writer)
    event = "notes:update" if ours else "notes"

    def send(writer: Writer) -> None:
        update, marker = writer.next_update()
        sent = time.perf_counter()
        cell.sent[marker] = sent

        def acked(raw: bytes, now: float) -> None:
            ok, data = ack_ok(raw)
            if ok:
                cell.acked += 1
                cell.ack.append(now - sent)
            else:
                cell.refused.append(str(data)[:120])

        payload = {"room": writer.room, "update": base64.b64encode(update).decode()}
        writer.client.emit(event, payload, acked)

    meter = Meter(server)
    interval = 1.0 / per_doc_rate
    started = time.perf_counter()
    ticks = int(duration * per_doc_rate)
    for tick in range(ticks):
        for room_writers in by_room.values():
            send(room_writers[tick % len(room_writers)])
        delay = started + (tick + 1) * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    expected = ticks * docs
    for _ in range(300):  # acks still on their way: at most 15 s more
        if cell.acked + len(cell.refused) >= expected:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # the last broadcasts
    figures = meter.read()
    rss_after = sum(server.rss())
    for writer in writers:
        writer.client.close()
    return {
        "kind": server.kind,
        "documents": docs,
        "writers": len(writers),
        "updates_per_s_per_doc": per_doc_rate,
        "sent": expected,
        "acked": cell.acked,
        "refused": len(cell.refused),
        "refused_examples": cell.refused[:3],
        "arrival": {**ms_stats(cell.arrival), "count": len(cell.arrival)},
        "ack": {**ms_stats(cell.ack)},
        "durable_per_s": round(cell.acked / figures["wall_s"], 1),
        "server_cpu_ms_per_update": round(figures["server_cpu_s"] * 1000 / max(1, expected), 3),
        "rss_open_mb": round(rss_open / 2**20, 1),
        "memory_per_document_kb": round((rss_after - rss_before) / 1024 / docs, 1),
        "load_memory_per_document_kb": round((rss_after - rss_open) / 1024 / docs, 1),
        **figures,
    }


def summary(ours: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The ratios against the bare relay of the same cell."""

    def ratio(a: Any, b: Any) -> float | None:
        return round(a / b, 2) if a and b else None

    return {
        "p95_ratio": ratio(ours["arrival"]["p95_ms"], base["arrival"]["p95_ms"]),
        "cpu_ratio": ratio(ours["server_cpu_ms_per_update"], base["server_cpu_ms_per_update"]),
    }
