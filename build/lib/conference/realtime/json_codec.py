"""The JSON codec of every socket.io and Engine.IO packet: orjson, behind the interface of the
standard library's module that python-socketio expects (`dumps(obj, **kwargs) -> str`,
`loads(text) -> obj`). Every broadcast, ack and snapshot is encoded here; orjson does it
several times faster than the standard library (docs/benchmarks.md)."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(obj: Any, **_options: Any) -> str:
    """Compact like `separators=(",", ":")`; the options python-socketio passes are moot."""
    return orjson.dumps(obj).decode()


def loads(text: str | bytes, **_options: Any) -> Any:
    return orjson.loads(text)
