"""The ceiling: a plain Starlette websocket broadcast on uvicorn, speaking just enough
Engine.IO / Socket.IO framing for the same load generator (open, connect, acks, broadcast)."""

from __future__ import annotations

import argparse
import json
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

OPEN = '0{"sid":"bare","upgrades":[],"pingInterval":20000,"pingTimeout":20000,"maxPayload":262144}'
rooms: dict[str, set[WebSocket]] = {}
state = {"seq": 0}


async def endpoint(ws: WebSocket) -> None:
    await ws.accept()
    await ws.send_text(OPEN)
    joined: list[str] = []
    try:
        while True:
            text = await ws.receive_text()
            if text.startswith("40"):
                await ws.send_text('40{"sid":"bare"}')
                continue
            if not text.startswith("42"):
                continue
            start = text.index("[")
            ack_id = text[2:start]
            event, data = json.loads(text[start:])
            result: Any = None
            if event == "join":
                rooms.setdefault(data["room"], set()).add(ws)
                joined.append(data["room"])
            elif event == "chat":
                state["seq"] += 1
                result = {"room": data["room"], "seq": state["seq"], **data}
                packet = "42" + json.dumps(["chat:message", result], separators=(",", ":"))
                for peer in list(rooms.get(data["room"], ())):
                    try:
                        await peer.send_text(packet)
                    except Exception:
                        rooms[data["room"]].discard(peer)
            if ack_id:
                await ws.send_text(f"43{ack_id}" + json.dumps([{"ok": True, "data": result}]))
    except WebSocketDisconnect:
        pass
    finally:
        for room in joined:
            rooms.get(room, set()).discard(ws)


app = Starlette(routes=[WebSocketRoute("/socket.io/", endpoint)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        ws_per_message_deflate=False,
        lifespan="off",
    )


if __name__ == "__main__":
    main()
