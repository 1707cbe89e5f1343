"""Reading the event file, with errors that name the file, the field and the problem."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from conference.events.model import Event
from conference.settings import ConfigError


def _location(loc: tuple[int | str, ...]) -> str:
    """`("agenda", 2, "end")` -> `agenda[2].end`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{part}"
    return text or "(top level)"


def load_event(path: Path) -> Event:
    """Parse and validate the event file, or raise ConfigError with a readable message."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: event file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Event.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {exc.error_count()} problem(s) in the event file"]
        for error in exc.errors():
            # model validators report at the model's own location; strip pydantic's "Value error, "
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"  {_location(tuple(error['loc']))}: {message}")
        raise ConfigError("\n".join(lines)) from None
