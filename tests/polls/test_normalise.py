"""Word-cloud answers count as one word whatever their case, form or surrounding punctuation."""

from __future__ import annotations

import pytest

from conference.polls.normalise import normalise_word
from conference.polls.rules import check_vote
from conference.realtime.errors import Refused


@pytest.mark.parametrize(
    "text",
    ["Klimaneutral", "klimaneutral ", "KLIMANEUTRAL!", "  „klimaneutral“ ", "klimaneutral…"],
)
def test_variants_of_one_word_are_one(text: str) -> None:
    assert normalise_word(text) == "klimaneutral"


def test_unicode_forms_are_composed() -> None:
    decomposed = "wettbewerbsfa\u0308hig"
    assert normalise_word(decomposed) == "wettbewerbsfähig"
    assert normalise_word("Wettbewerbsfähig") == "wettbewerbsfähig"


def test_inner_spaces_collapse_and_inner_punctuation_stays() -> None:
    assert normalise_word("  grüner   Stahl ") == "grüner stahl"
    assert normalise_word("E-Mobilität!") == "e-mobilität"
    assert normalise_word("?!") == ""


def test_a_vote_counts_each_normal_form_once() -> None:
    settings = {"max_answers": 3}
    vote = check_vote(
        "wordcloud",
        [],
        settings,
        chosen=[],
        words=["Klimaneutral", "KLIMANEUTRAL!", "Zukunft"],
        rating=None,
        text=None,
    )
    assert vote.values == ["klimaneutral", "zukunft"]
    with pytest.raises(Refused) as refused:
        check_vote("wordcloud", [], settings, chosen=[], words=["", " . "], rating=None, text=None)
    assert refused.value.code == "poll.empty_answer"
