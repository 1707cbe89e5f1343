"""The event file's format (TOML), validated with pydantic. Documented in docs/configuration.md."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stream(Strict):
    """Where the plenary's live stream comes from."""

    kind: Literal["hls", "youtube", "vimeo", "none"] = "none"
    url: str = ""
    title: str = ""

    @model_validator(mode="after")
    def _url_needed(self) -> Stream:
        if self.kind != "none" and not self.url:
            raise ValueError(f"a stream of kind {self.kind!r} needs a url")
        return self


class Registration(Strict):
    """Who may register, when, and what they agree to."""

    open: bool = True
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    capacity: int = Field(default=200, ge=1)
    email_required: bool = True
    privacy_notice: Text = "Wir verarbeiten Ihre Angaben nur für diese Veranstaltung."


class AgendaItem(Strict):
    """One slot of the programme."""

    id: Slug
    start: dt.time
    end: dt.time
    title: Text
    description: str = ""
    kind: Literal["plenary", "talk", "break", "workshops", "other"] = "plenary"
    speakers: list[Text] = []

    @model_validator(mode="after")
    def _ordered(self) -> AgendaItem:
        if self.end <= self.start:
            raise ValueError(
                f"agenda item {self.id!r} ends ({self.end}) before it starts ({self.start})"
            )
        return self


class Workshop(Strict):
    """A parallel workshop room."""

    id: Slug
    title: Text
    description: str = ""
    capacity: int = Field(default=40, ge=1, le=10_000)
    facilitator: str = Field(default="", max_length=120)
    # a room that talks in Jitsi or BigBlueButton: opened only on a click, in a new tab
    video_url: str = Field(default="", max_length=500, pattern=r"^(https://\S+)?$")

    @field_validator("id")
    @classmethod
    def _not_plenary(cls, value: str) -> str:
        if value == "plenary":
            raise ValueError("'plenary' is the main room; a workshop needs another id")
        return value


class PollOption(Strict):
    id: Slug
    label: Text


class PreparedPoll(Strict):
    """A poll written in the event file, loaded as a draft for the moderator to open."""

    id: Slug
    kind: Literal["single", "multiple", "wordcloud", "rating", "open"]
    question: Text
    room: str = "plenary"
    options: list[PollOption] = []
    max_choices: int | None = Field(default=None, ge=1)
    max_answers: int = Field(default=3, ge=1, le=10)
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: dict[str, str] = {}
    results: Literal["live", "after_vote", "on_reveal"] = "live"
    anonymous: bool = True
    allow_change: bool = False
    duration_seconds: int | None = Field(default=None, ge=5, le=3600)

    @model_validator(mode="after")
    def _kind_fits(self) -> PreparedPoll:
        if self.kind in ("single", "multiple") and len(self.options) < 2:
            raise ValueError(f"poll {self.id!r} of kind {self.kind!r} needs at least two options")
        if self.kind == "rating" and not self.scale_min < self.scale_max <= self.scale_min + 10:
            raise ValueError(
                f"poll {self.id!r}: scale_min must be below scale_max (at most 11 steps)"
            )
        return self


class Event(Strict):
    """The whole event file."""

    id: Slug
    title: Text
    subtitle: str = ""
    organiser: Text
    date: dt.date
    start: dt.time
    end: dt.time
    timezone: str = "Europe/Berlin"
    language: Literal["de", "en"] = "de"
    description: str = ""
    contact_email: str = ""
    stream: Stream = Stream()
    registration: Registration = Registration()
    qa_moderated: bool = True
    agenda: list[AgendaItem] = Field(min_length=1)
    workshops: list[Workshop] = []
    polls: list[PreparedPoll] = []
    delete_data_after_days: int = Field(default=30, ge=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        for name, items in (
            ("agenda", self.agenda),
            ("workshops", self.workshops),
            ("polls", self.polls),
        ):
            ids = [item.id for item in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate id(s) {', '.join(dupes)}")
        rooms = {"plenary", *(w.id for w in self.workshops)}
        for poll in self.polls:
            if poll.room not in rooms:
                raise ValueError(f"poll {poll.id!r}: unknown room {poll.room!r}")
        if self.end <= self.start:
            raise ValueError("the event ends before it starts")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def at(self, time: dt.time) -> dt.datetime:
        """An agenda time on the event's date, in the event's time zone."""
        return dt.datetime.combine(self.date, time, tzinfo=self.zone)

    def starts_at(self) -> dt.datetime:
        return self.at(self.start)

    def ends_at(self) -> dt.datetime:
        return self.at(self.end)

    def rooms(self) -> list[str]:
        """Every room of the event: the plenary and one per workshop."""
        return ["plenary", *(w.id for w in self.workshops)]

    def workshop(self, workshop_id: str) -> Workshop | None:
        return next((w for w in self.workshops if w.id == workshop_id), None)
