"""Servers under test on 127.0.0.1, their participants, and CPU / memory readings from /proc."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENT_FILE = ROOT / "config" / "event.toml"
EVENT_ID = "kickoff"
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
# Server processes on the first cores, the load generator on the last one.
GENERATOR_CORE = CORES - 1
START_TIMEOUT = 120.0  # generous: a loaded CI machine imports slowly

# Event names per server kind; payloads are the same shape everywhere.
EVENTS = {
    "ours": {
        "join": "room:join",
        "chat": "chat:send",
        "react": "reaction:send",
        "vote": "poll:vote",
    },
    "baseline": {"join": "join", "chat": "chat", "react": "react", "vote": "vote"},
    "bare": {"join": "join", "chat": "chat", "react": "react", "vote": "vote"},
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """user + system CPU of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def pin_generator() -> None:
    """The load generator (this process) runs on the last core when there are two or more."""
    if CORES >= 2:
        os.sched_setaffinity(0, {GENERATOR_CORE})


def _taskset(core: int | None) -> list[str]:
    if core is None or CORES < 2 or shutil.which("taskset") is None:
        return []
    return ["taskset", "-c", str(core)]


@dataclass
class Server:
    """One or more server processes of one kind; clients are spread over `urls`."""

    kind: str
    urls: list[str]
    processes: list[subprocess.Popen[bytes]]
    directory: Path
    database_url: str | None = None
    redis: subprocess.Popen[bytes] | None = None
    tokens: list[str] = field(default_factory=list)
    label: str = ""
    # how each process was started (argv, env, log, core, port): `crash_and_restart` repeats it
    spawned_with: list[tuple[list[str], dict[str, str], Path, int | None, int]] = field(
        default_factory=list
    )

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    @property
    def events(self) -> dict[str, str]:
        return EVENTS[self.kind]

    def cpu(self) -> list[float]:
        return [cpu_seconds(pid) for pid in self.pids]

    def rss(self) -> list[int]:
        return [rss_bytes(pid) for pid in self.pids]

    def crash_and_restart(self) -> float:
        """SIGKILL every process (a crash, an OOM kill) and start it again on its port; returns
        the seconds until the ports answer again."""
        for process in self.processes:
            process.kill()
            process.wait()
        start = time.perf_counter()
        self.processes = [
            _spawn(argv, env, log, core) for argv, env, log, core, _ in self.spawned_with
        ]
        for process, (*_, port) in zip(self.processes, self.spawned_with, strict=True):
            _wait_port(process, port, self.directory)
        return time.perf_counter() - start

    def log_tail(self, lines: int = 30) -> str:
        out = []
        for log in sorted(self.directory.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(out)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def _wait_port(
    process: subprocess.Popen[bytes], port: int, directory: Path, timeout: float = START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace") for p in directory.glob("*.log"))
            raise RuntimeError(f"server exited with {process.returncode}:\n{logs}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on port {port} did not start") from None
            time.sleep(0.05)


def _spawn(
    argv: list[str], env: dict[str, str], log: Path, core: int | None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*_taskset(core), *argv], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=ROOT
    )


def start_redis(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server", path=f"{os.environ.get('PATH', '')}:/usr/bin:/usr/sbin")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = _spawn(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        dict(os.environ),
        directory / "redis.log",
        None,
    )
    _wait_port(process, port, directory)
    return process, f"redis://127.0.0.1:{port}/0"


def start_ours(
    *,
    processes: int = 1,
    redis: bool = False,
    deflate: bool = False,
    variant: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Server:
    """Our server: a fresh SQLite database, `conference migrate`, then `conference serve`
    (or, for a variant such as permessage-deflate, the same app under bench.serve_variant)."""
    directory = Path(tempfile.mkdtemp(prefix="bench-ours-"))
    database_url = f"sqlite+aiosqlite:///{directory / 'conference.db'}"
    redis_process, redis_url = (None, "")
    if redis:
        redis_process, redis_url = start_redis(directory)
    env = {
        **os.environ,
        "CONFERENCE_DATABASE_URL": database_url,
        "CONFERENCE_EVENT_FILE": str(EVENT_FILE),
        "CONFERENCE_VAR_DIR": str(directory / "var"),
        "CONFERENCE_SECRET_KEY": secrets.token_urlsafe(32),
        "CONFERENCE_LOG_LEVEL": "warning",
        "CONFERENCE_REDIS_URL": redis_url,
        **(extra_env or {}),
    }
    subprocess.run(
        [sys.executable, "-m", "conference", "migrate"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    ports = [free_port() for _ in range(processes)]
    spawned = []
    spawned_with = []
    for index, port in enumerate(ports):
        if deflate or variant:
            flags = ["--deflate"] if deflate else []
            argv = [
                sys.executable,
                "-m",
                "bench.serve_variant",
                "--port",
                str(port),
                *flags,
                *(variant or []),
            ]
        else:
            argv = [
                sys.executable,
                "-m",
                "conference",
                "serve",
                "--no-migrate",
                "--port",
                str(port),
            ]
        core = index % CORES if processes > 1 else 0
        log = directory / f"server-{index}.log"
        spawned.append(_spawn(argv, env, log, core))
        spawned_with.append((argv, env, log, core, port))
    server = Server(
        kind="ours",
        urls=[f"http://127.0.0.1:{p}" for p in ports],
        processes=spawned,
        directory=directory,
        database_url=database_url,
        redis=redis_process,
        spawned_with=spawned_with,
    )
    try:
        for process, port in zip(spawned, ports, strict=True):
            _wait_port(process, port, directory)
    except Exception:
        server.stop()
        raise
    return server


def start_plain(kind: str) -> Server:
    """The bare python-socketio baseline or the bare ASGI websocket ceiling."""
    directory = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    port = free_port()
    module = {"baseline": "bench.baseline_server", "bare": "bench.bare_ws_server"}[kind]
    process = _spawn(
        [sys.executable, "-m", module, "--port", str(port)],
        dict(os.environ),
        directory / "server.log",
        0,
    )
    server = Server(
        kind=kind, urls=[f"http://127.0.0.1:{port}"], processes=[process], directory=directory
    )
    try:
        _wait_port(process, port, directory)
    except Exception:
        server.stop()
        raise
    return server


async def create_people(server: Server, count: int, role: str = "participant") -> list[str]:
    """People (participants unless `role` says otherwise) with join tokens until there are
    `count`, written in one transaction; returns all tokens."""
    if server.kind != "ours":
        server.tokens = [f"anon-{i}" for i in range(count)]
        return server.tokens
    from conference.auth.people import hash_token, new_id
    from conference.clock import utcnow
    from conference.storage.db import Database
    from conference.storage.tables import join_tokens, people

    assert server.database_url is not None
    db = Database(server.database_url)
    now = utcnow()
    tokens, person_rows, token_rows = [], [], []
    for index in range(len(server.tokens), count):
        person_id, token = new_id(), secrets.token_urlsafe(24)
        tokens.append(token)
        person_rows.append(
            {
                "id": person_id,
                "event_id": EVENT_ID,
                "name": f"Bench Person {index}",
                "organisation": "Benchmark",
                "email": None,
                "role": role,
                "room": None,
                "source": "test",
                "created_at": now,
            }
        )
        token_rows.append(
            {"token_hash": hash_token(token), "person_id": person_id, "created_at": now}
        )
    try:
        if person_rows:
            async with db.write() as conn:
                await conn.execute(people.insert(), person_rows)
                await conn.execute(join_tokens.insert(), token_rows)
    finally:
        await db.close()
    server.tokens.extend(tokens)
    return server.tokens


async def settle(seconds: float) -> None:
    await asyncio.sleep(seconds)
