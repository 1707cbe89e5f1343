"""Every refusal code and every documented broadcast is asserted by some test.

These run after every other test of the session (tests/fixtures/asserted.py orders them last)
and look at what the tests asserted: refusal codes through `refused()` / `Client.refused`,
broadcasts through `Client.wait_for`. Run alone or with a part of the suite they fail, since
the other tests did not run; `make test` runs them with everything.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conference.realtime.errors import MESSAGES
from tests.fixtures import asserted

PROTOCOL = Path(__file__).resolve().parents[1] / "docs" / "protocol.md"
BROADCAST_TABLES = ("event", "event (server → client)")


def documented_broadcasts() -> set[str]:
    """The first column of every table of broadcasts in docs/protocol.md."""
    names: set[str] = set()
    in_table = False
    for line in PROTOCOL.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        first = line.strip("|").split("|")[0].strip()
        if first in BROADCAST_TABLES:
            in_table = True
        elif in_table:
            names.update(re.findall(r"`([a-z_]+:[a-z_:]+)`", first))
    return names


def test_the_protocol_documents_broadcasts() -> None:
    assert {"chat:message", "chat:deleted", "poll:results"} <= documented_broadcasts()


@pytest.mark.after_all
def test_every_error_code_is_asserted_by_some_test() -> None:
    missing = sorted(set(MESSAGES) - asserted.CODES)
    assert not missing, (
        f"no test asserted these codes of conference/realtime/errors.py: {missing} "
        "(assert refusals with tests.fixtures.asserted.refused or Client.refused)"
    )


@pytest.mark.after_all
def test_every_documented_broadcast_is_asserted_by_some_test() -> None:
    missing = sorted(documented_broadcasts() - asserted.BROADCASTS)
    assert not missing, (
        f"no test waited for these broadcasts of docs/protocol.md: {missing} "
        "(assert them with Client.wait_for)"
    )
