"""One contract for every RoomState backend: the memory one and a real Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest
import redis

from conference.settings import Settings
from conference.state import RoomState, create_room_state
from conference.state.memory import MemoryRoomState
from conference.state.redis import RedisRoomState
from tests.fixtures.redis_server import free_port

MakeState = Callable[[float], RoomState]

# short enough to keep the suite quick, long enough for a slow CI machine to act before expiry
TTL = 0.3
PAST_TTL = 0.5


@pytest.fixture(params=["memory", "redis"])
async def room_state(request: pytest.FixtureRequest) -> AsyncIterator[RoomState]:
    """A started state of each backend, built the way the app builds it; Redis starts empty."""
    url = request.getfixturevalue("flush_redis") if request.param == "redis" else None
    state = create_room_state(Settings(redis_url=url))
    await state.start()
    yield state
    await state.close()


@pytest.fixture
async def make_state(
    request: pytest.FixtureRequest, room_state: RoomState
) -> AsyncIterator[MakeState]:
    """Builds more states of `room_state`'s backend with a given presence TTL."""
    made: list[RoomState] = []

    def make(presence_ttl: float) -> RoomState:
        state: RoomState
        if isinstance(room_state, RedisRoomState):
            url = request.getfixturevalue("flush_redis")
            state = RedisRoomState.from_url(url, presence_ttl=presence_ttl)
        else:
            state = MemoryRoomState(presence_ttl=presence_ttl)
        made.append(state)
        return state

    yield make
    for state in made:
        await state.close()


async def test_backend_matches_setting(
    room_state: RoomState, request: pytest.FixtureRequest
) -> None:
    expected = RedisRoomState if "redis" in request.node.callspec.id else MemoryRoomState
    assert type(room_state) is expected


async def test_ping(room_state: RoomState) -> None:
    assert await room_state.ping() is True


# values


async def test_get_missing_is_none(room_state: RoomState) -> None:
    assert await room_state.get("nothing") is None


@pytest.mark.parametrize(
    "value",
    [{"phase": "plenary", "item": 3}, [1, "two", None], "text ✓", 42, 1.5, True, {}, []],
)
async def test_set_get_roundtrip(room_state: RoomState, value: object) -> None:
    await room_state.set("k", value)
    assert await room_state.get("k") == value


async def test_set_overwrites(room_state: RoomState) -> None:
    await room_state.set("k", 1)
    await room_state.set("k", {"a": 2})
    assert await room_state.get("k") == {"a": 2}


async def test_values_are_json_copies(room_state: RoomState) -> None:
    value = {"list": [1, 2], "tuple": (3, 4)}
    await room_state.set("k", value)
    value["list"].append(99)  # type: ignore[attr-defined]
    assert await room_state.get("k") == {"list": [1, 2], "tuple": [3, 4]}


async def test_set_refuses_non_json(room_state: RoomState) -> None:
    with pytest.raises(TypeError):
        await room_state.set("k", {1, 2})
    assert await room_state.get("k") is None


async def test_delete(room_state: RoomState) -> None:
    await room_state.set("k", "v")
    await room_state.delete("k")
    assert await room_state.get("k") is None
    await room_state.delete("k")
    await room_state.delete("never-set")


async def test_set_ttl_expires(room_state: RoomState) -> None:
    await room_state.set("timer", {"ends": 1}, ttl=TTL)
    assert await room_state.get("timer") == {"ends": 1}
    await asyncio.sleep(PAST_TTL)
    assert await room_state.get("timer") is None


async def test_set_without_ttl_clears_previous_ttl(room_state: RoomState) -> None:
    await room_state.set("k", 1, ttl=TTL)
    await room_state.set("k", 2)
    await asyncio.sleep(PAST_TTL)
    assert await room_state.get("k") == 2


async def test_set_again_with_ttl_restarts_it(room_state: RoomState) -> None:
    await room_state.set("k", 1, ttl=TTL)
    await asyncio.sleep(TTL / 2)
    await room_state.set("k", 2, ttl=TTL)
    await asyncio.sleep(TTL * 0.75)
    assert await room_state.get("k") == 2


