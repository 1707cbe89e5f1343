"""Join tokens looked up in batches: the handshakes that arrive while one query runs are
answered by the next, with one query for all of them.

A join storm (everyone opens their link at 10:00) would otherwise cost one SQL round trip per
handshake, about 0.7 ms of CPU each through SQLAlchemy and aiosqlite (docs/benchmarks.md). A
lone handshake waits for nothing: its query starts at once. Every answer is read from the
database, so a revoked link is refused as soon as its revocation is committed.
"""

from __future__ import annotations

import asyncio

from conference.auth.people import Person, people_for_token_hashes
from conference.storage.db import Database

BATCH = 500


class TokenLookup:
    """This process's queue of token lookups, answered by one task in batches."""

    def __init__(self, db: Database, event_id: str) -> None:
        self._db = db
        self._event_id = event_id
        self._waiting: dict[str, list[asyncio.Future[Person | None]]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def person(self, token_hash: str) -> Person | None:
        """The person a live (unrevoked) token belongs to, unless removed or of another event."""
        found: asyncio.Future[Person | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(token_hash, []).append(found)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="token-lookup")
        return await found

    async def _read(self) -> None:
        while self._waiting:
            hashes = list(self._waiting)[:BATCH]
            batch = {token_hash: self._waiting.pop(token_hash) for token_hash in hashes}
            try:
                async with self._db.read() as conn:
                    by_hash = await people_for_token_hashes(conn, self._event_id, hashes)
            except Exception as exc:
                for futures in batch.values():
                    for future in futures:
                        if not future.done():
                            future.set_exception(exc)
                continue
            for token_hash, futures in batch.items():
                for future in futures:
                    if not future.done():
                        future.set_result(by_hash.get(token_hash))
