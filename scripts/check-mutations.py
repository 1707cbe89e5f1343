"""Deliberate bugs the suite must catch: each is applied to a copy of the checkout, the tests
that guard its rule run there, and they must fail. The checkout itself is never touched.

    .venv/bin/python scripts/check-mutations.py [NAME-SUBSTRING ...]

Prints one line per bug and exits 1 when a bug survived (its tests passed), or when the copy
without any bug does not pass them. Not part of `make test`: it runs the guarding tests once
plainly and once per bug (a few minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "__pycache__", ".pytest_cache", ".mypy_cache",
    ".ruff_cache", "test-results",
)  # fmt: skip


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "a facilitator passes the moderator-only checks (agenda, announcements, mute, remove)",
        "conference/auth/roles.py",
        "        return role == Role.FACILITATOR and room is not None and own_room == room\n"
        "    return False\n",
        "        return role == Role.FACILITATOR and room is not None and own_room == room\n"
        "    return role == Role.FACILITATOR\n",
        ("tests/permissions/test_matrix.py",),
    ),
    Mutation(
        "a muted person can still chat:send",
        "conference/chat/handlers.py",
        '        if person.muted:\n            raise Refused("chat.muted")\n        message_id',
        "        message_id",
        ("tests/moderation/test_mute.py",),
    ),
    Mutation(
        "an on-reveal poll's final results go to the room and the stream when it closes",
        "conference/polls/service.py",
        "    if public(poll):\n",
        "    if public(poll) or final:\n",
        ("tests/polls/test_lifecycle.py::test_results_follow_the_visibility_setting",),
    ),
    Mutation(
        "chat:deleted is dropped between processes",
        "conference/realtime/fanout.py",
        '        callback = message.get("callback")\n',
        '        if message.get("event") == "chat:deleted":\n'
        "            return\n"
        '        callback = message.get("callback")\n',
        ("tests/chat/test_delete.py",),
    ),
)


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[bool, str]:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    lines = (done.stdout + done.stderr).strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return done.returncode == 0, "; ".join([*failed, lines[-1] if lines else ""])


def main(only: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not only or any(o in m.name for o in only)]
    with tempfile.TemporaryDirectory(prefix="mutations-") as tmp:
        copy = Path(tmp) / "checkout"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        env = {**os.environ, "PYTHONPATH": str(copy)}
        where = subprocess.run(
            [sys.executable, "-c", "import conference; print(conference.__file__)"],
            cwd=copy, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not where.startswith(str(copy)):
            print(f"the copy's tests would import {where}, not the copy", file=sys.stderr)
            return 1
        tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        passed, summary = run_tests(copy, tests)
        print(f"{'ok' if passed else 'FAILED'}  without a bug: {summary}")
        if not passed:
            return 1
        survived = 0
        for mutation in chosen:
            path = copy / mutation.file
            original = path.read_text(encoding="utf-8")
            if original.count(mutation.old) != 1:
                print(f"STALE   {mutation.name}: its code changed in {mutation.file}")
                survived += 1
                continue
            path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
            started = time.monotonic()
            try:
                passed, summary = run_tests(copy, mutation.tests)
            finally:
                path.write_text(original, encoding="utf-8")
            verdict = "SURVIVED" if passed else "caught"
            print(f"{verdict:8}{mutation.name} ({time.monotonic() - started:.0f} s): {summary}")
            survived += passed
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
