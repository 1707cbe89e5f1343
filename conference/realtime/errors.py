"""One error type for refusals, with namespaced codes and their user-facing messages."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


MESSAGES: dict[str, str] = {
    "auth.required": N_("Please open your personal join link first."),
    "auth.forbidden": N_("You are not allowed to do that."),
    "event.unknown": N_("This action is not known."),
    "payload.invalid": N_("The request was malformed."),
    "payload.too_large": N_("The request is too large."),
    "rate.limited": N_("You are sending too fast. Please wait a moment."),
    "room.unknown": N_("This room does not exist."),
    "room.not_joined": N_("Join the room first."),
    "room.closed": N_("This room is not open yet."),
    "chat.muted": N_("A moderator has muted you: you cannot post messages."),
    "chat.not_found": N_("This message does not exist."),
    "person.not_found": N_("This person does not exist."),
    "agenda.unknown_item": N_("This agenda item does not exist."),
    "server.error": N_("Something went wrong on the server. Please try again."),
}


class Refused(Exception):
    """Raised anywhere below a handler; dispatch turns it into `{ok: false, error: …}`."""

    def __init__(self, code: str, message: str | None = None, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.details = details
