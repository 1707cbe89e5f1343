"""The privacy capability: the person's own pages and the deletion job, in the table of
capabilities (conference/capabilities.py)."""

from __future__ import annotations

from conference.privacy.retention import deletion_task
from conference.privacy.routes import privacy_routes
from conference.realtime.capability import Capability, loops
from conference.realtime.dispatch import Router

capability = Capability("privacy", Router(), routes=privacy_routes, lifetime=loops(deletion_task))
