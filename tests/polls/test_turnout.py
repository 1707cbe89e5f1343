"""Turnout: voters over who could vote (present participants and the voters), never above
100 %, moderators not counted."""

from __future__ import annotations

from typing import Any

from tests.fixtures.live_server import Client, LiveServer
from tests.polls.helpers import moderator, open_poll, participant, ref

CHOICE = {"kind": "single", "question": "Wie weiter?", "options": ["So", "Anders"]}


async def _present(mod: Client, count: int) -> None:
    """Wait until the moderators' presence badge of the plenary shows `count`."""
    await mod.wait_for("room:presence", lambda d: d["room"] == "plenary" and d["count"] == count)


async def test_turnout_counts_who_could_vote_and_never_exceeds_all(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    second_mod = await moderator(live, connect)
    voter = await participant(live, connect)
    silent = await participant(live, connect)
    poll = await open_poll(mod, **CHOICE)

    voted = await voter.ok("poll:vote", {**ref(poll), "options": ["o1"]})
    # two participants could vote; the two moderators are not counted
    assert voted["results"]["voters"] == 1
    assert voted["results"]["present"] == 2
    assert voted["results"]["turnout"] == 50.0

    # the silent one leaves: one of one could vote
    mod.mark()
    await silent.close()
    await _present(mod, 3)
    results = await mod.ok("poll:results", ref(poll))
    assert (results["present"], results["turnout"]) == (1, 100.0)

    # the voter leaves as well: who voted still counts as someone who could vote
    mod.mark()
    await voter.close()
    await _present(mod, 2)
    results = await mod.ok("poll:results", ref(poll))
    assert (results["voters"], results["present"], results["turnout"]) == (1, 1, 100.0)
    await second_mod.close()
