"""Attendance aggregated from visits (pure): who joined, the peak at once, a curve over the day,
per room. A person counts once however many tabs they had open."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True, slots=True)
class Visit:
    person_id: str
    room: str
    entered_at: dt.datetime
    left_at: dt.datetime  # an open visit: when it was last seen (never seen: the report's time)


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping intervals of one person as one."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _per_person(visits: Iterable[Visit]) -> list[Interval]:
    by_person: dict[str, list[Interval]] = {}
    for visit in visits:
        by_person.setdefault(visit.person_id, []).append((visit.entered_at, visit.left_at))
    return [interval for found in by_person.values() for interval in merged(found)]


def peak(visits: Iterable[Visit]) -> tuple[int, dt.datetime | None]:
    """The most people present at once, and when that was first reached."""
    changes: list[tuple[dt.datetime, int]] = []
    for start, end in _per_person(visits):
        changes += [(start, 1), (end, -1)]
    # leaving before entering at the same instant: a reconnect is no extra person
    changes.sort(key=lambda change: (change[0], change[1]))
    best, at, present = 0, None, 0
    for when, step in changes:
        present += step
        if present > best:
            best, at = present, when
    return best, at


def curve(
    visits: Iterable[Visit], start: dt.datetime, end: dt.datetime, step: dt.timedelta
) -> list[tuple[dt.datetime, int]]:
    """How many people were present at each step from `start` to `end`."""
    intervals = _per_person(visits)
    starts = sorted(a for a, _ in intervals)
    ends = sorted(b for _, b in intervals)
    points = []
    when = start
    while when <= end:
        # one person's intervals never overlap: present = entered so far - left so far
        points.append((when, bisect_right(starts, when) - bisect_right(ends, when)))
        when += step
    return points
