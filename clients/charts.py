"""A problem's outcome ratings over time as a small SVG line chart, drawn on the server.

No JavaScript: the template draws the lines from these points. Each scale has its own dash
pattern and marker shape as well as colour, so the chart does not rely on colour alone; the
same figures are always printed in a table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from clients.models import OutcomeRating

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 28, 12, 10, 26


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    points: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[int, float]]
    x_labels: list[tuple[str, float]]
    plot_left: int
    plot_right: int


SCALES = (
    ("knowledge", "Knowledge", "#005eb8", ""),
    ("behaviour", "Behaviour", "#007f3b", "6 3"),
    ("status", "Status", "#d5281b", "2 3"),
)


def _y(value: int) -> float:
    return TOP + (5 - value) * (HEIGHT - TOP - BOTTOM) / 4


def ratings_chart(ratings: Sequence[OutcomeRating]) -> Chart | None:
    """The chart of a series of ratings in date order; None when there is nothing to draw."""
    if not ratings:
        return None
    span = WIDTH - LEFT - RIGHT
    count = len(ratings)
    xs = [LEFT + (span * i / (count - 1) if count > 1 else span / 2) for i in range(count)]
    series = [
        Series(
            label=label,
            colour=colour,
            dash=dash,
            points=[(x, _y(getattr(r, attr))) for x, r in zip(xs, ratings, strict=True)],
        )
        for attr, label, colour, dash in SCALES
    ]
    step = max(1, count // 4)
    labels = [
        (f"{r.rated_on:%-d %b}", x)
        for i, (x, r) in enumerate(zip(xs, ratings, strict=True))
        if i % step == 0 or i == count - 1
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        y_ticks=[(v, _y(v)) for v in range(1, 6)],
        x_labels=labels,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
    )
