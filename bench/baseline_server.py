"""The bare python-socketio baseline: no application logic, the same fan-out as ours.

`connect` accepts any auth, `join` enters a room, `chat` numbers the message and broadcasts it
to the room, `react` is counted, `vote` is counted per person, `notes` relays an update's bytes
to the rest of the room; started under uvicorn with the same options as `conference serve`.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import socketio
import uvicorn


def _manager() -> socketio.AsyncManager:
    """Stock, unless BENCH_BASELINE_FANOUT=1 (to measure our fan-out manager without our app)."""
    if os.environ.get("BENCH_BASELINE_FANOUT") == "1":
        from conference.realtime.fanout import FanoutManager

        return FanoutManager()
    return socketio.AsyncManager()


sio = socketio.AsyncServer(
    async_mode="asgi",
    ping_interval=20,
    ping_timeout=20,
    max_http_buffer_size=256 * 1024,
    client_manager=_manager(),
)
state: dict[str, Any] = {"seq": 0, "reactions": 0, "votes": {}}


@sio.event
async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
    return True


@sio.on("join")
async def join(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    await sio.enter_room(sid, data["room"])
    return {"ok": True, "data": {"room": data["room"]}}


@sio.on("chat")
async def chat(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    state["seq"] += 1
    message = {"room": data["room"], "seq": state["seq"], **data}
    await sio.emit("chat:message", message, to=data["room"])
    return {"ok": True, "data": message}


@sio.on("react")
async def react(sid: str, data: dict[str, Any]) -> None:
    state["reactions"] += 1


@sio.on("notes")
async def notes(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """A relay: the update's bytes to the room, without a document or a database."""
    await sio.emit("notes", data, to=data["room"], skip_sid=sid)
    return {"ok": True, "data": None}


@sio.on("vote")
async def vote(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    state["votes"][sid] = data.get("answer")
    return {"ok": True, "data": None}


app = socketio.ASGIApp(sio)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        ws_max_size=256 * 1024,
        ws_per_message_deflate=False,
        lifespan="off",
    )


if __name__ == "__main__":
    main()
