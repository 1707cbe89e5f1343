"""The table on stdout and the verdict on the issue's targets."""

from __future__ import annotations

import sys
import time
from typing import Any

_START = time.perf_counter()


def progress(text: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f} s] {text}", file=sys.stderr, flush=True)


def _ratio(a: Any, b: Any) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _rows(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(out)


def _by(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r[k] for k in keys): r for r in rows}


def _limited(row: dict[str, Any]) -> str:
    return "GEN" if row.get("generator_limited") else ""


def table(document: dict[str, Any]) -> str:
    results = document["results"]
    m = document["machine"]
    out = [
        f"\nmachine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, "
        f"python-socketio {m['libraries'].get('python-socketio')}; {m['pinning']}; "
        f"load average before {' '.join(m.get('loadavg_before', []))}, "
        f"after {' '.join(m.get('loadavg', []))}",
        "ratios are ours / baseline; GEN: the load generator used ≥ 90 % of its core there",
    ]
    if "joinstorm" in results:
        ours, base = (
            results["joinstorm"].get("ours", []),
            _by(results["joinstorm"].get("baseline", []), "n"),
        )
        rows = []
        for r in ours:
            b = base.get((r["n"],), {})
            rows.append(
                [
                    r["n"],
                    r["all_joined_s"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["p99_ms"],
                    r["failures"],
                    b.get("all_joined_s"),
                    _ratio(r["all_joined_s"], b.get("all_joined_s")),
                    r["server_cpu_s"],
                    _limited(r),
                ]
            )
        out += [
            "\n1 join storm (connect, authenticate, room:join with snapshot)",
            _rows(
                [
                    "N",
                    "all s",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "fail",
                    "base s",
                    "ratio",
                    "srv cpu s",
                    "",
                ],
                rows,
            ),
        ]
    if "fanout" in results:
        f = results["fanout"]
        ours, base = f.get("ours", {}), f.get("baseline", {})
        bcells = _by(base.get("cells", []), "n", "rate")
        rows = []
        for r in ours.get("cells", []):
            b = bcells.get((r["n"], r["rate"]), {})
            rows.append(
                [
                    r["n"],
                    r["rate"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["p99_ms"],
                    r["deliveries_per_s"],
                    r["server_cpu_us_per_delivery"],
                    r["lost"],
                    r["doubled"],
                    b.get("p99_ms"),
                    b.get("server_cpu_us_per_delivery"),
                    _ratio(r["server_cpu_us_per_delivery"], b.get("server_cpu_us_per_delivery")),
                    _limited(r),
                ]
            )
        out += [
            "\n2 plenary fan-out (chat:send, persisted and sequenced)",
            _rows(
                [
                    "N",
                    "msg/s",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "deliv/s",
                    "µs/deliv",
                    "lost",
                    "dbl",
                    "base p99",
                    "base µs",
                    "µs ratio",
                    "",
                ],
                rows,
            ),
        ]
        rows = []
        for label in ("ours", "baseline", "bare"):
            s = f.get(label)
            if not s:
                continue
            last = s["ladder"][-1] if s["ladder"] else {}
            rows.append(
                [
                    label,
                    s["held_rate"],
                    s["held_deliveries_per_s"],
                    s["max_deliveries_per_s"],
                    s.get("deliveries_per_cpu_s"),
                    last.get("p99_ms"),
                    last.get("server_cpu_share"),
                    _limited(last),
                ]
            )
        out += [
            "\n  ladder at the largest N: highest rate held with p99 ≤ 200 ms, nothing lost;"
            "\n  deliv/CPU-s: deliveries per server CPU-second in the fixed cells at that N",
            _rows(
                [
                    "server",
                    "held msg/s",
                    "held deliv/s",
                    "max deliv/s",
                    "deliv/CPU-s",
                    "last p99",
                    "srv cpu",
                    "",
                ],
                rows,
            ),
        ]
        if ours and base:
            top = ours.get("deliveries_per_cpu_s")
            versus_base = _ratio(top, base.get("deliveries_per_cpu_s"))
            versus_bare = _ratio(top, f.get("bare", {}).get("deliveries_per_cpu_s"))
            out.append(
                f"  deliveries per CPU-second: ours/baseline {versus_base}, "
                f"ours/bare websocket {versus_bare}"
            )
    if "reactions" in results:
        rows = []
        for label, r in results["reactions"].items():
            rows.append(
                [
                    label,
                    r["n"],
                    r["clicks_per_s"],
                    r["broadcasts_per_s_at_one_client"],
                    r["deliveries_per_s"],
                    r["server_cpu_us_per_click"],
                    r["server_cpu_share"],
                    _limited(r),
                ]
            )
        out += [
            "\n3 reactions (each participant clicks 2/s; baseline: counted, no broadcast)",
            _rows(
                ["server", "N", "clicks/s", "bcasts/s", "deliv/s", "µs/click", "srv cpu", ""], rows
            ),
        ]
    if "votes" in results or "redis" in results:
        rows = []
        items = list(results.get("votes", {}).items())
        if "redis" in results:
            items.append(("ours×2 redis", results["redis"]["votes"]))
        for label, r in items:
            if not r.get("available", True):
                rows.append([label, "not available: " + r.get("reason", ""), *[""] * 7])
                continue
            rows.append(
                [
                    label,
                    r["n"],
                    r["all_acked_s"],
                    r["p99_ms"],
                    r["ack_errors"],
                    r["exact"],
                    r.get("tally_total"),
                    r["results_broadcasts_at_one_client"],
                    r["refused"],
                ]
            )
        out += [
            "\n4 vote storm (everyone votes within 1 s, plus duplicates)",
            _rows(
                [
                    "server",
                    "N",
                    "all acked s",
                    "p99 ms",
                    "no ack",
                    "exact",
                    "tally",
                    "results bcasts",
                    "refused",
                ],
                rows,
            ),
        ]
    if "memory" in results:
        rows = [
            [
                label,
                r["n"],
                r["joined"],
                r["deflate_negotiated"],
                r["rss_before_mb"],
                r["rss_after_mb"],
                r["kb_per_participant"],
            ]
            for label, r in results["memory"].items()
        ]
        out += [
            "\n5 memory (RSS growth per connected, joined participant; clients offer deflate)",
            _rows(["server", "N", "joined", "deflate", "before MB", "after MB", "KB each"], rows),
        ]
    if "redis" in results:
        r = results["redis"]["fanout"]
        rows = []
        for c in r["cells"] + r["ladder"]:
            bp = c.get("by_process", {})
            rows.append(
                [
                    c["n"],
                    c["rate"],
                    c["p99_ms"],
                    bp.get("0", {}).get("p99_ms"),
                    bp.get("1", {}).get("p99_ms"),
                    c["deliveries_per_s"],
                    c["lost"],
                    c["doubled"],
                    c["server_cpu_share"],
                    _limited(c),
                ]
            )
        one = results.get("fanout", {}).get("ours", {}).get("deliveries_per_cpu_s")
        out += [
            "\n6 two processes on Redis (clients alternate between the processes)",
            _rows(
                [
                    "N",
                    "msg/s",
                    "p99 ms",
                    "p99 proc0",
                    "p99 proc1",
                    "deliv/s",
                    "lost",
                    "dbl",
                    "srv cpu",
                    "",
                ],
                rows,
            ),
            f"  held {r['held_rate']} msg/s; max deliveries/s {r['max_deliveries_per_s']}; "
            f"deliveries per CPU-second of the busier process {r.get('deliveries_per_cpu_s')}, "
            f"relative to one process {_ratio(r.get('deliveries_per_cpu_s'), one)}",
        ]
    if "workshops" in results:
        rows = [
            [
                r["n"],
                r["rooms"],
                r["plenary_join_storm"]["all_joined_s"],
                r["into_rooms"]["all_moved_s"],
                r["into_rooms"]["p50_ms"],
                r["into_rooms"]["p99_ms"],
                r["into_rooms"]["failures"],
                r["back_to_plenary"]["all_moved_s"],
                r["back_to_plenary"]["p99_ms"],
                r["back_to_plenary"]["failures"],
                f"{r['ratio_into']}×",
                f"{r['ratio_back']}×",
            ]
            for r in results["workshops"]
        ]
        out += [
            "\n7 the workshop switch (N people from the plenary into R rooms at once, and back;"
            " ratios against the plenary join storm of the same N on the same server)",
            _rows(
                [
                    "N",
                    "rooms",
                    "storm s",
                    "into s",
                    "p50 ms",
                    "p99 ms",
                    "fail",
                    "back s",
                    "p99 ms",
                    "fail",
                    "into/storm",
                    "back/storm",
                ],
                rows,
            ),
        ]
    if "rejoin" in results:
        rows = [
            [
                r["n"],
                r["join_storm"]["all_joined_s"],
                r["join_storm"]["p99_ms"],
                r["restart_s"],
                r["rejoin"]["all_rejoined_s"],
                r["rejoin"]["p50_ms"],
                r["rejoin"]["p99_ms"],
                r["rejoin"]["failures"],
                r["rejoin"]["snapshots_behind"],
                f"{r['ratio']}×",
                f"{r['cpu_ratio']}×",
            ]
            for r in results["rejoin"]
        ]
        out += [
            "\n9 the reconnect after a crash (SIGKILL mid-event, restart, everyone rejoins at once"
            " and syncs; ratios against the join storm of the same N into the same room before)",
            _rows(
                [
                    "N",
                    "storm s",
                    "p99 ms",
                    "restart s",
                    "rejoin s",
                    "p50 ms",
                    "p99 ms",
                    "fail",
                    "behind",
                    "rejoin/storm",
                    "cpu ratio",
                ],
                rows,
            ),
        ]
    if "notes" in results:
        rows = []
        for cell in results["notes"]:
            for kind in ("ours", "baseline"):
                r = cell[kind]
                rows.append(
                    [
                        kind,
                        r["documents"],
                        r["writers"],
                        r["updates_per_s_per_doc"],
                        r["arrival"]["p50_ms"],
                        r["arrival"]["p95_ms"],
                        r["arrival"]["p99_ms"],
                        r["ack"]["p95_ms"],
                        r["durable_per_s"],
                        r["server_cpu_ms_per_update"],
                        r["memory_per_document_kb"],
                        r["acked"],
                        r["refused"],
                    ]
                )
            rows.append(
                [
                    "ratio",
                    "",
                    "",
                    "",
                    "",
                    f"{cell['p95_ratio']}×",
                    "",
                    "",
                    "",
                    f"{cell['cpu_ratio']}×",
                    "",
                    "",
                    "",
                ]
            )
        out += [
            "\n8 shared notes (send → arrival at the other writers; ack = durable; the bare relay"
            " forwards the same bytes without a document or a database)",
            _rows(
                [
                    "server",
                    "docs",
                    "writers",
                    "upd/s/doc",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "ack p95",
                    "durable/s",
                    "cpu ms/upd",
                    "KB/doc",
                    "acked",
                    "refused",
                ],
                rows,
            ),
        ]
    t = document.get("targets", {})
    if t:
        out.append("\ntargets of the issue")
        out.append(
            _rows(["target", "figure", "met"], [[k, v["figure"], v["met"]] for k, v in t.items()])
        )
    out.append(f"\ntotal {document.get('duration_s')} s")
    return "\n".join(out)


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The issue's targets against this run's figures (None where not measured)."""
    t: dict[str, dict[str, Any]] = {}

    def put(name: str, figure: Any, met: bool | None) -> None:
        t[name] = {"figure": figure, "met": met}

    for cell in results.get("notes", []):
        ours = cell["ours"]
        if ours["writers"] >= 400 and ours["documents"] == 1:
            p95 = ours["arrival"]["p95_ms"]
            put(
                "notes: 400 writers on one document, p95 ≤ 100 ms",
                f"p95 {p95} ms, {ours['refused']} refused",
                p95 is not None and p95 <= 100 and ours["refused"] == 0,
            )
        if ours["writers"] >= 200:
            kb = ours["memory_per_document_kb"]
            put(
                f"notes: ≤ 1 MB per document ({ours['documents']} documents)",
                f"{kb} KB",
                kb <= 1024,
            )
    for row in results.get("rejoin", []):
        put(
            f"reconnect of {row['n']} after a crash: everyone back, nothing behind",
            f"{row['rejoin']['rejoined']} of {row['n']} in {row['rejoin']['all_rejoined_s']} s "
            f"({row['ratio']}× the join storm)",
            row["rejoin"]["failures"] == 0 and row["rejoin"]["snapshots_behind"] == 0,
        )
    for row in results.get("workshops", []):
        if row["n"] >= 2000:
            worst = max(row["ratio_into"] or 1e9, row["ratio_back"] or 1e9)
            failures = row["into_rooms"]["failures"] + row["back_to_plenary"]["failures"]
            put(
                f"switch of {row['n']} into {row['rooms']} rooms ≤ their join storm",
                f"into {row['ratio_into']}×, back {row['ratio_back']}×, {failures} failed",
                worst <= 1.0 and failures == 0,
            )
    f = results.get("fanout", {})
    ours = f.get("ours", {}).get("deliveries_per_cpu_s")
    base = f.get("baseline", {}).get("deliveries_per_cpu_s")
    bare = f.get("bare", {}).get("deliveries_per_cpu_s")
    if ours and base:
        put("fan-out ≥ 2× bare python-socketio", f"{ours / base:.2f}×", ours / base >= 2)
    # the same target read as the reference figure, throughput at saturation
    ours_max = f.get("ours", {}).get("max_deliveries_per_s")
    base_max = f.get("baseline", {}).get("max_deliveries_per_s")
    if ours_max and base_max:
        put(
            "  … as max deliveries/s at saturation",
            f"{ours_max / base_max:.2f}×",
            ours_max / base_max >= 2,
        )
    if ours and bare:
        put("fan-out ≥ 0.5× bare websocket", f"{ours / bare:.2f}×", ours / bare >= 0.5)
    for cell in f.get("ours", {}).get("cells", []):
        if cell["n"] == 2000 and cell["rate"] == 5:
            put(
                "2000 at 5 msg/s: p99 ≤ 150 ms, nothing lost",
                f"p99 {cell['p99_ms']} ms, lost {cell['lost']}",
                (cell["p99_ms"] or 1e9) <= 150 and cell["lost"] == 0 and cell["doubled"] == 0,
            )
    for row in results.get("joinstorm", {}).get("ours", []):
        if row["n"] == 2000:
            put(
                "join storm 2000 ≤ 2 s",
                f"{row['all_joined_s']} s, {row['failures']} failed",
                row["all_joined_s"] <= 2 and row["failures"] == 0,
            )
    votes = results.get("votes", {}).get("ours")
    if votes and votes.get("available") and votes["n"] == 2000:
        put(
            "vote storm 2000 ≤ 1 s, exact",
            f"{votes['all_acked_s']} s, exact {votes['exact']}",
            votes["all_acked_s"] <= 1 and bool(votes["exact"]),
        )
    elif votes is not None and not votes.get("available"):
        put("vote storm 2000 ≤ 1 s, exact", "not available", None)
    redis = results.get("redis", {})
    rv = redis.get("votes")
    if rv and rv.get("available") and rv["n"] == 2000:
        put(
            "vote storm 2000 on 2 processes ≤ 1.5 s",
            f"{rv['all_acked_s']} s, exact {rv['exact']}",
            rv["all_acked_s"] <= 1.5 and bool(rv["exact"]),
        )
    memory = results.get("memory", {})
    mem = memory.get("ours_arriving") or memory.get("ours")  # steady state, not the burst
    if mem and mem["n"] == 2000:
        put(
            "≤ 45 KB per participant",
            f"{mem['kb_per_participant']} KB",
            mem["kb_per_participant"] <= 45,
        )
    two = redis.get("fanout", {}).get("deliveries_per_cpu_s")
    if two and ours:
        put("two processes ≥ 1.6× one", f"{two / ours:.2f}×", two / ours >= 1.6)
    return t
