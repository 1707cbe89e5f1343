"""The assignment from first and second choice, as a pure function."""

from __future__ import annotations

from conference.workshops.assignment import Placement, Wish, assign


def test_first_choices_in_registration_order_then_second_then_spread_then_waitlist() -> None:
    wishes = [
        Wish("p1", "a", "b"),
        Wish("p2", "a", "b"),
        Wish("p3", "a", "b"),  # a is full: second choice b
        Wish("p4", "a", "a"),  # a is full twice: waits for a
        Wish("p5", None, None),  # no choice: the room with the most free seats
        Wish("p6", "unknown", None),  # a room that does not exist counts as no choice
    ]
    placed = assign(wishes, {"a": 2, "b": 2, "c": 3})
    assert placed == [
        Placement("p1", "a", waiting=False),
        Placement("p2", "a", waiting=False),
        Placement("p3", "b", waiting=False),
        Placement("p4", "a", waiting=True),
        Placement("p5", "c", waiting=False),
        Placement("p6", "c", waiting=False),
    ]


def test_people_without_a_choice_are_spread_evenly() -> None:
    wishes = [Wish(f"p{i}", None, None) for i in range(9)]
    placed = assign(wishes, {"a": 40, "b": 40, "c": 40})
    rooms = [p.room for p in placed]
    assert {room: rooms.count(room) for room in "abc"} == {"a": 3, "b": 3, "c": 3}


def test_when_every_room_is_full_people_wait_where_the_list_is_shortest() -> None:
    wishes = [Wish(f"p{i}", None, None) for i in range(4)]
    placed = assign(wishes, {"a": 1, "b": 1})
    assert [(p.room, p.waiting) for p in placed] == [
        ("a", False),
        ("b", False),
        ("a", True),
        ("b", True),
    ]
