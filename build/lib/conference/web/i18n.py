"""Translations from Babel's gettext catalogs (German first, English second)."""

from __future__ import annotations

from pathlib import Path

from babel import Locale, negotiate_locale
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("de", "en")
DEFAULT_LOCALE = "de"


class I18n:
    """The compiled catalogs, loaded once."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self._catalogs: dict[str, NullTranslations] = {
            code: Translations.load(str(directory), [code], domain="messages") for code in LOCALES
        }

    def translations(self, locale: str) -> NullTranslations:
        return self._catalogs.get(locale, self._catalogs[DEFAULT_LOCALE])

    def gettext(self, locale: str, message: str) -> str:
        return self.translations(locale).gettext(message)

    def ngettext(self, locale: str, singular: str, plural: str, n: int) -> str:
        return self.translations(locale).ngettext(singular, plural, n)


def pick_locale(explicit: str | None, accept_language: str | None) -> str:
    """An explicit choice (query or cookie) first, then the browser's Accept-Language."""
    if explicit in LOCALES:
        return explicit
    if accept_language:
        preferred = []
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().replace("-", "_")
            if tag and tag != "*":
                preferred.append(tag)
        found = negotiate_locale(preferred, list(LOCALES), sep="_")
        if found:
            return str(Locale.parse(found).language)
    return DEFAULT_LOCALE
