"""Every kind of personal data the platform keeps, in one list (see declaration.py).

A capability that stores something about people adds one `PersonalData` here. A test
(tests/privacy/test_registry.py) fails when a table that refers to people is covered by none.
Withdrawals run the declarations in this order, deletions in the reverse order: the
registration comes first, so that the others render a person already anonymised, and is
deleted last, after the records that refer to it.
"""

from __future__ import annotations

from conference.auth.privacy import registrations
from conference.chat.privacy import chat
from conference.gallery.privacy import key_results_data, reports_data
from conference.notes.privacy import notes
from conference.polls.privacy import poll_answers_data
from conference.privacy.declaration import PersonalData
from conference.qa.privacy import questions_and_upvotes
from conference.realtime.privacy import room_log_data
from conference.workshops.privacy import help_calls, room_attendance, workshop_seat

PERSONAL_DATA: tuple[PersonalData, ...] = (
    registrations,  # people, join_tokens
    chat,  # chat_messages
    questions_and_upvotes,  # questions, question_votes
    poll_answers_data,  # poll_votes, poll_answers
    workshop_seat,  # workshop_seats
    room_attendance,  # attendance
    help_calls,  # help_requests
    notes,  # notes_docs, notes_updates, notes_versions
    key_results_data,  # key_results, key_result_votes
    reports_data,  # reports (those built with names name people who agreed)
    room_log_data,  # room_log (copies of the above)
)
