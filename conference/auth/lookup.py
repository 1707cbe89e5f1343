"""Join tokens looked up in batches (conference/storage/batched.py): a join storm costs a
handful of queries, and a revoked link is refused as soon as its revocation is committed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import Person, people_for_token_hashes
from conference.storage.batched import BatchedLookup
from conference.storage.db import Database


class TokenLookup(BatchedLookup[str, Person]):
    """The person a live (unrevoked) token belongs to, unless removed or of another event."""

    def __init__(self, db: Database, event_id: str) -> None:
        async def fetch(conn: AsyncConnection, hashes: list[str]) -> dict[str, Person]:
            return await people_for_token_hashes(conn, event_id, hashes)

        super().__init__(db, fetch)

    async def person(self, token_hash: str) -> Person | None:
        return await self.get(token_hash)
