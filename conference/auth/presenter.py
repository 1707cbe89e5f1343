"""The presenter view's secret key and its read-only identity."""

from __future__ import annotations

import hashlib
import hmac

from conference.auth.people import Person
from conference.settings import Settings

PRESENTER_ROLE = "presenter"
PRESENTER_EVENTS = frozenset({"presenter:join"})


def presenter_key(settings: Settings) -> str:
    """CONFERENCE_PRESENTER_KEY, or (unset) a key derived from the secret."""
    if settings.presenter_key is not None:
        return settings.presenter_key.get_secret_value()
    digest = hmac.new(settings.secret().encode(), b"presenter-view", hashlib.sha256)
    return digest.hexdigest()[:32]


def valid_key(settings: Settings, key: str) -> bool:
    return hmac.compare_digest(key.encode(), presenter_key(settings).encode())


def presenter_identity(settings: Settings, event_id: str, key: str) -> Person | None:
    """A read-only identity for a presenter view opened with the right key."""
    if not valid_key(settings, key):
        return None
    return Person(
        id="presenter",
        event_id=event_id,
        name="Presenter",
        organisation="",
        email=None,
        role=PRESENTER_ROLE,
        room=None,
        workshop_first=None,
        workshop_second=None,
        muted=True,
        removed=False,
    )
