"""The notes run on the afternoon's own servers (a workshop room, the phase)."""

from tests.workshops.conftest import afternoon

__all__ = ["afternoon"]
