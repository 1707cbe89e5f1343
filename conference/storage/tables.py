"""Every table, as SQLAlchemy Core metadata (portable SQL: SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _now() -> sa.Column[dt.datetime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("organisation", sa.String(160), nullable=False, server_default=""),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("room", sa.String(64), nullable=True),
    sa.Column("workshop_first", sa.String(64), nullable=True),
    sa.Column("workshop_second", sa.String(64), nullable=True),
    sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("source", sa.String(16), nullable=False, server_default="registration"),
    sa.Column("muted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    # set when the person withdrew or their registration's retention ended: the row stays
    # as a nameless placeholder while shared results (messages, votes) still refer to it
    sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
    _now(),
    sa.UniqueConstraint("event_id", "email", name="uq_people_event_email"),
)

join_tokens = sa.Table(
    "join_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    _now(),
)

room_log = sa.Table(
    "room_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    _now(),
    sa.UniqueConstraint("event_id", "room", "seq", name="uq_room_log_seq"),
)

# the last sequence number of each room's log (conference/realtime/room_log.py): an append
# increments it in its own transaction, so the row's lock orders concurrent writers of one room
# and a rolled-back append gives its number back; numbers are never reused
room_counters = sa.Table(
    "room_counters",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("room", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
)

event_state = sa.Table(
    "event_state",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# the mood in the room: reactions counted per room, minute and emoji (no person: a reaction is
# anonymous), added to by whichever process sends the room's aggregate each second
reaction_counts = sa.Table(
    "reaction_counts",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("room", sa.String(64), primary_key=True),
    sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
    sa.Column("emoji", sa.String(16), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

chat_messages = sa.Table(
    "chat_messages",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("deleted_by", sa.String(32), nullable=True),
    _now(),
    sa.UniqueConstraint("person_id", "client_id", name="uq_chat_messages_client"),
    sa.Index("ix_chat_messages_room", "event_id", "room", "seq"),
)

polls = sa.Table(
    "polls",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("key", sa.String(64), nullable=True),  # the prepared poll's id in the event file
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
    sa.Column("revealed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    # the aggregated results, kept when the answers are deleted (conference/polls/privacy.py)
    sa.Column("kept_results", sa.JSON, nullable=True),
    _now(),
    sa.UniqueConstraint("event_id", "key", name="uq_polls_event_key"),
    sa.Index("ix_polls_room", "event_id", "room"),
)

poll_votes = sa.Table(
    "poll_votes",
    metadata,
    sa.Column("poll_id", sa.String(32), sa.ForeignKey("polls.id"), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("shown", sa.Boolean, nullable=False, server_default=sa.false()),  # open text
    _now(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# one row per counted value of a vote (an option id, a normalised word, a rating): tallies are
# a GROUP BY over these rows, exact however many processes write
poll_answers = sa.Table(
    "poll_answers",
    metadata,
    sa.Column("poll_id", sa.String(32), primary_key=True),
    sa.Column("person_id", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(80), primary_key=True),
    sa.ForeignKeyConstraint(
        ["poll_id", "person_id"],
        ["poll_votes.poll_id", "poll_votes.person_id"],
        name="fk_poll_answers_vote",
        ondelete="CASCADE",
    ),
)

questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    _now(),
    sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_questions_room", "event_id", "room"),
)

question_votes = sa.Table(
    "question_votes",
    metadata,
    sa.Column("question_id", sa.String(32), sa.ForeignKey("questions.id"), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), primary_key=True),
    _now(),
)

# the workshop rooms: those of the event file (source "file", kept in step with it at start-up)
# and those a moderator adds live (source "live"); the plenary is not stored
rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("facilitator", sa.String(120), nullable=False, server_default=""),
    sa.Column("video_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("source", sa.String(8), nullable=False),
    _now(),
)

# one row per participant who has a workshop: a seat in `room`, or (waiting) a place on its
# waitlist, in the order of `updated_at`; seats are counted under a lock on the room's row
workshop_seats = sa.Table(
    "workshop_seats",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("waiting", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("source", sa.String(8), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_workshop_seats_room", "event_id", "room"),
)

# who was in which room when: one row per visit (a connection's join to its leave)
attendance = sa.Table(
    "attendance",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_attendance_room", "event_id", "room"),
)

help_requests = sa.Table(
    "help_requests",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("message", sa.String(300), nullable=False, server_default=""),
    _now(),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("answered_by", sa.String(32), nullable=True),
    sa.Index("ix_help_requests_room", "event_id", "room"),
)

# one shared notes document per workshop room: its update counter, who may write, and the
# latest snapshot (every update up to `snapshot_seq`, encoded whole); the updates after it are
# in notes_updates
notes_docs = sa.Table(
    "notes_docs",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("room", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False, server_default="0"),
    sa.Column("mode", sa.String(12), nullable=False, server_default="everyone"),
    sa.Column("snapshot", sa.LargeBinary, nullable=True),
    sa.Column("snapshot_seq", sa.Integer, nullable=False, server_default="0"),
    _now(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

notes_updates = sa.Table(
    "notes_updates",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("room", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
    _now(),
)

# a version of a notes document: kept when the workshop phase closes, or saved by name
notes_versions = sa.Table(
    "notes_versions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("state", sa.LargeBinary, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    _now(),
    sa.Column("created_by", sa.String(32), sa.ForeignKey("people.id"), nullable=True),
    sa.Index("ix_notes_versions_room", "event_id", "room"),
)

# the results gallery: up to three key results per workshop room, typed by its facilitators;
# `published_at` is set when the workshop phase closes (or by hand after it)
key_results = sa.Table(
    "key_results",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("room", sa.String(64), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    _now(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("event_id", "room", "position", name="uq_key_results_position"),
)

# one upvote per person and key result: the primary key says so, on any number of processes
key_result_votes = sa.Table(
    "key_result_votes",
    metadata,
    sa.Column("result_id", sa.String(32), sa.ForeignKey("key_results.id"), primary_key=True),
    sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id"), primary_key=True),
    _now(),
)

# the event report, built on demand off the event loop (conference/report/): its progress while
# it builds and the document when done, so any process can show and serve it
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("names", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("status", sa.String(16), nullable=False),  # building / ready / failed
    sa.Column("step", sa.Integer, nullable=False, server_default="0"),
    sa.Column("steps", sa.Integer, nullable=False, server_default="1"),
    sa.Column("filename", sa.String(200), nullable=True),
    sa.Column("media_type", sa.String(120), nullable=True),
    sa.Column("data", sa.LargeBinary, nullable=True),
    sa.Column("requested_by", sa.String(32), nullable=True),
    _now(),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_reports_event", "event_id", "created_at"),
)