# counters


async def test_incr_returns_new_value(room_state: RoomState) -> None:
    assert await room_state.incr("poll:1", "a") == 1
    assert await room_state.incr("poll:1", "a") == 2
    assert await room_state.incr("poll:1", "a", 5) == 7
    assert await room_state.incr("poll:1", "a", -3) == 4
    assert await room_state.incr("poll:1", "b", 2) == 2
    assert await room_state.counters("poll:1") == {"a": 4, "b": 2}


async def test_counters_missing_is_empty(room_state: RoomState) -> None:
    assert await room_state.counters("none") == {}
    assert await room_state.pop_counters("none") == {}


async def test_counters_are_separate_per_key(room_state: RoomState) -> None:
    await room_state.incr("x", "f")
    await room_state.incr("y", "f", 10)
    assert await room_state.counters("x") == {"f": 1}
    assert await room_state.counters("y") == {"f": 10}


async def test_counters_returns_a_copy(room_state: RoomState) -> None:
    await room_state.incr("x", "f")
    (await room_state.counters("x"))["f"] = 100
    assert await room_state.counters("x") == {"f": 1}


async def test_concurrent_incr_exact_sum(room_state: RoomState) -> None:
    results = await asyncio.gather(*(room_state.incr("r", f"f{i % 3}") for i in range(500)))
    assert await room_state.counters("r") == {"f0": 167, "f1": 167, "f2": 166}
    assert sorted(results) == sorted([n for size in (167, 167, 166) for n in range(1, size + 1)])


async def test_pop_counters_reads_and_deletes(room_state: RoomState) -> None:
    await room_state.incr("r", "up", 3)
    await room_state.incr("r", "down")
    assert await room_state.pop_counters("r") == {"up": 3, "down": 1}
    assert await room_state.counters("r") == {}
    assert await room_state.pop_counters("r") == {}
    assert await room_state.incr("r", "up") == 1


async def test_pop_counters_loses_nothing_under_concurrent_incr(room_state: RoomState) -> None:
    popped: list[dict[str, int]] = []
    done = asyncio.Event()

    async def drain() -> None:
        while not done.is_set():
            popped.append(await room_state.pop_counters("r"))
            await asyncio.sleep(0)

    async def increments() -> None:
        for _ in range(20):  # in waves, so pops land between and among increments
            await asyncio.gather(*(room_state.incr("r", "n", 1 + i % 2) for i in range(30)))
            await asyncio.sleep(0)
        done.set()

    await asyncio.gather(drain(), increments())
    popped.append(await room_state.pop_counters("r"))
    assert sum(p.get("n", 0) for p in popped) == 300 * 1 + 300 * 2
    assert sum(1 for p in popped if p) > 1, "the drain never overlapped the increments"


# claims


async def test_claim_exclusive_between_owners(room_state: RoomState) -> None:
    assert await room_state.claim("tick", "a", 5) is True
    assert await room_state.claim("tick", "b", 5) is False
    assert await room_state.claim("tick", "a", 5) is True
    assert await room_state.claim("other", "b", 5) is True


async def test_claim_taken_over_after_expiry(room_state: RoomState) -> None:
    assert await room_state.claim("tick", "a", TTL) is True
    assert await room_state.claim("tick", "b", TTL) is False
    await asyncio.sleep(PAST_TTL)
    assert await room_state.claim("tick", "b", TTL) is True
    assert await room_state.claim("tick", "a", TTL) is False


async def test_claim_by_holder_extends(room_state: RoomState) -> None:
    assert await room_state.claim("tick", "a", TTL) is True
    await asyncio.sleep(TTL * 0.6)
    assert await room_state.claim("tick", "a", TTL) is True
    await asyncio.sleep(TTL * 0.6)  # past the first lease, inside the extended one
    assert await room_state.claim("tick", "b", TTL) is False
    await asyncio.sleep(TTL)
    assert await room_state.claim("tick", "b", TTL) is True


