"""Documentation that must not fall behind the code."""

from __future__ import annotations

from pathlib import Path

from conference.events.model import Event
from conference.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [
        f"CONFERENCE_{name.upper()}"
        for name in Settings.model_fields
        if f"`CONFERENCE_{name.upper()}`" not in text
    ]
    assert missing == []


def test_every_event_file_field_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [
        name for name in Event.model_fields if f"`{name}`" not in text and f"[{name}]" not in text
    ]
    assert missing == []
