"""The signed session cookie that a join link turns into."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "conference_session"
MAX_AGE_SECONDS = 14 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Session:
    person_id: str
    token_hash: str


class SessionCodec:
    """Signs and checks session cookies with the server's secret."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="conference.session")

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps({"p": session.person_id, "t": session.token_hash})

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not {"p", "t"} <= data.keys():
            return None
        return Session(person_id=str(data["p"]), token_hash=str(data["t"]))
