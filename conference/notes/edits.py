"""Edits the server makes to a notes document: a version restored as a new edit on top."""

from __future__ import annotations

import difflib
from typing import Any

import pycrdt

from conference.notes.docs import TEXT


def edit_to(state: bytes, target: str) -> bytes:
    """An update that turns the document `state` into the text `target` by the smallest
    edits (never by clearing and re-inserting everything: concurrent writers keep their place,
    and nothing is duplicated when the update meets edits made meanwhile)."""
    doc: pycrdt.Doc[Any] = pycrdt.Doc()
    doc.apply_update(state)
    text = doc.get(TEXT, type=pycrdt.Text)
    current = str(text)
    before = doc.get_state()
    matcher = difflib.SequenceMatcher(a=current, b=target, autojunk=False)
    with doc.transaction():
        # from the end, so the offsets of the earlier edits stay valid; pycrdt counts offsets
        # in UTF-8 bytes
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                continue
            start = len(current[:i1].encode())
            if tag in ("replace", "delete"):
                del text[start : len(current[:i2].encode())]
            if tag in ("replace", "insert"):
                text.insert(start, target[j1:j2])
    return doc.get_update(before)
