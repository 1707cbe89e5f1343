"""Word-cloud answers are counted by their normal form."""

from __future__ import annotations

import re
import unicodedata

MAX_WORD_LENGTH = 40
# anything that is not a letter or digit at either end: punctuation, symbols, spaces
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_word(text: str) -> str:
    """NFC, case-folded, inner whitespace collapsed, punctuation and spaces at the ends removed:
    "Klimaneutral", "klimaneutral " and "KLIMANEUTRAL!" are one word."""
    word = unicodedata.normalize("NFC", text).casefold()
    word = _EDGES.sub("", " ".join(word.split()))
    return unicodedata.normalize("NFC", word)
