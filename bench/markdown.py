"""`python -m bench.markdown RESULT.json`: a run's figures as the tables of docs/benchmarks.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.report import targets


def _v(value: Any, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return f"{value:.{digits}f}{unit}"
    if isinstance(value, float):
        return f"{round(value)}{unit}"
    return f"{value}{unit}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    aligns = [" --- "] + [" ---: "] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _share(row: dict[str, Any]) -> str:
    return ", ".join(f"{round(s * 100)} %" for s in row.get("server_cpu_share", []))


def markdown(document: dict[str, Any]) -> str:
    r = document["results"]
    m = document["machine"]
    libs = m["libraries"]
    out = [
        f"Run `{document['command'].strip()}` of {document['created']} "
        f"({round(document['duration_s'])} s): {m['nproc']} cores ({m['cpu']}), {m['platform']}, "
        f"Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in libs.items() if v)
        + f". {m['pinning'].capitalize()}. Load average {' '.join(m.get('loadavg_before', []))} "
        f"before and {' '.join(m.get('loadavg', []))} after the run.",
    ]
    if "joinstorm" in r:
        base = {row["n"]: row for row in r["joinstorm"].get("baseline", [])}
        rows = []
        for row in r["joinstorm"]["ours"]:
            b = base.get(row["n"], {})
            rows.append(
                [
                    str(row["n"]),
                    _v(row["all_joined_s"], " s", 2),
                    _v(row["p50_ms"], " ms"),
                    _v(row["p95_ms"], " ms"),
                    _v(row["p99_ms"], " ms"),
                    str(row["failures"]),
                    _v(row["server_cpu_s"] / row["n"] * 1000, " ms", 1),
                    _share(row),
                    _v(b.get("all_joined_s"), " s", 2),
                    _v(row["all_joined_s"] / b["all_joined_s"], "×", 1) if b else "–",
                ]
            )
        out += [
            "\n**1 Join storm** (connect, authenticate with the join token, `room:join` with the "
            "snapshot; all N at once)\n",
            _table(
                [
                    "N",
                    "all joined",
                    "p50",
                    "p95",
                    "p99",
                    "failures",
                    "server CPU per join",
                    "server CPU",
                    "baseline: all joined",
                    "ours / baseline",
                ],
                rows,
            ),
        ]
    if "fanout" in r:
        f = r["fanout"]
        base = {(c["n"], c["rate"]): c for c in f.get("baseline", {}).get("cells", [])}
        rows = []
        for c in f["ours"]["cells"]:
            b = base.get((c["n"], c["rate"]), {})
            ratio = (
                c["server_cpu_us_per_delivery"] / b["server_cpu_us_per_delivery"]
                if b.get("server_cpu_us_per_delivery")
                else None
            )
            rows.append(
                [
                    str(c["n"]),
                    f"{c['rate']:g}",
                    _v(c["p50_ms"], " ms"),
                    _v(c["p95_ms"], " ms"),
                    _v(c["p99_ms"], " ms"),
                    str(c["deliveries_per_s"]),
                    _v(c["server_cpu_us_per_delivery"], " µs"),
                    _share(c),
                    f"{c['lost']} / {c['doubled']}",
                    _v(b.get("p99_ms"), " ms"),
                    _v(b.get("server_cpu_us_per_delivery"), " µs"),
                    _v(ratio, "", 2),
                ]
            )
        out += [
            "\n**2 Plenary fan-out** (`chat:send`, persisted and sequenced, delivered to everyone "
            "in the plenary)\n",
            _table(
                [
                    "N",
                    "msg/s",
                    "p50",
                    "p95",
                    "p99",
                    "deliveries/s",
                    "CPU per delivery",
                    "server CPU",
                    "lost / doubled",
                    "baseline p99",
                    "baseline CPU per delivery",
                    "ours / baseline CPU",
                ],
                rows,
            ),
            "",
        ]
        rows = []
        for label, name in (
            ("ours", "ours"),
            ("baseline", "bare python-socketio"),
            ("bare", "bare websocket (ceiling)"),
        ):
            s = f.get(label)
            if s:
                rows.append(
                    [
                        name,
                        _v(s.get("deliveries_per_cpu_s")),
                        _v(s["held_rate"], " msg/s"),
                        _v(s["max_deliveries_per_s"]),
                    ]
                )
        out.append(
            _table(
                [
                    "server",
                    "deliveries per CPU-second (cells at the largest N)",
                    "highest rate held (p99 ≤ 200 ms)",
                    "most deliveries per wall second",
                ],
                rows,
            )
        )
    if "reactions" in r:
        rows = []
        for label, row in r["reactions"].items():
            rows.append(
                [
                    label,
                    str(row["clicks_per_s"]),
                    _v(row["broadcasts_per_s_at_one_client"], "", 2) if label == "ours" else "–",
                    str(row["deliveries_per_s"]) if label == "ours" else "–",
                    _v(row["server_cpu_us_per_click"], " µs"),
                    _share(row),
                ]
            )
        out += [
            "\n**3 Reactions** (each participant clicks at 2/s; the baseline counts them and "
            "broadcasts nothing)\n",
            _table(
                [
                    "server",
                    "clicks/s",
                    "broadcasts/s at one client",
                    "deliveries/s",
                    "CPU per click",
                    "server CPU",
                ],
                rows,
            ),
        ]
    votes = list(r.get("votes", {}).items())
    if "redis" in r:
        votes.append(("ours, two processes on Redis", r["redis"]["votes"]))
    if votes:
        rows = []
        for label, v in votes:
            if not v.get("available", True):
                rows.append([label, "not available", *["–"] * 5])
                continue
            sent = v["n"] + v["duplicates"]
            rows.append(
                [
                    label,
                    f"{sent - v['ack_errors']} of {sent}",
                    _v(v["all_acked_s"], " s", 2),
                    _v(v["p99_ms"], " ms"),
                    _v(v.get("tally_total")) + (f" of {v['n']}" if v.get("tally") else ""),
                    _v(v.get("exact")),
                    str(v["results_broadcasts_at_one_client"]),
                    _share(v),
                ]
            )
        out += [
            "\n**4 Vote storm** (N vote within one second in one single-choice poll, plus "
            "duplicate attempts; a vote not acknowledged after 15 s counts as not acknowledged)\n",
            _table(
                [
                    "server",
                    "acknowledged",
                    "until the last ack",
                    "p99 ack",
                    "committed tally",
                    "exact",
                    "results broadcasts at one client",
                    "server CPU",
                ],
                rows,
            ),
        ]
    if "memory" in r:
        rows = [
            [
                label,
                f"{row['joined']} of {row['n']}",
                f"{row['deflate_negotiated']}",
                f"{row['rss_before_mb']} → {row['rss_after_mb']} MB",
                _v(row["kb_per_participant"], " KB", 1),
            ]
            for label, row in r["memory"].items()
        ]
        out += [
            "\n**5 Memory** (RSS growth per connected participant who joined the plenary; the "
            "client offers permessage-deflate like a browser; `ours_arriving`: 100 joining at a "
            "time, `ours_deflate`: the server accepting deflate)\n",
            _table(["server", "joined", "deflate negotiated", "RSS", "per participant"], rows),
        ]
    if "redis" in r:
        fr = r["redis"]["fanout"]
        rows = []
        for c in fr["cells"] + fr["ladder"]:
            bp = c.get("by_process", {})
            rows.append(
                [
                    str(c["n"]),
                    f"{c['rate']:g}",
                    _v(c["p99_ms"], " ms"),
                    _v(bp.get("0", {}).get("p99_ms"), " ms"),
                    _v(bp.get("1", {}).get("p99_ms"), " ms"),
                    str(c["deliveries_per_s"]),
                    f"{c['lost']} / {c['doubled']}",
                    _share(c),
                ]
            )
        one = r.get("fanout", {}).get("ours", {}).get("deliveries_per_cpu_s")
        two = fr.get("deliveries_per_cpu_s")
        out += [
            "\n**6 Two processes on Redis** (clients alternate between the processes)\n",
            _table(
                [
                    "N",
                    "msg/s",
                    "p99",
                    "p99 process 0",
                    "p99 process 1",
                    "deliveries/s",
                    "lost / doubled",
                    "server CPU",
                ],
                rows,
            ),
            f"\nDeliveries per CPU-second of the busier process: {two}"
            + (f", {two / one:.2f}× one process." if one and two else "."),
        ]
    t = targets(r)
    if t:
        out += [
            "\n**Targets, as the harness judges them**\n",
            _table(
                ["target", "figure", "met"],
                [
                    [k, str(v["figure"]), {True: "yes", False: "no", None: "–"}[v["met"]]]
                    for k, v in t.items()
                ],
            ),
        ]
    return "\n".join(out)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/reference.json")
    print(markdown(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
