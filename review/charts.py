"""The committee dashboard's chart: per year, the committee's savings, costs and
investments (thousand kroner) as grouped bars. An SVG string with presentation
attributes only (allowed by the Content Security Policy); the numbers are the stored
shares, drawn, not recomputed."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from cases.charts import grid_svg, value_axis
from finance.formatting import format_amount

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 24, 48
SERIES = (("savings", "#2e7d32"), ("costs", "#c62828"), ("investments", "#1f3b73"))
TEXT = "#222222"


def shares_svg(years: list[dict]) -> str:
    labels = {"savings": _("Savings"), "costs": _("Costs"), "investments": _("Investments")}
    values = [Decimal(item[key] or 0) for item in years for key, _c in SERIES]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    axis = value_axis(values, TOP, plot_h)
    slot = plot_w / max(len(years), 1)
    bar_w = slot * 0.8 / len(SERIES)

    title = _("Savings, costs and investments per year (1,000 kr.)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart shares-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" font-family="Liberation Sans, Arial, sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
    ]
    parts.append(grid_svg(axis, LEFT, WIDTH - RIGHT))
    for i, item in enumerate(years):
        x0 = LEFT + slot * i + slot * 0.1
        parts.append(
            f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" fill="{TEXT}">{item["year"]}</text>'
        )
        for j, (key, colour) in enumerate(SERIES):
            value = Decimal(item[key] or 0)
            top, height = axis.bar(value)
            parts.append(
                f'<rect class="bar bar-{key}" data-year="{item["year"]}" data-value="{value}" '
                f'x="{x0 + j * bar_w:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(labels[key])} '
                f"{item['year']}: {format_amount(value, 0)}</title></rect>"
            )
    for j, (key, colour) in enumerate(SERIES):
        x = LEFT + j * 130
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 9}" fill="{TEXT}">{escape(labels[key])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
