"""The five reactions and their names (marked for translation; translated where shown: the
plenary's buttons, the console's totals, the report)."""

from __future__ import annotations

from conference.realtime.errors import N_

REACTIONS: dict[str, str] = {
    "👏": N_("Applause"),
    "👍": N_("Agree"),
    "❤️": N_("Love it"),
    "😂": N_("Funny"),
    "🤔": N_("Thinking"),
}
