"""Word-cloud answers: stored as written, counted by a key.

An answer is kept as the person wrote it (Unicode-composed, spaces collapsed, a trailing full
stop or comma dropped); nothing else is changed, so "attraktiver Arbeitgeber" stays capitalised
and "=1+1" keeps its "=" (spreadsheet exports guard such cells when they are written:
conference/export/spreadsheet.py). Answers are counted by their key: case-folded, without
punctuation at the ends, each word reduced to its stem by the Snowball stemmer of the event's
language. Snowball removes inflection ("wettbewerbsfähig", "wettbewerbsfähige" and
"wettbewerbsfähigen" are one; "Arbeitgeber" and "Arbeitgebers" are one) and leaves derivation
alone ("klimaneutral" and "Klimaneutralität", "innovativ" and "Innovation" stay apart: they
say different things). It is a rule, not a dictionary, so two unrelated words may now and then
share a stem ("Wette", "Wetter"); the ranked list shows what was grouped under the spelling
written most often. docs/operations.md ("What the stream shows") says it for organisers.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from typing import Any

import snowballstemmer

MAX_WORD_LENGTH = 40
# anything that is not a letter or digit at either end: punctuation, symbols, spaces
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# what may end a typed answer without belonging to it
_TRAILING = re.compile(r"[\s.,;:!?…]+$")
STEMMERS = {"de": "german", "en": "english"}
_local = threading.local()  # Snowball stemmers keep state while stemming: one per thread


def written(text: str) -> str:
    """The answer as it is stored and shown: NFC, inner whitespace collapsed, without a
    trailing full stop, comma, question or exclamation mark."""
    word = " ".join(unicodedata.normalize("NFC", text).split())
    return _TRAILING.sub("", word)


def normalise_word(text: str) -> str:
    """NFC, case-folded, inner whitespace collapsed, punctuation and spaces at the ends removed:
    "Klimaneutral", "klimaneutral " and "KLIMANEUTRAL!" are one word."""
    word = unicodedata.normalize("NFC", text).casefold()
    word = _EDGES.sub("", " ".join(word.split()))
    return unicodedata.normalize("NFC", word)


def _stemmer(language: str) -> Any:
    stemmers: dict[str, Any] = getattr(_local, "stemmers", None) or {}
    _local.stemmers = stemmers
    if language not in stemmers:
        algorithm = STEMMERS.get(language)
        stemmers[language] = snowballstemmer.stemmer(algorithm) if algorithm else None
    return stemmers[language]


def key(text: str, language: str = "de") -> str:
    """What an answer is counted by: its normal form, each word stemmed."""
    normal = normalise_word(text)
    stemmer = _stemmer(language)
    if stemmer is None or not normal:
        return normal
    return " ".join(stemmer.stemWords(normal.split(" ")))


def group(counts: dict[str, int], language: str = "de") -> list[dict[str, Any]]:
    """Counts per written answer → one entry per key, shown as its most frequent spelling
    (ties: the first in code-point order, so every process shows the same), most counted
    first; `forms` are every spelling that was counted under it."""
    totals: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for word, count in counts.items():
        k = key(word, language)
        totals[k] += count
        spellings.setdefault(k, Counter())[word] += count
    grouped = []
    for k, total in totals.items():
        forms = sorted(spellings[k].items(), key=lambda item: (-item[1], item[0]))
        grouped.append({"word": forms[0][0], "count": total, "forms": [w for w, _ in forms]})
    return sorted(grouped, key=lambda g: (-g["count"], g["word"].casefold(), g["word"]))
