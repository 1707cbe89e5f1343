"""The assignment of participants to workshops from their registration's first and second choice.

Pure: it gets the wishes in registration order and the free seats per room, and says where
each person goes. First choices are served in registration order, then second choices; people
without a (known) choice are spread evenly over the rooms with the most free seats; whoever
finds both choices full waits on the waitlist of their first choice (and may take any free
seat themselves, or be moved by a moderator).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Wish:
    person_id: str
    first: str | None
    second: str | None


@dataclass(frozen=True, slots=True)
class Placement:
    person_id: str
    room: str
    waiting: bool


def assign(wishes: list[Wish], free: dict[str, int]) -> list[Placement]:
    """Place everyone in `wishes`; `free` holds each room's free seats in the rooms' order."""
    left = dict(free)
    placed: dict[str, Placement] = {}

    def seat(person_id: str, room: str | None) -> bool:
        if room is None or left.get(room, 0) <= 0:
            return False
        left[room] -= 1
        placed[person_id] = Placement(person_id, room, waiting=False)
        return True

    known = [w for w in wishes if w.first in left or w.second in left]
    with_choice = {w.person_id for w in known}
    for wish in known:
        seat(wish.person_id, wish.first if wish.first in left else None)
    for wish in known:
        if wish.person_id not in placed:
            seat(wish.person_id, wish.second if wish.second in left else None)
    for wish in wishes:
        if wish.person_id in placed:
            continue
        if wish.person_id in with_choice:
            wanted = wish.first if wish.first in left else wish.second
            assert wanted is not None
            placed[wish.person_id] = Placement(wish.person_id, wanted, waiting=True)
            continue
        order = list(left)
        emptiest = max(order, key=lambda room: (left[room], -order.index(room)), default=None)
        if emptiest is None or not seat(wish.person_id, emptiest):
            # every room is full: wait for the room with the shortest waitlist so far
            if not order:
                continue
            waits = {room: 0 for room in order}
            for placement in placed.values():
                if placement.waiting:
                    waits[placement.room] += 1
            shortest = min(order, key=lambda room: (waits[room], order.index(room)))
            placed[wish.person_id] = Placement(wish.person_id, shortest, waiting=True)
    return [placed[w.person_id] for w in wishes if w.person_id in placed]