async def test_concurrent_claims_have_one_winner(room_state: RoomState) -> None:
    results = await asyncio.gather(*(room_state.claim("tick", f"o{i}", 5) for i in range(50)))
    assert results.count(True) == 1


async def test_kinds_do_not_collide(room_state: RoomState) -> None:
    await room_state.set("same", "value")
    await room_state.incr("same", "f")
    assert await room_state.claim("same", "a", 5) is True
    await room_state.presence_enter("same", "p", "s")
    assert await room_state.get("same") == "value"
    assert await room_state.counters("same") == {"f": 1}
    assert await room_state.presence_people("same") == {"p"}
    await room_state.delete("same")
    assert await room_state.counters("same") == {"f": 1}
    assert await room_state.claim("same", "b", 5) is False


# presence


async def test_presence_empty_room(room_state: RoomState) -> None:
    assert await room_state.presence_people("empty") == set()


async def test_presence_enter_and_leave(room_state: RoomState) -> None:
    await room_state.presence_enter("r1", "ann", "s1")
    await room_state.presence_enter("r1", "bob", "s2")
    await room_state.presence_enter("r2", "cy", "s3")
    assert await room_state.presence_people("r1") == {"ann", "bob"}
    assert await room_state.presence_people("r2") == {"cy"}
    await room_state.presence_leave("r1", "ann", "s1")
    assert await room_state.presence_people("r1") == {"bob"}


async def test_presence_clear_forgets_one_room(room_state: RoomState) -> None:
    await room_state.presence_enter("gone", "ann", "s1")
    await room_state.presence_enter("gone", "bob", "s2")
    await room_state.presence_enter("stays", "cy", "s3")
    await room_state.presence_clear("gone")
    await room_state.presence_clear("never-used")
    assert await room_state.presence_people("gone") == set()
    assert await room_state.presence_sids("gone", "ann") == set()
    assert await room_state.presence_people("stays") == {"cy"}


async def test_presence_sids_of_one_person(room_state: RoomState) -> None:
    await room_state.presence_enter("r5", "ann", "s1")
    await room_state.presence_enter("r5", "ann", "s2")
    await room_state.presence_enter("r5", "bob", "s3")
    assert await room_state.presence_sids("r5", "ann") == {"s1", "s2"}
    await room_state.presence_leave("r5", "ann", "s1")
    assert await room_state.presence_sids("r5", "ann") == {"s2"}
    assert await room_state.presence_sids("r5", "nobody") == set()


async def test_presence_two_sids_of_one_person(room_state: RoomState) -> None:
    await room_state.presence_enter("r", "ann", "tab1")
    await room_state.presence_enter("r", "ann", "tab2")
    assert await room_state.presence_people("r") == {"ann"}
    await room_state.presence_leave("r", "ann", "tab1")
    assert await room_state.presence_people("r") == {"ann"}
    await room_state.presence_leave("r", "ann", "tab2")
    assert await room_state.presence_people("r") == set()


async def test_presence_enter_twice_is_one_entry(room_state: RoomState) -> None:
    await room_state.presence_enter("r", "ann", "s")
    await room_state.presence_enter("r", "ann", "s")
    await room_state.presence_leave("r", "ann", "s")
    assert await room_state.presence_people("r") == set()


async def test_presence_leave_unknown_is_quiet(room_state: RoomState) -> None:
    await room_state.presence_leave("nowhere", "ann", "s")
    await room_state.presence_enter("r", "ann", "s1")
    await room_state.presence_leave("r", "ann", "other-sid")
    await room_state.presence_leave("r", "bob", "s1")
    assert await room_state.presence_people("r") == {"ann"}


async def test_presence_ids_may_contain_odd_characters(room_state: RoomState) -> None:
    await room_state.presence_enter("r:ä", "p:1 ✓", "sid/x:y")
    assert await room_state.presence_people("r:ä") == {"p:1 ✓"}


