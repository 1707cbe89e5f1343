"""The report as a list of blocks (headings, paragraphs, facts, tables, figures, notes): one
composition, two renderings (templates/report/report.html through WeasyPrint for the PDF, and
python-docx for the DOCX), so both carry the same sections and numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from babel.support import NullTranslations

from conference.reactions.kinds import REACTIONS
from conference.report import charts
from conference.report.data import PollPart, ReportData

Progress = Callable[[str], None]  # called with "charts" before each chart is drawn


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    note: bool = False  # smaller print (method, hints)


@dataclass(frozen=True, slots=True)
class Facts:
    """Label and value pairs (a definition list in HTML, a two-column table in DOCX)."""

    items: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class TableBlock:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns


@dataclass(frozen=True, slots=True)
class Figure:
    chart: charts.Chart
    caption: str
    table: TableBlock | None = None  # the same numbers, beside the chart


@dataclass(frozen=True, slots=True)
class Items:
    items: list[str]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Markdown:
    text: str


Block = Heading | Paragraph | Facts | TableBlock | Figure | Items | Markdown


@dataclass
class Document:
    title: str
    language: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


def chart_count(data: ReportData) -> int:
    """How many charts the composition draws (for the progress of a build)."""
    drawn = sum(1 for part in data.polls if part.poll["kind"] != "open")
    return drawn + 1 + bool(data.reactions)  # the attendance curve, the mood in the room


class _Writer:
    def __init__(
        self, data: ReportData, translations: NullTranslations, progress: Progress
    ) -> None:
        self.data = data
        self.language = data.event.language
        self.zone = data.event.zone
        self._ = translations.gettext
        self.ngettext = translations.ngettext
        self.progress = progress
        self.blocks: list[Block] = []

    # --- formatting ---------------------------------------------------------------------

    def number(self, value: float | None) -> str:
        if value is None:
            return "–"
        return format_decimal(value, locale=self.language, group_separator=False)

    def percent(self, value: float | None) -> str:
        return "–" if value is None else f"{self.number(value)} %"

    def time(self, value: dt.datetime | None) -> str:
        if value is None:
            return "–"
        return format_time(value.astimezone(self.zone), "HH:mm", locale=self.language)

    def when(self, value: str | None) -> str:
        if not value:
            return "–"
        moment = dt.datetime.fromisoformat(value).astimezone(self.zone)
        return format_datetime(moment, "short", locale=self.language)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    # --- sections -----------------------------------------------------------------------

    def cover(self) -> None:
        _, event = self._, self.data.event
        self.add(
            Facts(
                [
                    (_("Date"), format_date(event.date, "full", locale=self.language)),
                    (
                        _("Time"),
                        f"{format_time(event.start, 'HH:mm', locale=self.language)}–"
                        f"{format_time(event.end, 'HH:mm', locale=self.language)}",
                    ),
                    (_("Organiser"), event.organiser),
                    (
                        _("Report built"),
                        format_datetime(
                            self.data.built_at.astimezone(self.zone), "short", locale=self.language
                        ),
                    ),
                ]
            ),
            Paragraph(
                _(
                    "Names of participants appear in this report only of people who agreed at "
                    "registration (%(consented)s of %(registered)s)."
                )
                % {"consented": self.data.consented, "registered": self.data.participants}
                if self.data.names
                else _("This report contains no names of participants.")
            ),
            Heading(2, _("Agenda as it ran"), "agenda"),
        )
        rows = [
            [
                f"{self.time(self.data.event.at(row.start))}–{self.time(self.data.event.at(row.end))}",
                self.time(row.began_at) if row.began_at else "–",
                row.title + (f" ({', '.join(row.speakers)})" if row.speakers else ""),
            ]
            for row in self.data.agenda
        ]
        self.add(
            TableBlock(
                _("The agenda: planned times and when each item began"),
                [_("Planned"), _("Began"), _("Item")],
                rows,
            )
        )

    def attendance(self) -> None:
        _, counted = self._, self.data.attendance
        self.add(
            Heading(2, _("Attendance"), "attendance"),
            Facts(
                [
                    (_("Registered"), str(counted.registered)),
                    (_("Joined"), str(counted.joined)),
                    (_("Peak at once"), f"{counted.peak} ({self.time(counted.peak_at)})"),
                ]
            ),
        )
        self.progress("charts")
        labels = (_("Everyone"), _("Plenary"), _("Workshops"))
        alt = _(
            "Line chart of the people present over the day: at most %(peak)s at once, at "
            "%(time)s. The table below gives the numbers."
        ) % {"peak": counted.peak, "time": self.time(counted.peak_at)}
        chart = charts.attendance(counted.curve, labels, alt, self.zone)
        step = max(1, len(counted.curve) // 12)
        sampled = counted.curve[::step]
        table = TableBlock(
            _("People present over the day"),
            [_("Time"), *labels],
            [[self.time(t), str(n), str(p), str(w)] for t, n, p, w in sampled],
            frozenset({1, 2, 3}),
        )
        self.add(Figure(chart, _("People present over the day"), table))
        if counted.rooms:
            self.add(
                TableBlock(
                    _("Attendance per workshop"),
                    [
                        _("Workshop"),
                        _("Capacity"),
                        _("Seats taken"),
                        _("Waiting"),
                        _("Entered"),
                        _("Peak at once"),
                    ],
                    [
                        [
                            r.title,
                            str(r.capacity),
                            str(r.seats),
                            str(r.waiting),
                            str(r.entered),
                            str(r.peak),
                        ]
                        for r in counted.rooms
                    ],
                    frozenset({1, 2, 3, 4, 5}),
                )
            )

    def mood(self) -> None:
        """The reactions over the day: totals, and columns per time slot with their table."""
        _, minutes = self._, self.data.reactions
        self.add(Heading(2, _("The mood in the room"), "mood"))
        if not minutes:
            self.add(Paragraph(_("No reactions were sent.")))
            return
        names = {emoji: _(name) for emoji, name in REACTIONS.items()}
        total: Counter[str] = Counter()
        for _minute, emoji, n in minutes:
            total[emoji] += n
        # the five in their order, then any other kept before (none today)
        kinds = [e for e in REACTIONS if e in total] + sorted(set(total) - set(REACTIONS))
        self.add(
            Paragraph(
                _(
                    "Participants could react at any time with one of five symbols; each reaction "
                    "is counted without a name."
                )
            ),
            Facts([(names.get(emoji, emoji), str(total[emoji])) for emoji in kinds]),
        )
        first, last = minutes[0][0], minutes[-1][0]
        width = next(
            (
                dt.timedelta(minutes=m)
                for m in (5, 10, 15, 30, 60)
                if (last - first) / dt.timedelta(minutes=m) < 24
            ),
            dt.timedelta(hours=2),
        )
        slots: defaultdict[dt.datetime, Counter[str]] = defaultdict(Counter)
        for minute, emoji, n in minutes:
            slots[first + (minute - first) // width * width][emoji] += n
        times = sorted(slots)
        busiest = max(times, key=lambda t: sum(slots[t].values()))
        self.progress("charts")
        alt = _(
            "Column chart of the reactions over the day, %(minutes)s minutes per column: "
            "%(total)s in all, the most at %(time)s. The table below gives the numbers."
        ) % {
            "minutes": int(width / dt.timedelta(minutes=1)),
            "total": sum(total.values()),
            "time": self.time(busiest),
        }
        series = [
            (names.get(emoji, emoji), [slots[t].get(emoji, 0) for t in times]) for emoji in kinds
        ]
        chart = charts.stacked(times, series, alt, self.zone, width)
        table = TableBlock(
            _("Reactions over the day"),
            [_("Time"), *(names.get(emoji, emoji) for emoji in kinds)],
            [[self.time(t), *(str(slots[t].get(e, 0)) for e in kinds)] for t in times],
            frozenset(range(1, len(kinds) + 1)),
        )
        self.add(Figure(chart, _("Reactions over the day"), table))

    def polls(self) -> None:
        _ = self._
        self.add(Heading(2, _("Polls"), "polls"))
        if not self.data.polls:
            self.add(Paragraph(_("No poll was opened.")))
        for number, part in enumerate(self.data.polls, 1):
            self.poll(number, part)

    def poll(self, number: int, part: PollPart) -> None:
        _, poll, results = self._, part.poll, part.results
        kinds = {
            "single": _("single choice"),
            "multiple": _("multiple choice"),
            "wordcloud": _("word cloud"),
            "rating": _("rating"),
            "open": _("open text"),
        }
        room = self.data.room_titles.get(poll["room"], _("Plenary"))
        self.add(
            Heading(3, f"{number}. {poll['question']}", f"poll-{number}"),
            Paragraph(
                _("%(kind)s · %(room)s · %(voters)s taking part · opened %(opened)s")
                % {
                    "kind": kinds.get(poll["kind"], poll["kind"]),
                    "room": room,
                    "voters": results["voters"],
                    "opened": self.when(poll["opened_at"]),
                },
                note=True,
            ),
        )
        kind = poll["kind"]
        if kind in ("single", "multiple"):
            options = results["options"]
            summary = "; ".join(
                f"{o['label']}: {o['count']} ({self.percent(o['percent'])})" for o in options
            )
            self.progress("charts")
            chart = charts.bars(
                [o["label"] for o in options],
                [o["count"] for o in options],
                _("Bar chart of the answers: %(summary)s") % {"summary": summary},
            )
            table = TableBlock(
                _("Answers to: %(question)s") % {"question": poll["question"]},
                [_("Answer"), _("Votes"), _("Share")],
                [[o["label"], str(o["count"]), self.percent(o["percent"])] for o in options],
                frozenset({1, 2}),
            )
            self.add(Figure(chart, poll["question"], table))
        elif kind == "rating":
            scale = results["scale"]
            mean = self.number(results["average"])
            summary = "; ".join(f"{s['value']}: {s['count']}" for s in scale)
            self.progress("charts")
            chart = charts.rating(
                [s["value"] for s in scale],
                [s["count"] for s in scale],
                results["average"],
                _("Column chart of the ratings (mean %(mean)s): %(summary)s")
                % {"mean": mean, "summary": summary},
            )
            rows = [
                [
                    f"{s['value']} {s['label']}".strip(),
                    str(s["count"]),
                    self.percent(s["percent"]),
                ]
                for s in scale
            ]
            rows.append([_("Mean"), mean, ""])
            table = TableBlock(
                _("Ratings of: %(question)s") % {"question": poll["question"]},
                [_("Rating"), _("Votes"), _("Share")],
                rows,
                frozenset({1, 2}),
            )
            self.add(Figure(chart, poll["question"], table))
        elif kind == "wordcloud":
            words = results["words"]
            top = ", ".join(f"{w['word']} ({w['count']})" for w in words[:10])
            self.progress("charts")
            chart = charts.word_cloud(
                {w["word"]: w["count"] for w in words},
                _("Word cloud of the answers; the most frequent: %(top)s") % {"top": top or "–"},
            )
            table = TableBlock(
                _("Words, most frequent first"),
                [_("Rank"), _("Word"), _("Mentions")],
                [[str(i), w["word"], str(w["count"])] for i, w in enumerate(words[:30], 1)],
                frozenset({0, 2}),
            )
            self.add(Figure(chart, poll["question"], table))
        else:
            shown = [a["text"] for a in results["answers"] if a.get("shown")]
            held = len(results["answers"]) - len(shown)
            self.add(Items(shown) if shown else Paragraph(_("No answer was shown.")))
            if held:
                self.add(
                    Paragraph(
                        self.ngettext(
                            "%(n)s answer that was not shown during the event is left out.",
                            "%(n)s answers that were not shown during the event are left out.",
                            held,
                        )
                        % {"n": held},
                        note=True,
                    )
                )
        if part.named:
            self.add(
                TableBlock(
                    _("Answers of people who agreed to be named"),
                    [_("Name"), _("Answer")],
                    [
                        [f"{a.name} ({a.organisation})" if a.organisation else a.name, a.answer]
                        for a in part.named
                    ],
                )
            )

    def questions(self) -> None:
        _, counts = self._, self.data.question_counts
        self.add(
            Heading(2, _("Questions"), "questions"),
            Facts(
                [
                    (_("Answered"), str(counts.get("answered", 0))),
                    (_("Still open"), str(counts.get("approved", 0))),
                    (
                        _("Not published (held or rejected)"),
                        str(counts.get("held", 0) + counts.get("rejected", 0)),
                    ),
                ]
            ),
        )
        for status, title in (
            ("answered", _("Answered questions")),
            ("approved", _("Questions still open")),
        ):
            rows = [q for q in self.data.questions if q.status == status]
            if not rows:
                continue
            header = [_("Question"), _("Room"), _("Votes")]
            if self.data.names:
                header.append(_("Asked by"))
            self.add(
                TableBlock(
                    title,
                    header,
                    [
                        [q.body, self.data.room_titles.get(q.room, _("Plenary")), str(q.votes)]
                        + ([q.author or _("not named")] if self.data.names else [])
                        for q in rows
                    ],
                    frozenset({2}),
                )
            )
        if not self.data.questions:
            self.add(Paragraph(_("No question was published.")))

    def workshops(self) -> None:
        _ = self._
        self.add(Heading(2, _("Workshops"), "workshops"))
        if not self.data.workshops:
            self.add(Paragraph(_("This event had no workshops.")))
        for part in self.data.workshops:
            room, counts = part.room, part.counts
            self.add(
                Heading(3, room.title, f"workshop-{room.id}"),
                Facts(
                    [
                        (_("Facilitation"), room.facilitator or "–"),
                        (
                            _("Seats taken"),
                            _("%(seats)s of %(capacity)s")
                            % {"seats": counts.seats, "capacity": counts.capacity},
                        ),
                        (_("Took part"), str(counts.entered)),
                        (_("At most at once"), str(counts.peak)),
                    ]
                ),
                Heading(4, _("Key results"), f"results-{room.id}"),
            )
            if part.results:
                self.add(
                    TableBlock(
                        _("Key results of %(workshop)s, most upvoted first")
                        % {"workshop": room.title},
                        [_("Rank"), _("Key result"), _("Upvotes")],
                        [
                            [str(i), r["text"], str(r["votes"])]
                            for i, r in enumerate(part.results, 1)
                        ],
                        frozenset({0, 2}),
                    )
                )
            else:
                self.add(Paragraph(_("No key results were published.")))
            self.add(Heading(4, _("Notes"), f"notes-{room.id}"))
            if part.notes and part.notes.strip():
                self.add(Markdown(part.notes))
            else:
                self.add(Paragraph(_("No notes were kept.")))
            if self.data.names:
                self.add(
                    Heading(4, _("Participants who agreed to be named"), f"people-{room.id}"),
                    Items(part.people) if part.people else Paragraph("–"),
                )

    def method(self) -> None:
        _ = self._
        self.add(
            Heading(2, _("Method and data protection"), "method"),
            Paragraph(
                _(
                    "What was recorded: the registrations (name, organisation, e-mail address, "
                    "workshop choices), when each person entered and left each room, the votes "
                    "in polls, questions and their upvotes, chat messages, the workshops' notes "
                    "and key results and their upvotes. Reactions were counted per minute, "
                    "without names."
                )
            ),
            Paragraph(
                _(
                    "What this report shows: numbers aggregated over everyone; the texts of "
                    "questions, shown answers, key results and notes. Chat messages are not part "
                    "of it. Attendance counts participants only, each person once however many "
                    "windows they had open."
                )
            ),
            Paragraph(
                _(
                    "Names appear only of people who agreed at registration, and only in a report "
                    "built with names on purpose."
                )
                if self.data.names
                else _("This report was built without names.")
            ),
            TableBlock(
                _("When each kind of personal data is deleted"),
                [_("Kind of data"), _("Deletion due on"), _("Status")],
                [
                    [
                        _(kept.title),
                        format_date(kept.due, "long", locale=self.language),
                        _("deleted on %(date)s")
                        % {"date": format_date(kept.deleted_on, "long", locale=self.language)}
                        if kept.deleted_on
                        else _("kept until then"),
                    ]
                    for kept in self.data.retention
                ],
            ),
        )
        if self.data.removed:
            self.add(
                Paragraph(
                    self.ngettext(
                        "%(n)s person was removed from the event by the moderators; their "
                        "access ended at once.",
                        "%(n)s people were removed from the event by the moderators; their "
                        "access ended at once.",
                        self.data.removed,
                    )
                    % {"n": self.data.removed}
                )
            )


def compose(
    data: ReportData, translations: NullTranslations, progress: Progress | None = None
) -> Document:
    """The whole report, in the event's language."""
    writer = _Writer(data, translations, progress or (lambda label: None))
    writer.cover()
    writer.attendance()
    writer.mood()
    writer.polls()
    writer.questions()
    writer.workshops()
    writer.method()
    _ = translations.gettext
    return Document(
        title=data.event.title,
        language=data.event.language,
        subtitle=_("Documentation of the event"),
        blocks=writer.blocks,
    )


def as_dict(document: Document) -> dict[str, Any]:
    """For templates: blocks with their kind."""
    return {
        "title": document.title,
        "language": document.language,
        "subtitle": document.subtitle,
        "blocks": [(type(b).__name__.lower(), b) for b in document.blocks],
    }
