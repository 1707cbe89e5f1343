"""Jinja2 pages in the reader's language."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from conference.web.i18n import I18n, pick_locale
from conference.web.security import content_security_policy

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
LANG_COOKIE = "lang"


def request_locale(request: Request) -> str:
    return pick_locale(
        request.query_params.get("lang") or request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def remember_locale(request: Request, response: Response) -> None:
    """A language asked for in the address (`?lang=en`) is kept for the next pages."""
    asked = request.query_params.get("lang")
    if asked and asked == request_locale(request):
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")


def _plural_samples(locale: str) -> dict[str, int]:
    """A number of each plural category (CLDR: one, few, many, other …) of the language."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 1001):
        samples.setdefault(rule(n), n)
    return samples


_SAMPLES: dict[str, dict[str, int]] = {}


def plural_forms(translations: Any, locale: str, singular: str, plural: str) -> dict[str, str]:
    """The translated forms of a message by plural category, for scripts: `format()` in
    static/js/lib/page.js picks one with `Intl.PluralRules` for the number `n`."""
    samples = _SAMPLES.get(locale)
    if samples is None:
        samples = _SAMPLES[locale] = _plural_samples(locale)
    return {tag: translations.ngettext(singular, plural, n) for tag, n in samples.items()}


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a text from the event file: blank lines part them; single line breaks
    (wrapped lines of the file) become spaces."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return [
        " ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()
    ]


class Pages:
    """Renders templates with gettext, dates in the event's zone, and a JSON blob for scripts."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["paragraphs"] = paragraphs

    def render(
        self,
        request: Request,
        template: str,
        status_code: int = 200,
        *,
        style_nonce: bool = False,
        **context: Any,
    ) -> HTMLResponse:
        """The page in the reader's language; `style_nonce`: the page may add style elements
        (the notes editor), allowed by a nonce of this response given to it as `csp_nonce`."""
        locale = request_locale(request)
        nonce = secrets.token_urlsafe(18) if style_nonce else None
        translations = self.i18n.translations(locale)

        def page_data(data: Any) -> Markup:
            """JSON for the page's script, safe inside <script type="application/json">."""
            text = (
                json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            )
            return Markup(text.replace("&", "\\u0026"))

        html = self.env.get_template(template).render(
            request=request,
            locale=locale,
            _=translations.gettext,
            gettext=translations.gettext,
            ngettext=translations.ngettext,
            plural_forms=lambda singular, plural: plural_forms(
                translations, locale, singular, plural
            ),
            format_date=lambda d, f="full": format_date(d, format=f, locale=locale),
            format_time=lambda t, f="short": format_time(t, format=f, locale=locale),
            page_data=page_data,
            csp_nonce=nonce,
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        if nonce:
            response.headers["content-security-policy"] = content_security_policy(nonce)
        remember_locale(request, response)
        return response
