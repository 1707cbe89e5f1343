"""Every realtime capability of the app, in one table: a newcomer sees the whole app here."""

from __future__ import annotations

from conference.accessibility.capability import capability as accessibility
from conference.agenda.handlers import capability as agenda
from conference.announcements.handlers import capability as announcements
from conference.chat.handlers import capability as chat
from conference.events.handlers import capability as event
from conference.gallery.handlers import capability as gallery
from conference.moderation.handlers import capability as moderation
from conference.notes.handlers import capability as notes
from conference.polls.handlers import capability as polls
from conference.privacy.capability import capability as privacy
from conference.qa.handlers import capability as qa
from conference.reactions.handlers import capability as reactions
from conference.realtime.capability import Capability
from conference.report.handlers import capability as report
from conference.rooms.handlers import capability as rooms
from conference.stage.handlers import capability as stage
from conference.workshops.handlers import capability as workshops

CAPABILITIES: dict[str, Capability] = {
    "me": rooms,  # room:join / room:leave / room:sync, and who am I
    "event": event,  # current agenda item, announcement, phase
    "agenda": agenda,  # agenda:set
    "announcements": announcements,  # announce:post / announce:clear
    "chat": chat,  # chat:send / chat:delete
    "reactions": reactions,  # reaction:send, aggregated once a second
    "moderation": moderation,  # person:mute / person:remove / presence:list
    "polls": polls,  # poll:create/open/close/reopen/delete/reveal/vote/results
    "qa": qa,  # question:ask/approve/reject/edit/answered/pin/upvote/unvote
    "workshops": workshops,  # the afternoon: rooms, seats, the phase and its timer, help
    "notes": notes,  # notes:open/update/awareness/mode/save/versions/version/restore
    "gallery": gallery,  # gallery:save/publish/upvote: key results of the workshops
    "stage": stage,  # stage:set, presenter:join: what the stream shows now
    "report": report,  # report:build/list: the event report off the event loop; the exports
    "privacy": privacy,  # /privacy, /my-data (export, withdrawal), the deletion job
    "accessibility": accessibility,  # the statement with feedback; plain and sign language
}
