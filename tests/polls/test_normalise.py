"""Word-cloud answers: stored as written, counted by a key (case, punctuation at the ends and
inflection do not count), shown as the spelling written most often."""

from __future__ import annotations

import pytest

from conference.export.spreadsheet import csv_text
from conference.polls.export import results_table
from conference.polls.normalise import group, key, normalise_word, written
from conference.polls.rules import check_vote
from conference.realtime.errors import Refused


@pytest.mark.parametrize(
    "text",
    ["Klimaneutral", "klimaneutral ", "KLIMANEUTRAL!", "  „klimaneutral“ ", "klimaneutral…"],
)
def test_variants_of_one_word_are_one(text: str) -> None:
    assert normalise_word(text) == "klimaneutral"
    assert key(text) == key("klimaneutral")


def test_unicode_forms_are_composed() -> None:
    decomposed = "wettbewerbsfa\u0308hig"
    assert normalise_word(decomposed) == "wettbewerbsfähig"
    assert written(decomposed) == "wettbewerbsfähig"
    assert key(decomposed) == key("Wettbewerbsfähig")


def test_inner_spaces_collapse_and_inner_punctuation_stays() -> None:
    assert normalise_word("  grüner   Stahl ") == "grüner stahl"
    assert normalise_word("E-Mobilität!") == "e-mobilität"
    assert normalise_word("?!") == ""


def test_the_answer_is_kept_as_written() -> None:
    assert written("  attraktiver   Arbeitgeber ") == "attraktiver Arbeitgeber"
    assert written("=1+1") == "=1+1"  # guarded when exported, not when stored
    assert written("Klimaneutral!") == "Klimaneutral"
    assert written("C++") == "C++"
    assert written("Industrie 4.0") == "Industrie 4.0"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("wettbewerbsfähig", "wettbewerbsfähige"),
        ("wettbewerbsfähig", "Wettbewerbsfähigen"),
        ("attraktiver Arbeitgeber", "attraktive Arbeitgeber"),
        ("Arbeitgeber", "Arbeitgebers"),
        ("innovativ", "innovative"),
        ("Netzwerk", "Netzwerke"),
    ],
)
def test_inflected_forms_are_one_word(one: str, other: str) -> None:
    assert key(one) == key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("klimaneutral", "Klimaneutralität"), ("innovativ", "Innovation"), ("Arbeit", "Arbeitgeber")],
)
def test_derived_words_stay_apart(one: str, other: str) -> None:
    assert key(one) != key(other)


def test_english_events_stem_english() -> None:
    assert key("employers", "en") == key("Employer", "en")
    assert key("Arbeitgebers", "xx") == "arbeitgebers"  # no stemmer: the normal form


def test_grouped_counts_show_the_spelling_written_most_often() -> None:
    counts = {
        "attraktiver Arbeitgeber": 3,
        "Attraktiver Arbeitgeber": 1,
        "attraktive Arbeitgeber": 1,
        "klimaneutral": 2,
        "Klimaneutralität": 1,
        "=1+1": 1,
    }
    grouped = group(counts)
    assert [(g["word"], g["count"]) for g in grouped] == [
        ("attraktiver Arbeitgeber", 5),
        ("klimaneutral", 2),
        ("=1+1", 1),
        ("Klimaneutralität", 1),
    ]
    assert grouped[0]["forms"] == [
        "attraktiver Arbeitgeber",
        "Attraktiver Arbeitgeber",
        "attraktive Arbeitgeber",
    ]
    # a tie shows the same spelling on every process, whatever order the counts came in
    tie = {"Zukunft": 1, "zukunft": 1}
    assert group(tie)[0]["word"] == group(dict(reversed(tie.items())))[0]["word"] == "Zukunft"


def test_a_vote_counts_each_word_once_as_written() -> None:
    settings = {"max_answers": 3}
    vote = check_vote(
        "wordcloud",
        [],
        settings,
        chosen=[],
        words=["Klimaneutral", "KLIMANEUTRAL!", "wettbewerbsfähige", "Wettbewerbsfähig"],
        rating=None,
        text=None,
    )
    assert vote.values == ["Klimaneutral", "wettbewerbsfähige"]
    assert vote.answer == {"words": ["Klimaneutral", "wettbewerbsfähige"]}
    with pytest.raises(Refused) as refused:
        check_vote("wordcloud", [], settings, chosen=[], words=["", " . "], rating=None, text=None)
    assert refused.value.code == "poll.empty_answer"


def test_a_formula_is_guarded_in_the_csv_not_in_the_record() -> None:
    poll = {"kind": "wordcloud", "options": []}
    results = {"words": group({"=1+1": 2, "attraktiver Arbeitgeber": 1})}
    table = results_table(poll, results, "Wolke")
    assert table.rows[0] == ["=1+1", 2]
    text = csv_text(table.rows)
    assert text.splitlines() == ["'=1+1;2", "attraktiver Arbeitgeber;1"]
