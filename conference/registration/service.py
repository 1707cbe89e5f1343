"""The rules of registering: the window, capacity, validation and repeat registrations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from conference.auth.people import (
    Person,
    count_participants,
    create_person,
    find_by_email,
    issue_token,
    normalise_email,
)
from conference.events.model import Event
from conference.realtime.errors import N_
from conference.storage import locks

NAME_MAX, ORGANISATION_MAX, EMAIL_MAX = 120, 160, 254
# deliberately loose: one @, a dot in the domain, no spaces or line breaks (mail headers)
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class Window(StrEnum):
    """Whether the form can be used right now."""

    OPEN = "open"
    CLOSED = "closed"
    NOT_YET = "not_yet"
    FULL = "full"


def _aware(moment: dt.datetime, event: Event) -> dt.datetime:
    """Event-file times without an offset are in the event's time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=event.zone)


def window(event: Event, now: dt.datetime, participants: int) -> Window:
    """The registration window from the event file, then its capacity (counting participants)."""
    reg = event.registration
    if not reg.open or (reg.closes_at is not None and now >= _aware(reg.closes_at, event)):
        return Window.CLOSED
    if reg.opens_at is not None and now < _aware(reg.opens_at, event):
        return Window.NOT_YET
    if participants >= reg.capacity:
        return Window.FULL
    return Window.OPEN


@dataclass(frozen=True, slots=True)
class Applicant:
    """A validated registration form."""

    name: str
    organisation: str
    email: str | None
    workshop_first: str | None
    workshop_second: str | None


@dataclass
class FormErrors:
    """Field name -> message id (English, translated where shown)."""

    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields)


def clean(value: object) -> str:
    """A single-line form value: stripped, inner whitespace (and line breaks) collapsed."""
    return " ".join(str(value or "").split())


def check_workshops(
    event: Event, first: str, second: str, errors: dict[str, str]
) -> tuple[str | None, str | None]:
    """Workshop ids (or exact titles) of the event; the second must differ from the first."""

    def resolve(key: str, value: str) -> str | None:
        if not value:
            return None
        for workshop in event.workshops:
            if value.casefold() in (workshop.id.casefold(), workshop.title.casefold()):
                return workshop.id
        errors[key] = N_("Please choose one of the listed workshops.")
        return None

    first_id, second_id = resolve("workshop_first", first), resolve("workshop_second", second)
    if second_id and not first_id and "workshop_first" not in errors:
        errors["workshop_first"] = N_("Please choose a first preference before a second one.")
    if first_id and first_id == second_id:
        errors["workshop_second"] = N_("Your second choice must differ from your first choice.")
    return first_id, second_id


def check_person(
    name: str, organisation: str, email: str, errors: dict[str, str], *, email_required: bool
) -> str | None:
    """Name, organisation and e-mail rules shared by the form and the CSV import."""
    if not name:
        errors["name"] = N_("Please enter your name.")
    elif len(name) > NAME_MAX:
        errors["name"] = N_("The name is too long (at most 120 characters).")
    if len(organisation) > ORGANISATION_MAX:
        errors["organisation"] = N_("The organisation is too long (at most 160 characters).")
    if not email:
        if email_required:
            errors["email"] = N_("Please enter your e-mail address.")
        return None
    if len(email) > EMAIL_MAX or not EMAIL_RE.match(email):
        errors["email"] = N_("Please enter a valid e-mail address, such as name@example.org.")
        return None
    return normalise_email(email)


def validate_form(event: Event, form: dict[str, str]) -> tuple[Applicant | None, FormErrors]:
    """The registration form's fields, or the errors by field."""
    errors: dict[str, str] = {}
    name, organisation = clean(form.get("name")), clean(form.get("organisation"))
    email = check_person(
        name,
        organisation,
        clean(form.get("email")),
        errors,
        email_required=event.registration.email_required,
    )
    first, second = check_workshops(
        event, clean(form.get("workshop_first")), clean(form.get("workshop_second")), errors
    )
    if form.get("consent") != "yes":
        errors["consent"] = N_("Please agree to the privacy notice to register.")
    if errors:
        return None, FormErrors(errors)
    return Applicant(name, organisation, email, first, second), FormErrors()


class Outcome(StrEnum):
    REGISTERED = "registered"
    REPEAT = "repeat"  # this e-mail is already registered
    NOT_OPEN = "not_open"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    window: Window
    person: Person | None = None
    token: str | None = None


async def register(
    conn: AsyncConnection, event: Event, applicant: Applicant, now: dt.datetime, *, reissue: bool
) -> Result:
    """Register within one write transaction, so capacity is checked against committed people.

    The window comes first; a repeat registration (same e-mail) still works when the event is
    full. It creates nobody and gets a fresh token only when `reissue` is set (the caller can
    e-mail it), because the page must never show it.
    """
    timing = window(event, now, participants=0)
    if timing is not Window.OPEN:
        return Result(Outcome.NOT_OPEN, timing)
    # the look-ups and the insert are one step on every process: two people cannot both take
    # the last place, and the same e-mail sent twice at once registers once
    await locks.exclusive(conn, "registration", event.id)
    if applicant.email is not None:
        existing = await find_by_email(conn, event.id, applicant.email)
        if existing is not None:
            token = None
            if reissue and not existing.removed:
                token = await issue_token(conn, existing.id)
            return Result(Outcome.REPEAT, Window.OPEN, existing, token)
    state = window(event, now, await count_participants(conn, event.id))
    if state is not Window.OPEN:
        return Result(Outcome.NOT_OPEN, state)
    person = await create_person(
        conn,
        event_id=event.id,
        name=applicant.name,
        organisation=applicant.organisation,
        email=applicant.email,
        workshop_first=applicant.workshop_first,
        workshop_second=applicant.workshop_second,
        consent=True,
        source="registration",
    )
    return Result(Outcome.REGISTERED, state, person, await issue_token(conn, person.id))
