"""Server-rendered follow-up charts (SVG strings, no JavaScript), in the style of
`cases.charts`: presentation attributes only (allowed by the Content Security Policy)
and vector graphics in the PDF. They draw figures computed elsewhere; nothing here
but positions.

- `planned_vs_realised_svg`: per year, the planned and the realised permanent changes
  (savings negative, as in the annexes), for a proposal or a committee's portfolio.
- `criteria_status_svg`: how many criteria have which latest status.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from xml.sax.saxutils import escape

from cases.charts import grid_svg, svg_open, value_axis
from finance.formatting import format_amount

__all__ = ["criteria_status_svg", "planned_vs_realised_svg"]

WIDTH = 640
HEIGHT = 250
LEFT = 64
RIGHT = 16
TOP = 28
BOTTOM = 46

PLANNED = "#9aa9c7"
REALISED = "#1f3b73"
BEHIND = "#c62828"
TEXT = "#222222"

STATUS_COLOURS = {
    "on_track": "#2e7d32",
    "delayed": "#ef6c00",
    "met": "#1f3b73",
    "not_met": "#c62828",
    "none": "#9e9e9e",
}


def planned_vs_realised_svg(
    years: list[int],
    planned: Mapping[int, Decimal | None],
    realised: Mapping[int, Decimal | None],
    *,
    behind: Mapping[int, bool] | None = None,
    title: str = "Varige ændringer: plan og realiseret (1.000 kr.)",
    planned_label: str = "Plan (vedtaget)",
    realised_label: str = "Realiseret",
    behind_label: str = "Bagud i forhold til plan",
) -> str:
    """Two bars per year: planned (light) and realised (dark; red when the year is
    flagged behind plan). A year without a realised figure has only the planned bar."""
    behind = behind or {}
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    values = (v for v in (*planned.values(), *realised.values()) if v is not None)
    axis = value_axis(values, TOP, plot_h)
    slot = plot_w / max(len(years), 1)

    parts = svg_open(title, "planned-realised-chart", HEIGHT)
    parts.append(grid_svg(axis, LEFT, WIDTH - RIGHT))
    bar_w = slot * 0.32
    for i, year in enumerate(years):
        mid = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{mid:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{TEXT}">{year}</text>'
        )
        for value, x, css, colour, label in (
            (planned.get(year), mid - bar_w, "planned", PLANNED, planned_label),
            (
                realised.get(year),
                mid,
                "realised" + (" behind" if behind.get(year) else ""),
                BEHIND if behind.get(year) else REALISED,
                realised_label,
            ),
        ):
            if value is None:
                continue
            top, height = axis.bar(value)
            parts.append(
                f'<rect class="bar {css}" data-year="{year}" data-value="{value}" '
                f'x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{colour}"><title>{escape(label)} {year}: {format_amount(value)}'
                f"</title></rect>"
            )
    legend_y = HEIGHT - 8
    parts.append(
        f'<rect x="{LEFT}" y="{legend_y - 8}" width="10" height="8" fill="{PLANNED}"/>'
        f'<text x="{LEFT + 14}" y="{legend_y}" fill="{TEXT}">{escape(planned_label)}</text>'
        f'<rect x="{LEFT + 130}" y="{legend_y - 8}" width="10" height="8" fill="{REALISED}"/>'
        f'<text x="{LEFT + 144}" y="{legend_y}" fill="{TEXT}">{escape(realised_label)}</text>'
        f'<rect x="{LEFT + 250}" y="{legend_y - 8}" width="10" height="8" fill="{BEHIND}"/>'
        f'<text x="{LEFT + 264}" y="{legend_y}" fill="{TEXT}">{escape(behind_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def criteria_status_svg(
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    *,
    title: str = "Succeskriterier efter seneste status",
) -> str:
    """One horizontal bar per status (in the order of `labels`), with its count."""
    order = [key for key in labels if key in STATUS_COLOURS]
    row_h = 22
    height = TOP + row_h * len(order) + 12
    most = max([1, *counts.values()])
    label_w = 130
    plot_w = WIDTH - LEFT - RIGHT - label_w - 40
    parts = svg_open(title, "criteria-status-chart", height)
    for i, key in enumerate(order):
        count = counts.get(key, 0)
        y = TOP + i * row_h
        width = plot_w * count / most
        parts.append(
            f'<text x="{LEFT + label_w - 6}" y="{y + 14}" text-anchor="end" fill="{TEXT}">'
            f"{escape(labels[key])}</text>"
            f'<rect class="status-bar" data-status="{key}" data-count="{count}" '
            f'x="{LEFT + label_w}" y="{y + 4}" width="{max(width, 0.5):.1f}" height="{row_h - 8}" '
            f'fill="{STATUS_COLOURS[key]}"/>'
            f'<text x="{LEFT + label_w + width + 6:.1f}" y="{y + 14}" fill="{TEXT}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
