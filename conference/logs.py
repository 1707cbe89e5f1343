"""Logging without personal data: no client addresses and no join links in the server's logs.

uvicorn writes the client's address and the request path into its access log and into the
lines it logs for websocket handshakes, and join links are paths (`/join/<token>`). The filter
here sits on every log handler: it drops the address (or, with CONFERENCE_LOG_IP_ADDRESSES=
shortened, keeps its network part only, for abuse handling) and masks the secret part of join
links and presenter links wherever it appears.
"""

from __future__ import annotations

import copy
import ipaddress
import logging
import re
from typing import Any, Literal

from uvicorn.config import LOGGING_CONFIG

# the secret part of a join link or a presenter view's address
SECRET_PATH = re.compile(r"/(join|presenter)/[^/?#\s\"']+")
MASK = "***"
# uvicorn's access and websocket lines: '%s - "…' with the client's address first
CLIENT_FIRST = '%s - "'

AddressMode = Literal["none", "shortened"]


def mask_secrets(text: str) -> str:
    """`/join/abc123` -> `/join/***` (and the same for presenter views)."""
    return SECRET_PATH.sub(lambda m: f"/{m.group(1)}/{MASK}", text)


def shorten_address(address: str) -> str:
    """An IPv4 address without its last octet (`192.0.2.0`), an IPv6 address cut to its
    /48 network (`2001:db8:1::`); the port goes. Anything else becomes `-`."""
    # uvicorn writes "host:port", for IPv6 too: try without the last part first
    for candidate in (address.rsplit(":", 1)[0], address):
        try:
            ip = ipaddress.ip_address(candidate.strip("[]"))
        except ValueError:
            continue
        prefix = 24 if ip.version == 4 else 48
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
    return "-"


class PrivacyFilter(logging.Filter):
    """Rewrites each record before any handler formats it; never drops one."""

    def __init__(self, addresses: AddressMode = "none") -> None:
        super().__init__()
        self.addresses = addresses

    def client(self, value: Any) -> Any:
        if not isinstance(value, str) or not value:
            return value
        return shorten_address(value) if self.addresses == "shortened" else "-"

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args:
            if isinstance(record.msg, str) and record.msg.startswith(CLIENT_FIRST):
                args = (self.client(args[0]), *args[1:])
            record.args = tuple(mask_secrets(a) if isinstance(a, str) else a for a in args)
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        return True


# what a library logs with a traceback although the client caused it (and the library already
# answered it): the record stays, as a warning, without the traceback
CLIENT_FAULTS = frozenset(
    {"Invalid UTF-8 sequence received from client."}  # uvicorn: the websocket closes with 1007
)


class ClientFaultFilter(logging.Filter):
    """A client's fault is no server failure: no traceback in the log for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.msg in CLIENT_FAULTS:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def log_config(addresses: AddressMode, level: str) -> dict[str, Any]:
    """uvicorn's logging configuration with the privacy filter on every handler, and the
    app's own loggers (`conference.*`) sent through the same handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {
        "privacy": {"()": PrivacyFilter, "addresses": addresses},
        "client_faults": {"()": ClientFaultFilter},
    }
    for handler in config["handlers"].values():
        handler["filters"] = ["client_faults", "privacy"]
    config["loggers"]["conference"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config
