"""HTTP routes: the registration form, the calendar file, and the moderators' CSV import/export."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

import sqlalchemy as sa
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conference.auth.people import count_participants, hash_token, issue_token, list_people
from conference.auth.roles import Role
from conference.export.base import Table
from conference.export.http import spreadsheet
from conference.links import join_url
from conference.ratelimit import KeyedLimiter
from conference.registration import csv_io, mail
from conference.registration.ics import event_calendar
from conference.registration.service import (
    Applicant,
    Outcome,
    Result,
    Window,
    register,
    validate_form,
    window,
)
from conference.services import Services
from conference.web.identity import moderator_or_refusal
from conference.web.origin import same_origin
from conference.web.templating import Pages, request_locale

log = logging.getLogger(__name__)

FORM_FIELDS = ("name", "organisation", "email", "workshop_first", "workshop_second", "consent")
NO_STORE = {"cache-control": "no-store"}


def registration_routes(services: Services, pages: Pages) -> list[Route]:
    event = services.event
    settings = services.settings

    def base_url(request: Request) -> str:
        return (settings.public_url or str(request.base_url)).rstrip("/")

    def mail_base_url(request: Request) -> str | None:
        """Links in e-mails never come from the Host header in production (it can be forged)."""
        if settings.public_url:
            return settings.public_url.rstrip("/")
        if settings.mode == "production":
            log.error("CONFERENCE_PUBLIC_URL is not set: join links are not e-mailed")
            return None
        return base_url(request)

    # per client address: nobody fills the event's capacity with made-up registrations
    per_minute = settings.registration_rate_per_minute
    limiter = KeyedLimiter(rate=per_minute / 60, burst=per_minute)

    def refused_origin(request: Request) -> Response:
        return pages.render(request, "registration/origin.html", status_code=403, event=event)

    async def current_window() -> Window:
        async with services.db.read() as conn:
            participants = await count_participants(conn, event.id)
        return window(event, dt.datetime.now(dt.UTC), participants)

    def form_page(
        request: Request,
        state: Window,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        return pages.render(
            request,
            "registration/form.html",
            status_code=status_code,
            event=event,
            state=state.value,
            values=values or {},
            errors=errors or {},
            contact_email=event.contact_email,
        )

    async def register_once(applicant: Applicant, *, reissue: bool) -> Result:
        async with services.db.write() as conn:
            return await register(conn, event, applicant, dt.datetime.now(dt.UTC), reissue=reissue)

    async def show_form(request: Request) -> Response:
        return form_page(request, await current_window())

    async def submit(request: Request) -> Response:
        if not same_origin(request, services):
            return refused_origin(request)
        if not limiter.allow(request.client.host if request.client else "unknown"):
            return pages.render(
                request, "message.html", kind="too_many", status_code=429, event=event
            )
        async with request.form(max_files=0, max_fields=20, max_part_size=4096) as form:
            values = {key: str(form.get(key) or "")[:1000] for key in FORM_FIELDS}
        applicant, errors = validate_form(event, values)
        if applicant is None:
            return form_page(request, await current_window(), values, errors.fields, 400)
        mail_base = mail_base_url(request) if mail.mail_configured(settings) else None
        try:
            result = await register_once(applicant, reissue=mail_base is not None)
        except sa.exc.IntegrityError:
            # the same e-mail registered concurrently (PostgreSQL; SQLite serializes writers):
            # the second attempt finds that person and answers as a repeat registration
            result = await register_once(applicant, reissue=mail_base is not None)
        if result.outcome is Outcome.NOT_OPEN:
            return form_page(request, result.window, status_code=409)
        person, token = result.person, result.token
        assert person is not None
        mailed: bool | None = None
        if token is not None and person.email and mail_base is not None:
            link = join_url(mail_base, token)
            mailed = await mail.send_join_link(settings, event, person.email, person.name, link)
        if result.outcome is Outcome.REPEAT:
            # never show a link here: anyone can type someone else's e-mail address
            kind = "repeat_mailed" if mailed else "repeat_failed" if token else "repeat_contact"
            response = pages.render(
                request,
                "registration/done.html",
                event=event,
                kind=kind,
                contact_email=event.contact_email,
            )
            response.headers.update(NO_STORE)
            return response
        assert token is not None
        response = pages.render(
            request,
            "registration/done.html",
            event=event,
            kind="registered",
            link=join_url(base_url(request), token),
            token=token,
            mailed=mailed,
            contact_email=event.contact_email,
        )
        response.headers.update(NO_STORE)
        return response

    async def calendar(request: Request) -> Response:
        """The event as .ics; posted from the confirmation page with the person's token (in
        the body, never in a URL), it carries their personal join link."""
        url = base_url(request)
        link = None
        if request.method == "POST":
            if not same_origin(request, services):
                return refused_origin(request)
            async with request.form(max_files=0, max_fields=2, max_part_size=512) as form:
                token = str(form.get("token") or "")[:200]
            if not token or await services.tokens.person(hash_token(token)) is None:
                return Response("unknown join link", status_code=404, media_type="text/plain")
            link = join_url(url, token)
        text = event_calendar(
            event,
            url + "/",
            urlsplit(url).hostname or "localhost",
            dt.datetime.now(dt.UTC),
            join_link=link,
        )
        return Response(
            text,
            media_type="text/calendar; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{event.id}.ics"'},
        )

    def csv_download(text: str, filename: str) -> Response:
        # the BOM makes spreadsheet programs (German Excel above all) read UTF-8 correctly
        return Response(
            "\ufeff" + text,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{filename}"', **NO_STORE},
        )

    async def participants_csv(request: Request) -> Response:
        """Every participant with a fresh link (older links stay valid: re-issuing is harmless)."""
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        async with services.db.write() as conn:
            entries = [
                (person, await issue_token(conn, person.id))
                for person in await list_people(conn, event.id, role=Role.PARTICIPANT)
                if not person.removed
            ]
        base = base_url(request)
        table = Table(
            "participants",
            csv_io.OUTPUT_COLUMNS,
            [
                [
                    p.name,
                    p.organisation,
                    p.email or "",
                    p.workshop_first or "",
                    p.workshop_second or "",
                    join_url(base, token),
                ]
                for p, token in entries
            ],
        )
        return await spreadsheet(services, [table], "csv", f"{event.id}-participants")

    async def import_upload(request: Request) -> Response:
        if not same_origin(request, services):
            return refused_origin(request)
        allowed = await moderator_or_refusal(services, pages, request)
        if isinstance(allowed, Response):
            return allowed
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > csv_io.MAX_BYTES + 64 * 1024:
            return import_errors_page(request, [csv_io.RowError(0, csv_io.TOO_LARGE)], 413)
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            data = (
                await upload.read(csv_io.MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
            )
        if not data:
            return import_errors_page(request, [csv_io.RowError(0, csv_io.NO_FILE)], 400)
        try:
            report = await csv_io.import_csv(services.db, event, data)
        except csv_io.ImportFailed as failed:
            return import_errors_page(request, failed.errors, 400)
        base = base_url(request)
        text = csv_io.links_csv(
            ((entry.person, entry.token) for entry in report.imported),
            lambda token: join_url(base, token),
            delimiter=report.delimiter,
        )
        return csv_download(text, f"{event.id}-imported-links.csv")

    def import_errors_page(
        request: Request, errors: list[csv_io.RowError], status_code: int
    ) -> Response:
        gettext = services.i18n.translations(request_locale(request)).gettext
        return pages.render(
            request,
            "registration/import_errors.html",
            status_code=status_code,
            event=event,
            errors=[(error.line, error.text(gettext)) for error in errors],
        )

    return [
        Route("/register", show_form, name="register", methods=["GET"]),
        Route("/register", submit, name="register_submit", methods=["POST"]),
        Route("/register/event.ics", calendar, methods=["GET", "POST"], name="register_ics"),
        Route("/moderator/participants.csv", participants_csv, name="participants_csv"),
        Route("/moderator/import", import_upload, name="participants_import", methods=["POST"]),
    ]
