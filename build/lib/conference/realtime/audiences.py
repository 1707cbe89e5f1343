"""The name of every broadcast target. No socket.io room name is built anywhere else."""

from __future__ import annotations


def room(event_id: str, room_id: str) -> str:
    """Everyone who joined a room (the plenary or a workshop)."""
    return f"{event_id}/room/{room_id}"


def event(event_id: str) -> str:
    """Every connection of the event (announcements, agenda, phase)."""
    return f"{event_id}/all"


def moderators(event_id: str) -> str:
    """Moderators' consoles (presence lists, held questions)."""
    return f"{event_id}/moderators"


def facilitators(event_id: str, room_id: str) -> str:
    """The facilitators of one workshop room (on every process)."""
    return f"{event_id}/facilitators/{room_id}"


def managers(event_id: str, room_id: str) -> list[str]:
    """Whoever manages a room: every moderator, and the room's facilitators."""
    return [moderators(event_id), facilitators(event_id, room_id)]


def person(event_id: str, person_id: str) -> str:
    """Every connection of one person, on any process (mute notices, removal)."""
    return f"{event_id}/person/{person_id}"


def presenters(event_id: str) -> str:
    """Presenter views shown in the stream."""
    return f"{event_id}/presenters"
