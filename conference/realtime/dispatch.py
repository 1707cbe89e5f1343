"""Declarative handlers and the one dispatcher that validates, checks, rate-limits and acks.

A capability registers `@router.on("chat:send", ChatSend, Permission.PARTICIPANT)`; dispatch
turns the payload into the model, builds the Context, calls the handler and turns its result
into `{"ok": true, "data": …}` and any Refused into `{"ok": false, "error": {code, message}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from conference.auth.people import Person
from conference.auth.roles import Permission, allows
from conference.realtime.connection import Connection
from conference.realtime.errors import MESSAGES, Refused
from conference.state.base import StateUnavailable

if TYPE_CHECKING:
    from conference.services import Services

log = logging.getLogger(__name__)


class Payload(BaseModel):
    """Base of every payload model: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class NoPayload(Payload):
    pass


@dataclass(frozen=True, slots=True)
class Context:
    """Passed explicitly to every handler; nothing of a call is stored on shared objects."""

    services: Services
    connection: Connection

    @property
    def person(self) -> Person:
        return self.connection.person

    @property
    def event_id(self) -> str:
        return self.services.event.id

    def require_joined(self, room: str) -> None:
        if room not in self.connection.rooms:
            raise Refused("room.not_joined")


P = TypeVar("P", bound=Payload)
HandlerFunc = Callable[[Context, Any], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Route:
    event: str
    payload: type[Payload]
    permission: Permission
    handler: HandlerFunc
    rate_limited: bool


class Router:
    """Collects the handlers of one capability."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}

    def on(
        self,
        event: str,
        payload: type[P] = NoPayload,  # type: ignore[assignment]
        permission: Permission = Permission.PARTICIPANT,
        *,
        rate_limited: bool = True,
    ) -> Callable[[Callable[[Context, P], Awaitable[Any]]], Callable[[Context, P], Awaitable[Any]]]:
        def register(
            func: Callable[[Context, P], Awaitable[Any]],
        ) -> Callable[[Context, P], Awaitable[Any]]:
            if event in self.routes:
                raise ValueError(f"{event} registered twice")
            self.routes[event] = Route(event, payload, permission, func, rate_limited)
            return func

        return register


def ok(data: Any = None) -> dict[str, Any]:
    return {"ok": True, "data": data}


def refusal(code: str, message: str, **details: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"ok": False, "error": error}


class Dispatcher:
    """Routes every incoming event of every connection to its handler."""

    def __init__(self, services: Services, routers: list[Router]) -> None:
        self.services = services
        self.routes: dict[str, Route] = {}
        for router in routers:
            for name, route in router.routes.items():
                if name in self.routes:
                    raise ValueError(f"{name} registered by two capabilities")
                self.routes[name] = route

    def translate(self, connection: Connection | None, code: str, message: str | None) -> str:
        text = message or MESSAGES.get(code, code)
        locale = connection.locale if connection else "de"
        return self.services.i18n.gettext(locale, text)

    async def dispatch(
        self, connection: Connection | None, event: str, data: Any
    ) -> dict[str, Any]:
        try:
            return ok(await self._dispatch(connection, event, data))
        except Refused as exc:
            return refusal(
                exc.code, self.translate(connection, exc.code, exc.message), **exc.details
            )
        except StateUnavailable:  # Redis is away for a moment: retryable, nothing committed
            log.warning("%s refused: the room state is unavailable", event)
            return refusal(
                "state.unavailable", self.translate(connection, "state.unavailable", None)
            )
        except Exception:
            log.exception("handler for %s failed", event)
            return refusal("server.error", self.translate(connection, "server.error", None))

    async def _dispatch(self, connection: Connection | None, event: str, data: Any) -> Any:
        route = self.routes.get(event)
        if route is None:
            raise Refused("event.unknown", event=event[:64])
        if connection is None or connection.person.removed:
            raise Refused("auth.required")
        if route.rate_limited and not connection.bucket.take():
            raise Refused("rate.limited")
        try:
            payload = route.payload.model_validate({} if data is None else data)
        except ValidationError as exc:
            fields = sorted(
                {".".join(str(p) for p in err["loc"]) or "(payload)" for err in exc.errors()}
            )
            raise Refused("payload.invalid", fields=fields) from None
        room = getattr(payload, "room", None)
        person = connection.person
        if not allows(route.permission, person.role, person.room, room):
            raise Refused("auth.forbidden")
        return await route.handler(Context(self.services, connection), payload)
