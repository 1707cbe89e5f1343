"""One error type for refusals, with namespaced codes and their user-facing messages."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


MESSAGES: dict[str, str] = {
    "auth.required": N_("Please open your personal join link first."),
    "auth.forbidden": N_("You are not allowed to do that."),
    "event.unknown": N_("This action is not known."),
    "payload.invalid": N_("The request was malformed."),
    "packet.invalid": N_("The message could not be read."),
    "payload.too_large": N_("The request is too large."),
    "rate.limited": N_("You are sending too fast. Please wait a moment."),
    "room.unknown": N_("This room does not exist."),
    "room.not_joined": N_("Join the room first."),
    "room.closed": N_("This room is not open yet."),
    "room.not_yours": N_("This workshop room is not yours: please go to your own workshop."),
    "chat.muted": N_("A moderator has muted you: you cannot post messages."),
    "chat.not_found": N_("This message does not exist."),
    "person.not_found": N_("This person does not exist."),
    "agenda.unknown_item": N_("This agenda item does not exist."),
    "poll.not_found": N_("This poll does not exist."),
    "poll.closed": N_("This poll is closed."),
    "poll.not_closed": N_("Only a closed poll can be reopened."),
    "poll.bad_definition": N_("This poll cannot be answered: check its options or scale."),
    "poll.bad_option": N_("Please choose from the options of this poll."),
    "poll.too_many_choices": N_("You chose more options than this poll allows."),
    "poll.too_many_answers": N_("You gave more answers than this poll allows."),
    "poll.empty_answer": N_("Please enter an answer."),
    "poll.answer_too_long": N_("This answer is too long."),
    "poll.out_of_range": N_("Please choose a value on the scale."),
    "poll.already_voted": N_("You have already voted in this poll."),
    "poll.results_hidden": N_("The results are not shown yet."),
    "question.not_found": N_("This question does not exist."),
    "question.not_approved": N_("Only approved questions can be pinned or marked as answered."),
    "question.already_upvoted": N_("You have already upvoted this question."),
    "question.own_question": N_("You cannot upvote your own question."),
    "workshop.full": N_("This workshop is full. Please choose another one."),
    "workshop.choice_closed": N_("Workshops cannot be chosen now."),
    "workshop.not_participant": N_("Only participants take seats in workshops."),
    "workshop.phase_running": N_("The workshop phase is running already."),
    "workshop.phase_closed": N_("The workshop phase is not running."),
    "workshop.no_rooms": N_("This event has no workshop rooms."),
    "workshop.help_not_found": N_("This call for help does not exist."),
    "notes.not_open": N_("Open the notes of this room first."),
    "notes.read_only": N_("Only the facilitator writes in these notes right now."),
    "notes.bad_update": N_("This change to the notes could not be read; it was not applied."),
    "notes.too_large": N_("The notes are too long: this change was not saved."),
    "notes.version_not_found": N_("This version of the notes does not exist."),
    "gallery.not_found": N_("This result does not exist or is not published."),
    "gallery.already_upvoted": N_("You have already upvoted this result."),
    "gallery.phase_running": N_("Key results are published when the workshop phase has ended."),
    "gallery.empty": N_("Please enter at least one key result first."),
    "stage.not_found": N_("This cannot be shown on the stream: it was not opened or approved."),
    "stage.not_wordcloud": N_("Only a word-cloud poll can be shown as a word cloud."),
    "report.busy": N_("A report is being built already. Please wait until it is done."),
    "state.unavailable": N_(
        "The live connection is interrupted for a moment. It is being restored; please wait."
    ),
    "server.error": N_("Something went wrong on the server. Please try again."),
}


class Refused(Exception):
    """Raised anywhere below a handler; dispatch turns it into `{ok: false, error: …}`."""

    def __init__(self, code: str, message: str | None = None, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.details = details
