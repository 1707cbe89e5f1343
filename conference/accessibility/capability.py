"""The accessibility statement and the BITV start-page explanations, in the table of
capabilities (conference/capabilities.py)."""

from __future__ import annotations

from conference.accessibility.routes import accessibility_routes
from conference.realtime.capability import Capability
from conference.realtime.dispatch import Router

capability = Capability("accessibility", Router(), routes=accessibility_routes)
