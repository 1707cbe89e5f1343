"""Charts drawn on the server, without a browser: matplotlib (Agg) for bars and the attendance
curve, wordcloud for the word cloud; each a PNG (used by the PDF and the DOCX alike) with its
alternative text.

matplotlib is the well-kept library of the field, renders without a display and writes PNG
that python-docx can embed (pygal writes SVG only, which DOCX cannot take without another
converter).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 150
INK = "#1d3557"
ACCENT = "#b5542d"
SECOND = "#4a7a4d"
FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"

Gettext = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Chart:
    png: bytes
    alt: str
    width_cm: float = 15.0


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return out.getvalue()


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(labels: Sequence[str], counts: Sequence[int], alt: str) -> Chart:
    """Horizontal bars, one per option, with the count at the end of each."""
    height = 0.9 + 0.45 * len(labels)
    figure, axes = plt.subplots(figsize=(6.4, height))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, counts, color=INK)
    axes.set_yticks(positions, [_short(label) for label in labels])
    top = max(counts, default=0) or 1
    for y, n in zip(positions, counts, strict=True):
        axes.text(n + top * 0.01, y, str(n), va="center", fontsize=10)
    axes.set_xlim(0, top * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_visible(False)
    return Chart(_png(figure), alt)


def rating(values: Sequence[int], counts: Sequence[int], mean: float | None, alt: str) -> Chart:
    """Columns over the scale, the mean marked."""
    figure, axes = plt.subplots(figsize=(6.4, 2.8))
    axes.bar([str(v) for v in values], counts, color=INK)
    if mean is not None and values:
        x = (mean - values[0]) * (len(values) - 1) / max(1, values[-1] - values[0])
        axes.axvline(x, color=ACCENT, linewidth=2, linestyle="--")
        axes.text(x, max(counts, default=0) or 1, f" Ø {mean:.2f}", color=ACCENT, ha="left")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), alt)


def attendance(
    points: Sequence[tuple[dt.datetime, int, int, int]], labels: Any, alt: str, zone: dt.tzinfo
) -> Chart:
    """People present over the day: everyone, in the plenary, in workshops."""
    figure, axes = plt.subplots(figsize=(6.8, 2.8))
    times = [p[0].astimezone(zone) for p in points]
    axes.plot(times, [p[1] for p in points], color=INK, linewidth=2, label=labels[0])
    axes.plot(times, [p[2] for p in points], color=SECOND, linewidth=1.5, label=labels[1])
    axes.plot(
        times, [p[3] for p in points], color=ACCENT, linewidth=1.5, linestyle="--", label=labels[2]
    )
    if times:
        formatter = DateFormatter("%H:%M", tz=zone)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(formatter)
    # nobody present yet: a scale of whole people, not 0.000 to 0.054
    axes.set_ylim(0, max((p[1] for p in points), default=0) * 1.1 or 1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), alt)


def stacked(
    slots: Sequence[dt.datetime],
    series: Sequence[tuple[str, Sequence[int]]],
    alt: str,
    zone: dt.tzinfo,
    width: dt.timedelta,
) -> Chart:
    """Columns over the day, one per time slot, stacked by series (the reactions by kind)."""
    figure, axes = plt.subplots(figsize=(6.8, 2.8))
    times = [slot.astimezone(zone) for slot in slots]
    bottom = [0] * len(times)
    colours = (INK, ACCENT, SECOND, "#6b4c9a", "#7a6a2f")
    days = width / dt.timedelta(days=1) * 0.85
    for (label, counts), colour in zip(series, colours * 2, strict=False):
        axes.bar(times, counts, bottom=bottom, width=days, align="edge", color=colour, label=label)
        bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
    if times:
        axes.xaxis.set_major_formatter(DateFormatter("%H:%M", tz=zone))  # type: ignore[no-untyped-call]
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(
        frameon=False,
        fontsize=8,
        ncols=min(5, len(series)),
        loc="lower left",
        bbox_to_anchor=(0, 1),
    )
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), alt)


def _dark(word: str, font_size: int, *args: Any, **kwargs: Any) -> str:
    """Dark colours only: every word keeps its contrast on white."""
    return (INK, ACCENT, SECOND)[len(word) % 3]


def word_cloud(frequencies: dict[str, int], alt: str) -> Chart:
    """The word cloud as a picture (larger: more often)."""
    from wordcloud import WordCloud

    cloud = WordCloud(
        width=1200,
        height=560,
        background_color="white",
        font_path=str(FONT),
        color_func=_dark,
        prefer_horizontal=1.0,
        random_state=1,
        max_words=60,
    )
    image = cloud.generate_from_frequencies(frequencies or {"–": 1}).to_image()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Chart(out.getvalue(), alt)
