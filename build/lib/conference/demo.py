"""The built-in demo: people with links for every role, printed when `conference demo` starts."""

from __future__ import annotations

from conference.auth.people import issue_token
from conference.auth.presenter import presenter_key
from conference.auth.roles import Role
from conference.events.loader import load_event
from conference.links import find_or_create, join_url
from conference.settings import Settings
from conference.storage.db import command_database

DEMO_PARTICIPANTS = [
    ("Anna Schneider", "Industrie- und Handelskammer Musterstadt"),
    ("Mehmet Yılmaz", "Metallbau Yılmaz GmbH"),
    ("Julia Becker", "Wirtschaftsförderung Landkreis Beispiel"),
]


async def prepare_demo(settings: Settings, base_url: str) -> str:
    """Make sure the demo people exist, issue fresh links for them and describe them."""
    event = load_event(settings.event_file)
    lines = [
        "",
        f"  {event.title}",
        f"  Event page:      {base_url}/",
        f"  Registration:    {base_url}/register",
        f"  Presenter view:  {base_url}/presenter/{presenter_key(settings)}",
    ]
    async with command_database(settings.database_url) as db, db.write() as conn:
        moderator = await find_or_create(conn, event, "Moderation", Role.MODERATOR, None, "demo")
        lines.append(
            f"  Moderator:       {join_url(base_url, await issue_token(conn, moderator.id))}"
        )
        for workshop in event.workshops:
            name = workshop.facilitator or f"Moderation {workshop.title}"
            facilitator = await find_or_create(
                conn, event, name, Role.FACILITATOR, workshop.id, "demo"
            )
            link = join_url(base_url, await issue_token(conn, facilitator.id))
            lines.append(f"  Facilitator {workshop.id + ':':17}{link}")
        for name, organisation in DEMO_PARTICIPANTS:
            participant = await find_or_create(
                conn, event, name, Role.PARTICIPANT, None, "demo", organisation
            )
            link = join_url(base_url, await issue_token(conn, participant.id))
            lines.append(f"  Participant:     {link}  ({name})")
    lines.append("")
    return "\n".join(lines)
