"""What a poll is (kinds and settings) and what a valid vote on it looks like."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from conference.polls.normalise import MAX_WORD_LENGTH, key, written
from conference.realtime.errors import Refused

Kind = Literal["single", "multiple", "wordcloud", "rating", "open"]
Visibility = Literal["live", "after_vote", "on_reveal"]
KINDS: tuple[str, ...] = ("single", "multiple", "wordcloud", "rating", "open")
MAX_OPEN_TEXT = 500
MAX_OPTIONS = 20


@dataclass(frozen=True, slots=True)
class Vote:
    """A checked vote: what is stored, and the values it adds to the tally."""

    answer: dict[str, Any]
    values: list[str]


def default_settings() -> dict[str, Any]:
    return {
        "max_choices": None,
        "max_answers": 3,
        "scale_min": 1,
        "scale_max": 5,
        "scale_labels": {},
        "results": "live",
        "anonymous": True,
        "allow_change": False,
        "duration_seconds": None,
    }


def check_definition(kind: str, options: list[dict[str, str]], settings: dict[str, Any]) -> None:
    """Refuse a poll that cannot be answered (too few options, an empty scale)."""
    if kind in ("single", "multiple") and len(options) < 2:
        raise Refused("poll.bad_definition")
    if len({o["id"] for o in options}) != len(options):
        raise Refused("poll.bad_definition")
    if kind == "rating" and not (
        settings["scale_min"] < settings["scale_max"] <= settings["scale_min"] + 10
    ):
        raise Refused("poll.bad_definition")
    max_choices = settings.get("max_choices")
    if kind == "multiple" and max_choices is not None and max_choices > len(options):
        raise Refused("poll.bad_definition")


def check_vote(
    kind: str,
    options: list[dict[str, str]],
    settings: dict[str, Any],
    *,
    chosen: list[str],
    words: list[str],
    rating: int | None,
    text: str | None,
    language: str = "de",
) -> Vote:
    """The vote as stored and counted, or a refusal naming what is wrong with it. Word-cloud
    answers are stored as written, each counted once per vote by its key (polls/normalise.py)."""
    valid = {o["id"] for o in options}
    if kind == "single":
        if len(chosen) != 1 or chosen[0] not in valid:
            raise Refused("poll.bad_option")
        return Vote({"options": chosen}, list(chosen))
    if kind == "multiple":
        if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= valid:
            raise Refused("poll.bad_option")
        if len(chosen) > (settings.get("max_choices") or len(options)):
            raise Refused("poll.too_many_choices")
        return Vote({"options": chosen}, list(chosen))
    if kind == "wordcloud":
        normal: list[str] = []
        keys: set[str] = set()
        for word in words:
            form, k = written(word), key(word, language)
            if len(form) > MAX_WORD_LENGTH:
                raise Refused("poll.answer_too_long")
            if k and k not in keys:
                keys.add(k)
                normal.append(form)
        if not normal:
            raise Refused("poll.empty_answer")
        if len(normal) > settings["max_answers"]:
            raise Refused("poll.too_many_answers")
        return Vote({"words": normal}, normal)
    if kind == "rating":
        if rating is None or not settings["scale_min"] <= rating <= settings["scale_max"]:
            raise Refused("poll.out_of_range")
        return Vote({"rating": rating}, [str(rating)])
    body = (text or "").strip()
    if not body:
        raise Refused("poll.empty_answer")
    if len(body) > MAX_OPEN_TEXT:
        raise Refused("poll.answer_too_long")
    return Vote({"text": body}, [])
