"""`conference serve` with one thing changed, to measure what it is worth: permessage-deflate
accepted (uvicorn's default; the memory scenario) or python-socketio's stock managers instead
of conference.realtime.fanout (`--stock-manager`). The same app and options otherwise."""

from __future__ import annotations

import argparse

import socketio
import uvicorn

from conference.app import create_app
from conference.realtime.server import transport_limit
from conference.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deflate", action="store_true")
    parser.add_argument("--stock-manager", action="store_true")
    args = parser.parse_args()
    if args.stock_manager:
        from conference.realtime import server

        server.FanoutManager = socketio.AsyncManager  # type: ignore[misc]
        server.FanoutRedisManager = socketio.AsyncRedisManager  # type: ignore[misc]
    settings = Settings()
    uvicorn.run(
        create_app(settings),
        host="127.0.0.1",
        port=args.port,
        log_level=settings.log_level,
        ws_max_size=transport_limit(settings),
        ws_per_message_deflate=args.deflate,
        proxy_headers=True,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
