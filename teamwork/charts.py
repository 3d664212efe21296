"""The team's figures over time as small SVG line charts, drawn on the server with the same
pieces as a problem's ratings chart (clients.charts): each series has its own dash pattern as
well as colour, and the same figures are always printed in a table beside the chart."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from clients.charts import Chart, Series
from scheduling.words import say
from teamwork.figures import PeriodFigures

WIDTH, HEIGHT = 480, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 26
STYLES = (("#005eb8", ""), ("#007f3b", "6 3"), ("#d5281b", "2 3"))

Value = Callable[[PeriodFigures], float | None]


@dataclass(frozen=True)
class Trend:
    """One figure over the periods: its chart (None when nothing to draw) and its words."""

    key: str
    title: str
    unit: str
    lines: tuple[tuple[str, Value], ...]
    chart: Chart | None
    legend: str
    table: list[tuple[str, list[float | None]]]

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.lines]


def _nice_top(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000):
        if value <= step:
            return float(step)
    return value


def line_chart(rows: Sequence[PeriodFigures], lines: Sequence[tuple[str, Value]]) -> Chart | None:
    values = [[get(r) for r in rows] for _, get in lines]
    known = [v for series in values for v in series if v is not None]
    if not rows or not known:
        return None
    low = min(0.0, min(known))
    high = _nice_top(max(known)) if max(known) > 0 else 1.0
    if low < 0:
        low = -_nice_top(-low)
    span_y = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) * span_y / (high - low)

    span_x = WIDTH - LEFT - RIGHT
    count = len(rows)
    xs = [LEFT + (span_x * i / (count - 1) if count > 1 else span_x / 2) for i in range(count)]
    series = [
        Series(
            label=label,
            colour=STYLES[n % len(STYLES)][0],
            dash=STYLES[n % len(STYLES)][1],
            points=[(x, y(v)) for x, v in zip(xs, vals, strict=True) if v is not None],
        )
        for n, ((label, _), vals) in enumerate(zip(lines, values, strict=True))
    ]
    ticks = sorted({low, (low + high) / 2, high, 0.0})
    # At most five labels, counted back from the latest period so that it is always named.
    step = max(1, -(-count // 5))
    shown = set(range(count - 1, -1, -step))
    labels = [(say(rows[i].period.short), xs[i]) for i in sorted(shown)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        y_ticks=[(round(t) if float(t).is_integer() else t, y(t)) for t in ticks],  # type: ignore[misc]
        x_labels=labels,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
    )


def _legend(lines: Sequence[tuple[str, Value]]) -> str:
    words = (gettext("solid blue"), gettext("long dashes, green"), gettext("short dashes, red"))
    return ". ".join(
        gettext("%(style)s: %(line)s") % {"style": words[n % 3].capitalize(), "line": label}
        for n, (label, _) in enumerate(lines)
    )


FIGURES: tuple[tuple[str, str, str, tuple[tuple[str, Value], ...]], ...] = (
    (
        "share",
        gettext_noop("Time with clients"),
        # xgettext:no-python-format
        gettext_noop("% of shift hours"),
        ((gettext_noop("Time with clients"), lambda r: r.client_share),),
    ),
    (
        "hours",
        gettext_noop("Hours against contracts"),
        gettext_noop("hours"),
        (
            (gettext_noop("Shift hours"), lambda r: r.shift_hours),
            (gettext_noop("Contracted hours"), lambda r: r.contracted_hours),
        ),
    ),
    (
        "continuity",
        gettext_noop("Continuity: different carers per client"),
        gettext_noop("carers"),
        (
            (gettext_noop("Average"), lambda r: r.carers_per_client),
            (gettext_noop("Most"), lambda r: float(r.most_carers)),
        ),
    ),
    (
        "late",
        gettext_noop("Late and missed visits"),
        gettext_noop("visits"),
        (
            (gettext_noop("Late"), lambda r: float(r.late)),
            (gettext_noop("Missed"), lambda r: float(r.missed)),
        ),
    ),
    (
        "sickness",
        gettext_noop("Sickness absence"),
        # xgettext:no-python-format
        gettext_noop("% of contracted hours"),
        ((gettext_noop("Sickness"), lambda r: r.sickness_rate),),
    ),
    (
        "outcomes",
        gettext_noop("Omaha outcome change per problem"),
        gettext_noop("points"),
        (
            (gettext_noop("Knowledge"), lambda r: r.knowledge_change),
            (gettext_noop("Behaviour"), lambda r: r.behaviour_change),
            (gettext_noop("Status"), lambda r: r.status_change),
        ),
    ),
)


def trends(rows: Sequence[PeriodFigures]) -> list[Trend]:
    """The figures in the reader's language (FIGURES holds their words untranslated)."""
    said = [
        (key, gettext(title), gettext(unit), tuple((gettext(name), get) for name, get in lines))
        for key, title, unit, lines in FIGURES
    ]
    return [
        Trend(
            key,
            title,
            unit,
            lines,
            line_chart(rows, lines),
            _legend(lines),
            [(say(r.period.label), [get(r) for _, get in lines]) for r in rows],
        )
        for key, title, unit, lines in said
    ]