async def test_presence_expires_without_refresh(make_state: MakeState) -> None:
    state = make_state(TTL)
    await state.presence_enter("r", "ann", "s1")
    await state.presence_enter("r", "bob", "s2")
    await asyncio.sleep(TTL * 0.6)
    await state.presence_refresh("r", "bob", "s2")
    await asyncio.sleep(TTL * 0.6)
    assert await state.presence_people("r") == {"bob"}
    await asyncio.sleep(PAST_TTL)
    assert await state.presence_people("r") == set()


async def test_presence_one_sid_expires_other_stays(make_state: MakeState) -> None:
    state = make_state(TTL)
    await state.presence_enter("r", "ann", "old")
    await asyncio.sleep(TTL * 0.6)
    await state.presence_enter("r", "ann", "new")
    await asyncio.sleep(TTL * 0.6)
    assert await state.presence_people("r") == {"ann"}
    await state.presence_leave("r", "ann", "new")
    assert await state.presence_people("r") == set()


async def test_presence_refresh_after_expiry_restores(make_state: MakeState) -> None:
    state = make_state(TTL)
    await state.presence_enter("r", "ann", "s")
    await asyncio.sleep(PAST_TTL)
    assert await state.presence_people("r") == set()
    await state.presence_refresh("r", "ann", "s")
    assert await state.presence_people("r") == {"ann"}


# several processes on one Redis (two instances stand for two processes)


@pytest.fixture
async def two_redis_states(flush_redis: str) -> AsyncIterator[tuple[RoomState, RoomState]]:
    """Two RedisRoomStates with their own pools on the same Redis."""
    one = RedisRoomState.from_settings(Settings(redis_url=flush_redis, redis_pool_size=8))
    two = RedisRoomState.from_url(flush_redis, pool_size=8)
    yield one, two
    await one.close()
    await two.close()


async def test_redis_instances_share_state(two_redis_states: tuple[RoomState, RoomState]) -> None:
    one, two = two_redis_states
    await one.set("phase", "workshops", ttl=30)
    assert await two.get("phase") == "workshops"
    await two.delete("phase")
    assert await one.get("phase") is None

    await asyncio.gather(*(state.incr("votes", "a") for _ in range(100) for state in (one, two)))
    assert await one.counters("votes") == {"a": 200}
    assert await two.pop_counters("votes") == {"a": 200}
    assert await one.counters("votes") == {}

    await one.presence_enter("room", "ann", "s1")
    await two.presence_enter("room", "ann", "s2")
    await two.presence_enter("room", "bob", "s3")
    assert await one.presence_people("room") == {"ann", "bob"}
    await one.presence_leave("room", "ann", "s1")
    assert await two.presence_people("room") == {"ann", "bob"}

    assert await one.claim("job", "process-1", 5) is True
    assert await two.claim("job", "process-2", 5) is False


async def test_redis_prefixes_isolate(flush_redis: str) -> None:
    one = RedisRoomState.from_url(flush_redis, prefix="conference:a:")
    two = RedisRoomState.from_url(flush_redis, prefix="conference:b:")
    try:
        await one.set("k", 1)
        await one.incr("c", "f")
        await one.presence_enter("r", "ann", "s")
        assert await one.claim("job", "x", 5) is True
        assert await two.get("k") is None
        assert await two.counters("c") == {}
        assert await two.presence_people("r") == set()
        assert await two.claim("job", "y", 5) is True
    finally:
        await one.close()
        await two.close()


async def test_redis_keys_carry_prefix(flush_redis: str) -> None:
    state = RedisRoomState.from_url(flush_redis)
    try:
        await state.set("k", 1)
        await state.incr("c", "f")
        await state.presence_enter("r", "ann", "s")
        await state.claim("job", "x", 5)
    finally:
        await state.close()
    client = redis.Redis.from_url(flush_redis, decode_responses=True)
    try:
        keys = client.keys("*")
    finally:
        client.close()
    assert len(keys) == 4
    assert all(str(key).startswith("conference:") for key in keys)


async def test_redis_ping_false_when_nothing_listens() -> None:
    state = RedisRoomState.from_url(f"redis://127.0.0.1:{free_port()}/0")
    try:
        started = time.monotonic()
        assert await state.ping() is False
        assert time.monotonic() - started < 3
    finally:
        await state.close()
