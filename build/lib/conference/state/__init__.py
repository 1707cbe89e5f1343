"""Room state backends, picked by one setting (CONFERENCE_REDIS_URL)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from conference.state.base import RoomState

if TYPE_CHECKING:
    from conference.settings import Settings

STATE_BACKENDS = {
    "memory": "conference.state.memory:MemoryRoomState",
    "redis": "conference.state.redis:RedisRoomState",
}


def backend_name(settings: Settings) -> str:
    return "redis" if settings.redis_url else "memory"


def create_room_state(settings: Settings) -> RoomState:
    module_name, class_name = STATE_BACKENDS[backend_name(settings)].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    state: RoomState = cls.from_settings(settings)
    return state


__all__ = ["STATE_BACKENDS", "RoomState", "backend_name", "create_room_state"]
