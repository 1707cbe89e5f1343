"""Group commit of notes updates: the updates that arrive while one transaction runs go into
the next, numbered per document by its counter row, each acknowledged after that commit."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from conference.notes import store
from conference.storage.db import Database

BATCH = 500


@dataclass
class _Pending:
    room: str
    update: bytes
    done: asyncio.Future[int] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class NotesWriter:
    """This process's queue of notes updates, written by one task in batches."""

    def __init__(self, db: Database, event_id: str) -> None:
        self._db = db
        self._event_id = event_id
        self._waiting: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None

    async def write(self, room: str, update: bytes) -> int:
        """Store one update durably; returns its number in the room's document."""
        pending = _Pending(room, update)
        self._waiting.append(pending)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="notes-writer")
        return await pending.done

    def busy(self, room: str) -> bool:
        return any(p.room == room for p in self._waiting)

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
            by_room: dict[str, list[_Pending]] = defaultdict(list)
            for pending in batch:
                by_room[pending.room].append(pending)
            try:
                numbered: list[tuple[_Pending, int]] = []
                async with self._db.write() as conn:
                    for room, items in sorted(by_room.items()):
                        seqs = await store.append(
                            conn, self._event_id, room, [p.update for p in items]
                        )
                        numbered += zip(items, seqs, strict=True)
            except Exception as exc:
                for pending in batch:
                    if not pending.done.done():
                        pending.done.set_exception(exc)
                continue
            for pending, seq in numbered:
                if not pending.done.done():
                    pending.done.set_result(seq)

    async def close(self) -> None:
        """Let what was sent be written (the app is stopping)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
