"""Server-rendered charts (SVG strings, no JavaScript) from the engine's figures.

`net_flow_svg(figures)` draws the yearly net flow ("Samlet økonomisk påvirkning") as bars
and the cumulative net flow as a line, and marks the payback year (total variant).
It draws only what `finance.engine` computed: no figure is derived here except the
positions on the drawing. The SVG uses presentation attributes only (no `style`
attributes), so it is allowed by the pages' Content Security Policy, and it is vector
graphics in the printed annex.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from finance import engine
from finance.formatting import format_amount

__all__ = ["net_flow_svg"]

WIDTH = 640
HEIGHT = 240
LEFT = 64  # room for the value axis labels
RIGHT = 16
TOP = 28
BOTTOM = 44  # room for the year labels and the legend

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


def net_flow_svg(
    figures: engine.Figures,
    *,
    start_year: int | None = None,
    title: str = "Nettopengestrøm og akkumuleret nettopengestrøm (1.000 kr.)",
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
    values = [v for v in net + cumulative if v is not None]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    step = _nice_step(high - low)
    low_axis = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high_axis = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high_axis == low_axis:
        high_axis = low_axis + step

    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(years), 1)

    def y_of(value: Decimal) -> float:
        return TOP + float((high_axis - value) / (high_axis - low_axis)) * plot_h

    def x_mid(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart net-flow-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="16" fill="{TEXT}" font-size="12" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    # Grid lines and value labels.
    tick = low_axis
    while tick <= high_axis:
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="{1.2 if tick == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{format_amount(tick, 0)}</text>"
        )
        tick += step
    zero = y_of(Decimal(0))
    bar_w = slot * 0.55
    for i, (year, value) in enumerate(zip(years, net, strict=True)):
        x = x_mid(i)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{TEXT}">{year}</text>'
        )
        if value is None:
            continue
        top = min(zero, y_of(value))
        height = max(abs(y_of(value) - zero), 0.5)
        colour = BAR_SAVING if value < 0 else BAR_COST
        parts.append(
            f'<rect class="bar" data-year="{year}" data-value="{value}" '
            f'x="{x - bar_w / 2:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
            f'fill="{colour}"><title>{year}: {format_amount(value)}</title></rect>'
        )
    points = [
        (x_mid(i), y_of(value), year, value)
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
                f'<line class="payback" data-year="{payback_year}" x1="{x:.1f}" y1="{TOP}" '
                f'x2="{x:.1f}" y2="{TOP + plot_h}" stroke="{TEXT}" stroke-width="1.2" '
                f'stroke-dasharray="4 3"/>'
            )
            near_right = x > WIDTH - RIGHT - 120
            parts.append(
                f'<text x="{x - 4 if near_right else x + 4:.1f}" y="{TOP + 10}" '
                f'text-anchor="{"end" if near_right else "start"}" fill="{TEXT}">'
                f"{escape(payback_label)} {payback_year}</text>"
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
