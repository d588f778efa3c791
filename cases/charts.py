"""Server-rendered charts (SVG strings, no JavaScript) from the engine's figures.

`net_flow_svg(figures)` draws the yearly net flow ("Samlet økonomisk påvirkning") as bars
and the cumulative net flow as a line, and marks the payback year (total variant).
It draws only what `finance.engine` computed: no figure is derived here except the
positions on the drawing. The SVG uses presentation attributes only (no `style`
attributes), so it is allowed by the pages' Content Security Policy, and it is vector
graphics in the printed annex.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from finance import engine
from finance.appraisal import Appraisal
from finance.formatting import format_amount

from .appraisal import scenario_label

__all__ = ["chart_title", "net_flow_svg", "tornado_svg"]

WIDTH = 640
HEIGHT = 240
LEFT = 64  # room for the value axis labels
RIGHT = 16
TOP = 28
BOTTOM = 44  # room for the year labels and the legend
LABEL_BAND = 14  # above the net flow plot: the payback label

BAR_SAVING = "#2e7d32"
BAR_COST = "#c62828"
LINE = "#1f3b73"
GRID = "#c8c8c8"
TEXT = "#222222"


def _nice_step(span: Decimal) -> Decimal:
    """A step of 1, 2 or 5 times a power of ten giving about four grid lines."""
    if span <= 0:
        return Decimal(1)
    raw = span / 4
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        if base * factor >= raw:
            return base * factor
    return base * 10  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class ValueAxis:
    """A value axis from `low` to `high` in grid steps of `step`, drawn from `top` down
    over `height` pixels."""

    low: Decimal
    high: Decimal
    step: Decimal
    top: float
    height: float

    def y(self, value: Decimal) -> float:
        return self.top + float((self.high - value) / (self.high - self.low)) * self.height

    def bar(self, value: Decimal) -> tuple[float, float]:
        """The top and the height of a bar from 0 to `value` (at least half a pixel)."""
        zero, end = self.y(Decimal(0)), self.y(value)
        return min(zero, end), max(abs(end - zero), 0.5)

    def ticks(self) -> Iterator[Decimal]:
        tick = self.low
        while tick <= self.high:
            yield tick
            tick += self.step


def value_axis(values: Iterable[Decimal], top: float, height: float) -> ValueAxis:
    """The axis that holds 0 and every value, on whole steps of `_nice_step`."""
    values = list(values)
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    step = _nice_step(high - low)
    low_axis = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high_axis = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high_axis == low_axis:
        high_axis = low_axis + step
    return ValueAxis(low_axis, high_axis, step, top, height)


def grid_svg(axis: ValueAxis, left: float, right: float) -> str:
    """The horizontal grid lines from x `left` to `right` (0 drawn stronger) and their
    value labels left of the plot."""
    parts = []
    for tick in axis.ticks():
        y = axis.y(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="{1.2 if tick == 0 else 0.5}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{format_amount(tick, 0)}</text>"
        )
    return "".join(parts)


def svg_open(title: str, css: str, height: int, width: int = WIDTH) -> list[str]:
    """The opening of a chart: the <svg> element, its title and the printed heading."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="16" fill="{TEXT}" font-size="12" font-weight="bold">'
        f"{escape(title)}</text>",
    ]


NET_FLOW_TITLE = "Nettopengestrøm og akkumuleret nettopengestrøm"
TORNADO_TITLE = "Følsomhed: nutidsværdi"


def chart_title(title: str, price_level: int | None = None) -> str:
    """A chart's title with its unit: "… (1.000 kr.)", and "… (1.000 kr. 2024 p/l)"
    when the figures are shown in another p/l than the proposal's own (issue 14)."""
    unit = "1.000 kr." if price_level is None else f"1.000 kr. {price_level} p/l"
    return f"{title} ({unit})"


