"""Roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Permission(StrEnum):
    """What a realtime handler requires of its sender."""

    PARTICIPANT = "participant"  # anyone who joined with a valid link
    FACILITATOR = "facilitator"  # the facilitator of the payload's room, or a moderator
    MODERATOR = "moderator"


def is_moderator(role: str) -> bool:
    return role in (Role.MODERATOR, Role.ADMIN)


def allows(permission: Permission, role: str, own_room: str | None, room: str | None) -> bool:
    """Whether a person of `role` (facilitator of `own_room`) may act in `room`."""
    if permission is Permission.PARTICIPANT or is_moderator(role):
        return True
    if permission is Permission.FACILITATOR:
        return role == Role.FACILITATOR and room is not None and own_room == room
    return False
