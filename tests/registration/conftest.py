"""Servers of the registration tests: their own database, event files and a local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fixtures.live_server import (
    EVENT_FILE,
    LiveServer,
    start_servers,
    stop_servers,
)
from tests.fixtures.mail import Mailbox

LINK = re.compile(r"http://[^\s\"<]+/join/[A-Za-z0-9_-]+")


def event_file(directory: Path, registration: str) -> Path:
    """The demo event file with its [registration] table replaced."""
    text = EVENT_FILE.read_text(encoding="utf-8")
    start = text.index("[registration]")
    end = text.index("[[agenda]]")
    path = directory / "event.toml"
    path.write_text(
        text[:start] + "[registration]\n" + registration + "\n\n" + text[end:], encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session")
def event_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LiveServer]]:
    """`event_server(registration_toml, **env)`: a server of its own on a changed event file."""
    servers: list[LiveServer] = []

    def start(registration: str, **env: str) -> LiveServer:
        directory = tmp_path_factory.mktemp("registration-event")
        server = start_servers(
            directory,
            extra_env={"CONFERENCE_EVENT_FILE": str(event_file(directory, registration)), **env},
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_servers(server)


@pytest.fixture(scope="session")
def reg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo event on a server of its own (no SMTP), so no other test fills its capacity."""
    server = start_servers(tmp_path_factory.mktemp("registration"))
    yield server
    stop_servers(server)


@pytest.fixture(scope="session")
def smtp_server(
    tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[Mailbox, int]
) -> Iterator[LiveServer]:
    """The demo event with join links e-mailed through the local SMTP server."""
    _, port = mailbox
    server = start_servers(
        tmp_path_factory.mktemp("registration-smtp"),
        extra_env={
            "CONFERENCE_SMTP_HOST": "127.0.0.1",
            "CONFERENCE_SMTP_PORT": str(port),
            "CONFERENCE_SMTP_FROM": "anmeldung@industrieinitiativen.example",
        },
    )
    yield server
    stop_servers(server)


def form(**overrides: str) -> dict[str, str]:
    """A valid registration form."""
    return {
        "name": "Erika Mustermann",
        "organisation": "Musterwerke GmbH",
        "email": "erika@example.org",
        "workshop_first": "vernetzung",
        "workshop_second": "fachkraefte",
        "consent": "yes",
        **overrides,
    }