def net_flow_svg(
    figures: engine.Figures,
    *,
    start_year: int | None = None,
    title: str = chart_title(NET_FLOW_TITLE),
    payback_label: str = "Tilbagebetalt",
) -> str:
    """An SVG document (string) of yearly net flow bars and the cumulative net line.

    ``start_year`` is where the payback count starts (FORMAT.md rule 1); by default the
    first year with a net flow, which is the engine's start year for amounts inside the
    span. The payback year marked is the total variant (`payback_years_total`); when it
    lies after the last year of the table, a note says so instead.
    """
    years = list(figures.years)
    net = [figures.net_total.get(y) for y in years]
    cumulative = [figures.cumulative_net.get(y) for y in years]
    plot_w = WIDTH - LEFT - RIGHT
    # the plot starts below a band that holds the payback label, so that the label never
    # lies on a bar or on the line (breaker: "Tilbagebetalt" was written over the bars)
    plot_top = TOP + LABEL_BAND
    plot_h = HEIGHT - plot_top - BOTTOM
    axis = value_axis((v for v in net + cumulative if v is not None), plot_top, plot_h)
    slot = plot_w / max(len(years), 1)

    def x_mid(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    parts = svg_open(title, "net-flow-chart", HEIGHT)
    parts.append(grid_svg(axis, LEFT, WIDTH - RIGHT))
    bar_w = slot * 0.55
    for i, (year, value) in enumerate(zip(years, net, strict=True)):
        x = x_mid(i)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{TEXT}">{year}</text>'
        )
        if value is None:
            continue
        top, height = axis.bar(value)
        colour = BAR_SAVING if value < 0 else BAR_COST
        parts.append(
            f'<rect class="bar" data-year="{year}" data-value="{value}" '
            f'x="{x - bar_w / 2:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
            f'fill="{colour}"><title>{year}: {format_amount(value)}</title></rect>'
        )
    points = [
        (x_mid(i), axis.y(value), year, value)
        for i, (year, value) in enumerate(zip(years, cumulative, strict=True))
        if value is not None
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(
            f'<polyline class="cumulative" points="{path}" fill="none" stroke="{LINE}" '
            f'stroke-width="2"/>'
        )
        for x, y, year, value in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}" data-year="{year}" '
                f'data-value="{value}"><title>{year}: {format_amount(value)}</title></circle>'
            )

    payback = figures.payback_years_total
    if start_year is None:
        start_year = next((y for y in years if figures.net_total.get(y) is not None), None)
    legend_y = HEIGHT - 8
    if payback is not None and start_year is not None:
        payback_year = start_year + payback - 1
        if payback_year in years:
            x = x_mid(years.index(payback_year))
            parts.append(
                f'<line class="payback" data-year="{payback_year}" x1="{x:.1f}" '
                f'y1="{TOP}" x2="{x:.1f}" y2="{plot_top + plot_h}" stroke="{TEXT}" '
                f'stroke-width="1.2" stroke-dasharray="4 3"/>'
            )
            near_right = x > WIDTH - RIGHT - 120
            parts.append(
                f'<text class="payback-label" x="{x - 4 if near_right else x + 4:.1f}" '
                f'y="{plot_top - 4}" text-anchor="{"end" if near_right else "start"}" '
                f'fill="{TEXT}">{escape(payback_label)} {payback_year}</text>'
            )
            note = f"{payback_label} {payback_year} ({payback} år)"
        else:
            note = f"{payback_label} {payback_year} ({payback} år), efter tabellens sidste år"
    else:
        note = "Ingen tilbagebetaling"
    parts.append(
        f'<rect x="{LEFT}" y="{legend_y - 8}" width="10" height="8" fill="{BAR_COST}"/>'
        f'<rect x="{LEFT + 10}" y="{legend_y - 8}" width="10" height="8" fill="{BAR_SAVING}"/>'
        f'<text x="{LEFT + 26}" y="{legend_y}" fill="{TEXT}">Nettopengestrøm</text>'
        f'<line x1="{LEFT + 130}" y1="{legend_y - 4}" x2="{LEFT + 150}" y2="{legend_y - 4}" '
        f'stroke="{LINE}" stroke-width="2"/>'
        f'<text x="{LEFT + 156}" y="{legend_y}" fill="{TEXT}">Akkumuleret</text>'
        f'<text class="payback-note" x="{WIDTH - RIGHT}" y="{legend_y}" text-anchor="end" '
        f'fill="{TEXT}">{escape(note)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


TORNADO_WIDTH = 640
TORNADO_LABEL = 190  # room for the scenario labels
TORNADO_ROW = 30


def tornado_svg(appraisal: Appraisal, *, title: str = chart_title(TORNADO_TITLE)) -> str:
    """A tornado chart (SVG string) of the sensitivity scenarios' present values.

    One bar per scenario from the proposal's present value as entered to the
    scenario's, largest change on top; a dashed line marks the present value as entered
    and a solid one 0. Only `finance.appraisal`'s figures are drawn.
    """
    base = appraisal.npv
    rows = sorted(
        (s for s in appraisal.scenarios if s.key != "base"),
        key=lambda s: (-abs(s.npv - base), s.key),
    )
    height = TOP + TORNADO_ROW * max(len(rows), 1) + BOTTOM
    left, right = TORNADO_LABEL, TORNADO_WIDTH - RIGHT
    # the value axis runs along x: `value_axis` maps high to `top`, so x is mirrored
    axis = value_axis([base, *(s.npv for s in rows)], 0, right - left)

    def x(value: Decimal) -> float:
        return right - axis.y(value)

    parts = svg_open(title, "tornado-chart", height, TORNADO_WIDTH)
    bottom = TOP + TORNADO_ROW * len(rows)
    for tick in axis.ticks():
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP}" x2="{x(tick):.1f}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="{1.2 if tick == 0 else 0.5}"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 14}" text-anchor="middle" fill="{TEXT}">'
            f"{format_amount(tick, 0)}</text>"
        )
    for i, scenario in enumerate(rows):
        y = TOP + TORNADO_ROW * i
        low, high = sorted((x(base), x(scenario.npv)))
        colour = BAR_COST if scenario.npv < base else BAR_SAVING
        label = scenario_label(appraisal, scenario.key)
        parts.append(
            f'<text x="{left - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}">'
            f"{escape(label)}</text>"
            f'<rect class="bar" data-scenario="{scenario.key}" data-value="{scenario.npv}" '
            f'x="{low:.1f}" y="{y + 6}" width="{max(high - low, 0.5):.1f}" height="18" '
            f'fill="{colour}"><title>{escape(label)}: {format_amount(scenario.npv, 0)}'
            f"</title></rect>"
        )
    parts.append(
        f'<line class="base" data-value="{base}" x1="{x(base):.1f}" y1="{TOP - 4}" '
        f'x2="{x(base):.1f}" y2="{bottom + 2}" stroke="{TEXT}" stroke-width="1.2" '
        f'stroke-dasharray="4 3"/>'
        f'<text x="{LEFT}" y="{height - 8}" fill="{TEXT}">Stiplet: som indtastet '
        f"({format_amount(base, 0)})</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
