"""`conference serve` with one thing changed, to measure what it is worth: permessage-deflate
accepted (uvicorn's default; the memory scenario) or python-socketio's stock managers instead
of conference.realtime.fanout (`--stock-manager`). The same app and options otherwise."""

from __future__ import annotations

import argparse
import gc
from typing import Any

import socketio
import uvicorn

from conference.app import create_app
from conference.realtime.server import transport_limit
from conference.settings import Settings


class StockManager(socketio.AsyncManager):  # type: ignore[misc]
    """The library's manager, telling the app's observers of each broadcast as ours does."""

    def __init__(self) -> None:
        super().__init__()
        self.observers: list[Any] = []

    async def emit(self, event: str, data: Any, namespace: str, **kwargs: Any) -> None:
        for observe in self.observers:
            observe(event, data, kwargs.get("to") or kwargs.get("room"))
        await super().emit(event, data, namespace, **kwargs)


class StockRedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    """The library's Redis manager, telling the app's observers of each local delivery."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.observers: list[Any] = []

    async def emit(self, event: str, data: Any, namespace: Any = None, **kwargs: Any) -> None:
        for observe in self.observers:
            observe(event, data, kwargs.get("to") or kwargs.get("room"))
        await super().emit(event, data, namespace, **kwargs)

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        for observe in self.observers:
            observe(message["event"], message["data"], message.get("room"))
        await super()._handle_emit(message)


def _gc_after_startup(app: Any, mode: str) -> Any:
    """Set the collector up as `mode` says once the lifespan started (for measuring)."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return

        async def on_send(message: Any) -> None:
            if message["type"] == "lifespan.startup.complete":
                gc.set_threshold(700, 10, 10)
                gc.unfreeze()
                if mode != "default":
                    gc.collect()
                    gc.freeze()
                if mode == "freeze-threshold":
                    gc.set_threshold(50_000, 20, 100)
            await send(message)

        await app(scope, receive, on_send)

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deflate", action="store_true")
    parser.add_argument("--stock-manager", action="store_true")
    parser.add_argument("--gc", choices=["default", "freeze", "freeze-threshold"], default="")
    args = parser.parse_args()
    if args.stock_manager:
        from conference.realtime import server

        server.FanoutManager = StockManager  # type: ignore[misc]
        server.FanoutRedisManager = StockRedisManager  # type: ignore[misc]
    settings = Settings()
    app: Any = create_app(settings)
    if args.gc:
        app = _gc_after_startup(app, args.gc)
    uvicorn.run(
        app,
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
