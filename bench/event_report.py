"""`python -m bench.event_report [--n 200 2000]`: the event report's build time.

For each N a fresh SQLite database holds the demo event as a day of N participants would leave
it: everyone's visits (plenary in the morning, a reconnect, a workshop in the afternoon), five
polls of every kind answered by everyone, N/10 questions with upvotes, three key results per
workshop with upvotes. It then times, in this process, reading the records, the PDF and the
DOCX (wall and CPU time: one thread, so CPU time is the time on one core), and once the whole
build as the console starts it: a fresh worker process (`conference.report.worker`), imports
included.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from conference.auth.people import new_id
from conference.events.loader import load_event
from conference.report import store as report_store
from conference.report.build import render
from conference.report.data import gather
from conference.rooms.registry import Rooms
from conference.storage.db import Database
from conference.storage.migrate import migrate
from conference.storage.tables import (
    attendance,
    key_result_votes,
    key_results,
    people,
    poll_answers,
    poll_votes,
    polls,
    question_votes,
    questions,
    reaction_counts,
    workshop_seats,
)
from conference.web.i18n import I18n

ROOT = Path(__file__).resolve().parents[1]
EVENT_FILE = ROOT / "config" / "event.toml"
WORDS = [
    "klimaneutral",
    "wettbewerbsfähig",
    "innovationsfähig",
    "attraktiver Arbeitgeber",
    "digital",
    "regional",
    "nachhaltig",
    "vernetzt",
    "mutig",
    "offen",
]


async def seed(db: Database, n: int) -> None:
    event = load_event(EVENT_FILE)
    rooms = Rooms(db, event)
    await rooms.load()
    workshops = [room.id for room in rooms.workshops()]
    day = event.starts_at().astimezone(dt.UTC)
    person_ids = [new_id() for _ in range(n)]
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in (people, attendance, workshop_seats)}
    for index, pid in enumerate(person_ids):
        room = workshops[index % len(workshops)]
        rows[people].append(
            dict(
                id=pid,
                event_id=event.id,
                name=f"Person {index}",
                organisation=f"Organisation {index % 40}",
                email=f"p{index}@example.org",
                role="participant",
                workshop_first=room,
                consent_at=day if index % 2 else None,
                source="bench",
                created_at=day,
            )
        )
        arrive = day + dt.timedelta(seconds=index % 900)
        visits = [
            ("plenary", arrive, day + dt.timedelta(minutes=70 + index % 20)),
            (
                "plenary",
                day + dt.timedelta(minutes=72 + index % 20),
                day + dt.timedelta(hours=3, minutes=45),
            ),
            (
                room,
                day + dt.timedelta(hours=3, minutes=46),
                day + dt.timedelta(hours=4, minutes=44),
            ),
            ("plenary", day + dt.timedelta(hours=4, minutes=45), day + dt.timedelta(hours=5)),
        ]
        for where, start, end in visits:
            rows[attendance].append(
                dict(
                    id=new_id(),
                    event_id=event.id,
                    room=where,
                    person_id=pid,
                    role="participant",
                    entered_at=start,
                    left_at=end,
                )
            )
        rows[workshop_seats].append(
            dict(
                event_id=event.id,
                person_id=pid,
                room=room,
                waiting=False,
                source="auto",
                updated_at=day,
            )
        )
    async with db.write() as conn:
        for table, values in rows.items():
            await conn.execute(table.insert(), values)
        definitions = [
            (
                "single",
                "Wie sind Sie heute dabei?",
                [{"id": "o1", "label": "Büro"}, {"id": "o2", "label": "Zu Hause"}],
                lambda i: {"options": [f"o{i % 2 + 1}"]},
                lambda i: [f"o{i % 2 + 1}"],
            ),
            (
                "multiple",
                "Welche Themen?",
                [{"id": f"o{k}", "label": f"Thema {k}"} for k in range(1, 6)],
                lambda i: {"options": ["o1", f"o{i % 5 + 1}"]},
                lambda i: sorted({"o1", f"o{i % 5 + 1}"}),
            ),
            (
                "wordcloud",
                "Ihre Vision?",
                [],
                lambda i: {"words": [WORDS[i % 10], WORDS[i % 7]]},
                lambda i: sorted({WORDS[i % 10], WORDS[i % 7]}),
            ),
            (
                "rating",
                "Stimmung?",
                [],
                lambda i: {"rating": i % 5 + 1},
                lambda i: [str(i % 5 + 1)],
            ),
            ("open", "Was nehmen Sie mit?", [], lambda i: {"text": f"Antwort {i}"}, lambda i: []),
        ]
        for number, (kind, question, options, answer, values) in enumerate(definitions):
            poll_id = new_id()
            opened = day + dt.timedelta(minutes=20 + number * 10)
            settings = {
                "results": "live",
                "anonymous": True,
                "scale_min": 1,
                "scale_max": 5,
                "scale_labels": {},
                "max_answers": 3,
                "max_choices": None,
                "allow_change": False,
                "duration_seconds": None,
            }
            await conn.execute(
                polls.insert().values(
                    id=poll_id,
                    event_id=event.id,
                    room="plenary",
                    kind=kind,
                    question=question,
                    options=options,
                    settings=settings,
                    status="closed",
                    opened_at=opened,
                    closed_at=opened + dt.timedelta(minutes=3),
                    created_at=opened,
                )
            )
            await conn.execute(
                poll_votes.insert(),
                [
                    dict(
                        poll_id=poll_id,
                        person_id=pid,
                        answer=answer(i),
                        shown=i % 3 == 0,
                        created_at=opened,
                        updated_at=opened,
                    )
                    for i, pid in enumerate(person_ids)
                ],
            )
            answers = [
                dict(poll_id=poll_id, person_id=pid, value=v)
                for i, pid in enumerate(person_ids)
                for v in values(i)
            ]
            if answers:
                await conn.execute(poll_answers.insert(), answers)
        asked = []
        for index in range(max(1, n // 10)):
            qid = new_id()
            asked.append(qid)
            await conn.execute(
                questions.insert().values(
                    id=qid,
                    event_id=event.id,
                    room="plenary",
                    person_id=person_ids[index],
                    anonymous=index % 2 == 0,
                    body=f"Frage {index}: Wie geht es weiter?",
                    status=("answered", "approved", "held", "rejected")[index % 4],
                    pinned=False,
                    created_at=day + dt.timedelta(minutes=60),
                )
            )
        await conn.execute(
            question_votes.insert(),
            [
                dict(
                    question_id=asked[i % len(asked)],
                    person_id=pid,
                    created_at=day,
                )
                for i, pid in enumerate(person_ids)
            ],
        )
        result_ids = []
        for room in workshops:
            for position in (1, 2, 3):
                rid = new_id()
                result_ids.append(rid)
                await conn.execute(
                    key_results.insert().values(
                        id=rid,
                        event_id=event.id,
                        room=room,
                        position=position,
                        text=f"Kernergebnis {position} aus {room}",
                        person_id=person_ids[0],
                        published_at=day + dt.timedelta(hours=4, minutes=45),
                        created_at=day,
                        updated_at=day,
                    )
                )
        await conn.execute(
            key_result_votes.insert(),
            [
                dict(
                    result_id=result_ids[i % len(result_ids)],
                    person_id=pid,
                    created_at=day,
                )
                for i, pid in enumerate(person_ids)
            ],
        )
        # the mood in the room: every minute of the five hours, each kind of reaction from
        # a share of the people
        await conn.execute(
            reaction_counts.insert(),
            [
                dict(
                    event_id=event.id,
                    room="plenary",
                    minute=day + dt.timedelta(minutes=minute),
                    emoji=emoji,
                    count=1 + (n * (minute % 7 + k)) // 100,
                )
                for minute in range(300)
                for k, emoji in enumerate(("👏", "👍", "❤️", "😂", "🤔"))
            ],
        )


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


async def measure(n: int, directory: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{directory / f'report-{n}.db'}"
    await migrate(url)
    db = Database(url)
    event = load_event(EVENT_FILE)
    i18n = I18n()
    try:
        await seed(db, n)
        after = event.ends_at() + dt.timedelta(hours=1)
        wall, cpu = time.perf_counter(), time.process_time()
        data = await gather(db, event, names=False, now=after)
        read = (time.perf_counter() - wall, time.process_time() - cpu)
        pdf, pdf_wall, pdf_cpu = _timed(lambda: render(data, "pdf", i18n))
        docx, docx_wall, docx_cpu = _timed(lambda: render(data, "docx", i18n))
        async with db.write() as conn:
            report_id = await report_store.insert(conn, event.id, "pdf", False, None)
    finally:
        await db.close()
    return {
        "url": url,
        "report_id": report_id,
        "n": n,
        "read_s": read,
        "pdf_s": (pdf_wall, pdf_cpu),
        "docx_s": (docx_wall, docx_cpu),
        "pdf": pdf.data,
        "pdf_kb": len(pdf.data) // 1024,
        "docx_kb": len(docx.data) // 1024,
    }


def worker(url: str, report_id: str) -> float:
    """The whole build as the console starts it: a fresh process, imports included."""
    env = {**os.environ, "CONFERENCE_DATABASE_URL": url, "CONFERENCE_EVENT_FILE": str(EVENT_FILE)}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "conference.report.worker", report_id],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return time.perf_counter() - start


def warm_up() -> None:
    """Imports and font set-up once, so the in-process figures are the build itself."""
    from weasyprint import HTML

    HTML(string="<p lang='de'>warm</p>").write_pdf()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.event_report", description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[200, 2000])
    parser.add_argument(
        "--keep-pdf",
        type=Path,
        metavar="DIR",
        help="also write each PDF there (report-N.pdf; docs/img/report-page.png: page 4, N=170)",
    )
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(
        "| participants | read (wall / CPU) | PDF (wall / CPU) | DOCX (wall / CPU) | "
        "PDF size | worker process, end to end |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            warm_up()
            r = asyncio.run(measure(n, Path(tmp)))
            r["worker_s"] = worker(r["url"], r["report_id"])
            if args.keep_pdf:
                args.keep_pdf.mkdir(parents=True, exist_ok=True)
                (args.keep_pdf / f"report-{n}.pdf").write_bytes(r["pdf"])
            read, pdf, docx = r["read_s"], r["pdf_s"], r["docx_s"]
            print(
                f"| {n} | {read[0]:.2f} s / {read[1]:.2f} s | {pdf[0]:.2f} s / {pdf[1]:.2f} s "
                f"| {docx[0]:.2f} s / {docx[1]:.2f} s | {r['pdf_kb']} KB | {r['worker_s']:.2f} s |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
