"""The benchmark harness in its smoke mode (N = 50): it must run and lose nothing.

No timing assertions: this only keeps the harness from rotting.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(240)
def test_smoke_run_completes_without_loss(tmp_path: Path) -> None:
    out = tmp_path / "smoke.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=220,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    document = json.loads(out.read_text())
    results = document["results"]
    cells = []
    for kind in ("ours", "baseline", "bare"):
        fanout = results["fanout"][kind]
        cells += fanout.get("cells", []) + fanout["ladder"]
    cells += results["redis"]["fanout"]["cells"] + results["redis"]["fanout"]["ladder"]
    assert cells
    for cell in cells:
        assert cell["lost"] == 0, cell
        assert cell["doubled"] == 0, cell
    for row in results["joinstorm"]["ours"]:
        assert row["failures"] == 0, row
    votes = results["votes"]["ours"]
    assert votes["available"], votes
    assert votes["exact"], votes
    assert results["redis"]["votes"]["exact"], results["redis"]["votes"]
    for row in results["workshops"]:
        assert row["seat_notices"] == row["n"], row
        for move in ("into_rooms", "back_to_plenary"):
            assert row[move]["failures"] == 0, row
            assert row[move]["moved"] == row["n"], row
    for cell in results["notes"]:
        for kind in ("ours", "baseline"):
            assert cell[kind]["acked"] == cell[kind]["sent"], cell[kind]
            assert cell[kind]["arrival"]["count"] > 0, cell[kind]
    for row in results["rejoin"]:
        assert row["rejoin"]["rejoined"] == row["n"], row
        assert row["rejoin"]["snapshots_behind"] == 0, row
    assert "table" not in document
    assert "plenary fan-out" in run.stdout
