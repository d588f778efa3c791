"""Test helper: read the reference catalogues (budget-cases/1 JSON) into engine ``Case``s.

Numbers are parsed as Decimal (``parse_float=Decimal``), never float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from finance.engine import (
    AdminLine,
    Case,
    Distribution,
    DistributionRow,
    Line,
    PrintedDistribution,
    PrintedDistributionRow,
    Stated,
)

CATALOG_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "catalogs"
CATALOG_FILES = ("citizen-2018.json", "innovation-2020.json", "investment-2021-part1.json")
TOTAL_LABELS = {"i alt", "total"}


@cache
def load_catalog(name: str) -> dict[str, Any]:
    with open(CATALOG_DIR / name, encoding="utf-8") as fh:
        return json.load(fh, parse_float=Decimal)


def proposal(name: str, number: str) -> dict[str, Any]:
    for item in load_catalog(name)["proposals"]:
        if item["number"] == number:
            return item
    raise KeyError(f"{name}: no proposal {number!r}")


def _amounts(raw: dict[str, Any] | None) -> dict[int, Decimal]:
    return {int(year): Decimal(value) for year, value in (raw or {}).items() if value is not None}


def _stated(raw: dict[str, Any] | None) -> Stated | None:
    if raw is None:
        return None

    def series(key: str) -> dict[int, Decimal] | None:
        value = raw.get(key)
        return None if value is None else _amounts(value)

    return Stated(
        permanent_total=series("permanent_total"),
        implementation_total=series("implementation_total"),
        net_total=series("net_total"),
        payback_years=raw.get("payback_years"),
        payback_years_service=raw.get("payback_years_service"),
        payback_years_total=raw.get("payback_years_total"),
    )


def _distribution(raw: dict[str, Any]) -> Distribution:
    rows = tuple(
        DistributionRow(
            committee=row.get("committee") or "",
            unit=row.get("unit") or "",
            weight=None if row.get("weight") is None else Decimal(row["weight"]),
            amounts=None if row.get("amounts") is None else _amounts(row["amounts"]),
            account=row.get("account"),
        )
        for row in raw["rows"]
    )
    return Distribution(subject=raw["subject"], basis=raw["basis"], rows=rows)


def _printed_distribution(table: dict[str, Any]) -> PrintedDistribution:
    rows = []
    for row in table["rows"]:
        key = row.get("key_pct")
        rows.append(
            PrintedDistributionRow(
                label=row.get("label") or "",
                row_kind=row.get("row_kind"),
                key_pct=None if key is None else Decimal(key),
                amounts=_amounts(row.get("amounts")),
                is_total=bool(row.get("bold_total"))
                or (row.get("label") or "").strip().lower() in TOTAL_LABELS,
            )
        )
    return PrintedDistribution(caption=table.get("caption") or "", rows=tuple(rows))


def case_from_proposal(raw: dict[str, Any]) -> Case:
    """A proposal dict of the JSON as an engine ``Case``."""
    return Case(
        years=tuple(raw["years"]),
        lines=tuple(
            Line(
                section=line["section"],
                kind=line["kind"],
                area=line.get("area"),
                label=line.get("label") or "",
                amounts=_amounts(line.get("amounts")),
            )
            for line in raw.get("lines") or ()
        ),
        admin_lines=tuple(
            AdminLine(label=line.get("label") or "", amounts=_amounts(line.get("amounts")))
            for line in raw.get("admin_lines") or ()
        ),
        distributions=tuple(_distribution(d) for d in raw.get("distributions") or ()),
        stated=_stated(raw.get("stated")),
        printed_distributions=tuple(
            _printed_distribution(table)
            for table in raw.get("other_tables") or ()
            if table.get("kind") == "distribution"
        ),
    )


def all_proposals() -> list[tuple[str, dict[str, Any]]]:
    return [(name, item) for name in CATALOG_FILES for item in load_catalog(name)["proposals"]]


def overview_rows(name: str) -> dict[str, dict[str, Any]]:
    overview = load_catalog(name)["catalog"].get("overview") or {}
    return {row["number"]: row for row in overview.get("rows") or ()}
