"""The notes documents this process holds: loaded from SQL, kept complete, shared between
processes.

Every process that holds a document applies every update of it: its own after they are
committed, the other processes' from the fan-out (the `notes:update` broadcast carries the
update with its number, `notes_seq`: not `seq`, which names the room log's numbers). Updates
commute and applying one twice changes nothing, so two processes never fork a document; a
missing number (a broadcast lost while Redis was away) makes the process read what it lacks
from SQL. Before a document is served to a client, saved as a version or compacted, it is
brought up to date from SQL, so what it serves is at least everything acknowledged. Updates are
written in batches (conference/notes/writer.py).

Compaction (every COMPACT_EVERY updates) encodes the whole document as a snapshot in the same
transaction that locks the document's row, and drops the updates the snapshot holds; loading
reads the snapshot and the updates after it. A document nobody has used for a while on this
process is unloaded; nothing is pending then, since every write completes before its ack.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from typing import Any

import pycrdt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from conference.notes import store
from conference.services import Services

log = logging.getLogger(__name__)

TEXT = "notes"  # the one Y.Text of every notes document (the browser uses the same name)
BROADCAST = "notes:update"
MODE_BROADCAST = "notes:mode"
COMPACT_EVERY = 300
IDLE_SECONDS = 600.0
GAP_GRACE_SECONDS = 0.5  # a number may arrive out of order; only then read SQL


def text_update(text: str) -> bytes:
    """An update that inserts `text` into an empty document."""
    doc: pycrdt.Doc[Any] = pycrdt.Doc()
    doc.get(TEXT, type=pycrdt.Text).insert(0, text)
    return doc.get_update()


class LiveDoc:
    """One document in memory, and which numbered updates it holds."""

    def __init__(self, room: str) -> None:
        self.room = room
        self.doc: pycrdt.Doc[Any] = pycrdt.Doc()
        self.text = self.doc.get(TEXT, type=pycrdt.Text)
        self.applied = 0  # every update up to this number is in `doc`
        self.ahead: set[int] = set()  # numbers past a gap, applied already
        self.gap_since: float | None = None
        self.snapshot_seq = 0
        self.mode = "everyone"
        self.used = time.monotonic()
        self.lock = asyncio.Lock()  # catch-up, compaction and versions of this document

    def apply(self, seq: int, update: bytes) -> None:
        """Apply a numbered update (once; out of order is fine for the document)."""
        if seq <= self.applied or seq in self.ahead:
            return
        self.doc.apply_update(update)
        self.ahead.add(seq)
        while self.applied + 1 in self.ahead:
            self.applied += 1
            self.ahead.discard(self.applied)
        self.gap_since = (self.gap_since or time.monotonic()) if self.ahead else None

    @property
    def size(self) -> int:
        """The encoded size of the whole document, in bytes."""
        return len(self.doc.get_update())

    def state(self) -> bytes:
        return self.doc.get_update()

    def __str__(self) -> str:
        return str(self.text)


class NotesDocs:
    """This process's documents, by room."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.event_id = services.event.id
        self._docs: dict[str, LiveDoc] = {}
        self._loading: dict[str, asyncio.Task[LiveDoc]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- loading ---------------------------------------------------------------------------

    async def get(self, room: str) -> LiveDoc:
        """The room's document, loaded (and on first use created from the template)."""
        live = self._docs.get(room)
        if live is not None:
            live.used = time.monotonic()
            return live
        loading = self._loading.get(room)
        if loading is None:
            loading = self._loading[room] = asyncio.create_task(self._load(room))
            loading.add_done_callback(lambda _: self._loading.pop(room, None))
        return await asyncio.shield(loading)

    async def fresh(self, room: str) -> LiveDoc:
        """The document with everything committed so far."""
        live = await self.get(room)
        async with live.lock, self.services.db.read() as conn:
            await self._catch_up(conn, live)
        return live

    async def _load(self, room: str) -> LiveDoc:
        live = LiveDoc(room)
        async with self.services.db.read() as conn:
            exists = await store.doc(conn, self.event_id, room) is not None
        if not exists:
            template = self._template(room)
            try:
                async with self.services.db.write() as conn:
                    await store.create(
                        conn, self.event_id, room, text_update(template) if template else None
                    )
            except IntegrityError:
                pass  # another process created it first: one template, never two
        async with self.services.db.read() as conn:
            await self._catch_up(conn, live)
        self._docs[room] = live
        return live

    def _template(self, room: str) -> str:
        workshop = self.services.event.workshop(room)
        if workshop is not None and workshop.notes_template is not None:
            return workshop.notes_template.strip("\n") + "\n"
        template = self.services.event.notes_template
        return template.strip("\n") + "\n" if template.strip() else ""

    async def _catch_up(self, conn: AsyncConnection, live: LiveDoc) -> None:
        """Apply what SQL holds beyond `live.applied` (the snapshot, if it is newer)."""
        row = await store.doc(conn, self.event_id, live.room)
        if row is None:
            return
        live.mode = row.mode
        live.snapshot_seq = row.snapshot_seq
        if row.snapshot is not None and row.snapshot_seq > live.applied:
            live.doc.apply_update(row.snapshot)
            live.applied = row.snapshot_seq
            live.ahead = {seq for seq in live.ahead if seq > live.applied}
        # numbers are gap-free in SQL: the counter is updated in the transaction that stores
        for seq, update in await store.updates_after(conn, self.event_id, live.room, live.applied):
            live.apply(seq, update)

    # --- other processes' updates --------------------------------------------------------

    def observe(self, event: str, data: Any, audience: Any) -> None:
        """A `notes:update` (or a changed mode) from any process: apply it here."""
        if not isinstance(data, dict) or event not in (BROADCAST, MODE_BROADCAST):
            return
        live = self._docs.get(str(data.get("room")))
        if live is not None and event == MODE_BROADCAST:
            live.mode = str(data.get("mode"))
            return
        seq, update = data.get("notes_seq"), data.get("update")
        if live is None or not isinstance(seq, int) or not isinstance(update, str):
            return
        try:
            live.apply(seq, base64.b64decode(update))
        except ValueError:
            log.warning("a notes update of %s could not be applied", live.room)

    # --- compaction, catching up, unloading ------------------------------------------------

    def written(self, live: LiveDoc) -> None:
        """After a commit: compact when enough updates piled up since the snapshot."""
        if live.applied - live.snapshot_seq >= COMPACT_EVERY:
            self._spawn(self.compact(live))

    async def compact(self, live: LiveDoc) -> None:
        if live.lock.locked():
            return  # compacting (or catching up) already
        async with live.lock, self.services.db.write() as conn:
            row = await store.doc(conn, self.event_id, live.room, lock=True)
            if row is None or row.seq - row.snapshot_seq < COMPACT_EVERY:
                return
            await self._catch_up(conn, live)
            if live.applied < row.seq:
                return  # a number is still missing; the next write tries again
            await store.set_snapshot(conn, self.event_id, live.room, live.state(), row.seq)
            live.snapshot_seq = row.seq

    async def run(self) -> None:
        """Fill gaps that stayed open, unload documents nobody uses."""
        while True:
            await asyncio.sleep(GAP_GRACE_SECONDS)
            now = time.monotonic()
            for live in list(self._docs.values()):
                try:
                    if live.gap_since is not None and now - live.gap_since > GAP_GRACE_SECONDS:
                        async with live.lock, self.services.db.read() as conn:
                            await self._catch_up(conn, live)
                    if now - live.used > IDLE_SECONDS and not live.lock.locked():
                        del self._docs[live.room]
                except Exception:
                    log.exception("keeping the notes of %s up to date failed", live.room)

    def loaded(self, room: str) -> LiveDoc | None:
        return self._docs.get(room)

    def _spawn(self, job: Any) -> None:
        task = asyncio.get_running_loop().create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks, return_exceptions=True)
