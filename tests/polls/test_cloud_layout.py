"""The word cloud's layout (static/js/lib/cloud-layout.js) is a pure module with unit tests of
its own for node's test runner (tests/js/); they run here so that the suite runs them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_cloud_layout_passes_its_node_tests() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the browser modules' unit tests (scripts/setup.sh)")
    done = subprocess.run(
        [node, "--test", str(ROOT / "tests" / "js" / "cloud-layout.test.mjs")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
