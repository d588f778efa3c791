"""The distribution tables of the printed annex ("Teknisk bilag", "Fordeling … mellem
udvalg"), from the engine's allocated distributions and `finance.technical_annex`.

Every committee and ØU unit gets its row, in the municipality's order, even when empty
(as the annexes print them); a row that names a unit the municipality does not list
(e.g. "Økonomiudvalget - inkl. koncernenheder") takes its committee's place. Nothing is
computed here: the figures are the engine's, arranged per printed row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import pgettext

from committees.models import Committee
from finance import engine
from finance.formatting import format_amount
from finance.technical_annex import (
    TechnicalAnnex,
    YearValues,
    by_row,
    column_total,
    compute_technical_annex,
    outside_years,
    table_years,
)

RowKey = tuple[str, str]  # (committee code, unit name or "")

# The columns a distribution table may print besides the label and the years.
KIND = "kind"  # Besparelse / Omkostninger
KEY = "key"  # Fordelingsnøgle (%)
ACCOUNT = "account"  # Bevilling, profit-center mv.*


@dataclass
class DistRow:
    label: str
    cells: list[Decimal | None]
    kind: str = ""
    key: str = ""
    account: str = ""
    style: str = "line"  # line | total
    first: bool = True  # first row of its committee (the label is printed)


@dataclass
class DistTable:
    caption: str
    unit: str
    years: tuple[int, ...]
    rows: list[DistRow]
    columns: tuple[str, ...] = ()
    places: int = 0
    footnote: str = ""
    role: str = ""  # which printed table this is (see TABLE_ROLES)
    notes: list[str] = field(default_factory=list)  # explanatory paragraphs before it

    @property
    def width(self) -> int:
        return 1 + len(self.columns) + len(self.years)


@dataclass
class Organisation:
    """The rows every distribution table prints: committees and ØU units in order."""

    keys: list[RowKey]
    names: dict[RowKey, str]
    unit_by_code: dict[str, RowKey]
    unit_by_name: dict[str, RowKey]

    @classmethod
    def from_committees(cls, committees: Sequence[Committee]) -> Organisation:
        by_pk = {c.pk: c for c in committees}
        keys: list[RowKey] = []
        names: dict[RowKey, str] = {}
        unit_by_code: dict[str, RowKey] = {}
        unit_by_name: dict[str, RowKey] = {}
        for c in committees:
            parent = by_pk.get(c.parent_id) if c.parent_id else None
            if parent is not None:
                key = (parent.code, c.name)
                unit_by_code[c.code] = key
                unit_by_name[c.name.casefold()] = key
            else:
                key = (c.code, "")
            keys.append(key)
            names[key] = c.name
        return cls(keys, names, unit_by_code, unit_by_name)

    @property
    def committee_keys(self) -> list[RowKey]:
        return [k for k in self.keys if not k[1]]

    def key_of(self, row: engine.AllocatedRow) -> RowKey:
        """The printed row of an allocated row: a unit of the municipality by its code
        or name, a committee by its code; another unit text is its own row."""
        committee, unit = row.committee, (row.unit or "").strip()
        if committee in self.unit_by_code:
            return self.unit_by_code[committee]
        if not unit:
            return (committee, "")
        known = self.unit_by_name.get(unit.casefold())
        if known is not None:
            return known
        if unit.casefold() == self.names.get((committee, ""), "").casefold():
            return (committee, "")
        return (committee, unit)

    def label(self, key: RowKey) -> str:
        return key[1] or self.names.get(key, key[0])

    def ordered(self, present: Sequence[RowKey], *, with_units: bool) -> list[RowKey]:
        """Every committee (with ``with_units`` also every ØU unit) in the municipality's
        order; rows with a unit text of their own stand in place of their committee's
        row (when that row itself has nothing), then anything else present."""
        base = self.keys if with_units else self.committee_keys
        present = list(dict.fromkeys(present))
        out: list[RowKey] = []
        for key in base:
            own = [k for k in present if k[0] == key[0] and k not in self.keys]
            if key in present or not own or key[1]:
                out.append(key)
            if not key[1]:
                out += [k for k in own if k not in out]
        out += [k for k in present if k not in out]
        return out


def _cells(values: YearValues | None, years) -> list[Decimal | None]:
    return [(values or {}).get(y) for y in years]


def _key_text(weight: Decimal | None) -> str:
    return "" if weight is None else f"{format_amount(weight)}%"


def _weights(dist: engine.AllocatedDistribution | None, org: Organisation) -> dict:
    out: dict[RowKey, Decimal] = {}
    for row in dist.rows if dist else ():
        if row.weight is not None:
            key = org.key_of(row)
            out[key] = out.get(key, Decimal(0)) + row.weight
    return out


def _accounts(dists, org: Organisation) -> dict[RowKey, str]:
    out: dict[RowKey, list[str]] = {}
    for dist in dists:
        for row in dist.rows if dist else ():
            if row.account:
                accounts = out.setdefault(org.key_of(row), [])
                if row.account not in accounts:
                    accounts.append(row.account)
    return {k: ", ".join(v) for k, v in out.items()}


def _subject(figures: engine.Figures, *subjects: str) -> engine.AllocatedDistribution | None:
    by_subject = {d.subject: d for d in figures.distributions}
    return next((by_subject[s] for s in subjects if s in by_subject), None)


def service_table(
    figures: engine.Figures,
    org: Organisation,
    *,
    caption: str,
    unit: str,
    kinds: tuple[str, str],
    total_label: str,
    with_units: bool,
    with_keys: bool = False,
    places: int = 0,
    annex: TechnicalAnnex | None = None,
) -> DistTable | None:
    """ "Effektivisering samt varige driftsomkostninger, service" (investment) or
    "Fordeling af forslagets potentiale mellem udvalg" (efficiency): per committee a
    savings row and a costs row. ``annex``: the proposal's `compute_technical_annex`
    when the caller has it already (computed here otherwise)."""
    annex = annex or compute_technical_annex(figures, org.key_of)
    if annex is None:
        return None
    years = table_years(figures.years, [*annex.savings.values(), *annex.costs.values()])
    saving_dist = _subject(figures, "permanent_service_saving", "permanent_saving")
    cost_dist = _subject(figures, "permanent_service_cost", "permanent_cost")
    saving_keys = _weights(saving_dist, org) if with_keys else {}
    cost_keys = _weights(cost_dist, org) if with_keys else {}
    rows: list[DistRow] = []
    present = [*annex.savings, *annex.costs]
    for key in org.ordered(present, with_units=with_units):
        rows.append(
            DistRow(
                org.label(key),
                _cells(annex.savings.get(key), years),
                kind=kinds[0],
                key=_key_text(saving_keys.get(key)) if with_keys else "",
            )
        )
        rows.append(
            DistRow(
                "",
                _cells(annex.costs.get(key), years),
                kind=kinds[1],
                key=_key_text(cost_keys.get(key)) if with_keys else "",
                first=False,
            )
        )
    full = "100%" if with_keys else ""
    rows.append(
        DistRow(
            total_label,
            _cells(annex.total("savings"), years),
            kind=kinds[0],
            key=full if saving_keys else "",
            style="total",
        )
    )
    rows.append(
        DistRow(
            "",
            _cells(annex.total("costs"), years),
            kind=kinds[1],
            key=full if cost_keys else "",
            style="total",
            first=False,
        )
    )
    columns = (KIND, KEY) if with_keys else (KIND,)
    return DistTable(caption, unit, years, rows, columns, places, role="service")


def effect_tables(
    figures: engine.Figures,
    org: Organisation,
    *,
    captions: dict[str, str],
    unit: str,
    total_label: str,
    footnote: str,
    annex: TechnicalAnnex | None = None,
) -> list[DistTable]:
    """Måltalseffekt and the two Bevillingsmæssig effekt tables (investment form), with
    the "Bevilling, profit-center mv.*" column. ``annex`` as for `service_table`."""
    annex = annex or compute_technical_annex(figures, org.key_of)
    if annex is None:
        return []
    years = figures.years
    accounts = _accounts(
        [
            _subject(figures, "permanent_service_saving", "permanent_saving"),
            _subject(figures, "permanent_service_cost", "permanent_cost"),
        ],
        org,
    )
    tables = []
    for role in ("target_effect", "appropriation_effect", "appropriation_effect_if_not"):
        values = getattr(annex, role)
        rows = [
            DistRow(org.label(key), _cells(values.get(key), years), account=accounts.get(key, ""))
            for key in org.ordered(list(values), with_units=True)
        ]
        rows.append(DistRow(total_label, _cells(annex.total(role), years), style="total"))
        tables.append(
            DistTable(captions[role], unit, years, rows, (ACCOUNT,), 0, footnote, role=role)
        )
    return tables


def subject_table(
    figures: engine.Figures,
    org: Organisation,
    subjects: tuple[str, ...],
    *,
    caption: str,
    unit: str,
    total_label: str,
    with_units: bool,
    with_keys: bool = False,
    with_account: bool = False,
    places: int = 0,
    footnote: str = "",
) -> DistTable | None:
    """One subject's distribution ("Fordeling af anlægsinvesteringer mellem udvalg", …):
    a row per committee (and unit), the engine's total last. None without it. The years
    are `finance.technical_annex.table_years`: the span, or with amounts outside it
    every year the rows hold a figure in."""
    dist = _subject(figures, *subjects)
    if dist is None:
        return None
    outside = outside_years(dist)
    values = by_row(dist, org.key_of, sorted({*figures.years, *outside}))
    # the engine's total in the span; outside it (no figure there) the rows' sum
    total = {**column_total(values, outside), **dist.total}
    years = table_years(figures.years, [*values.values(), total])
    weights = _weights(dist, org) if with_keys else {}
    accounts = _accounts([dist], org) if with_account else {}
    rows = [
        DistRow(
            org.label(key),
            _cells(values.get(key), years),
            key=_key_text(weights.get(key)) if with_keys else "",
            account=accounts.get(key, ""),
        )
        for key in org.ordered(list(values), with_units=with_units)
    ]
    rows.append(
        DistRow(
            total_label,
            _cells(total, years),
            key="100%" if weights else "",
            style="total",
        )
    )
    columns = tuple(c for c, on in ((KEY, with_keys), (ACCOUNT, with_account)) if on)
    return DistTable(caption, unit, years, rows, columns, places, footnote, role=dist.subject)


def kind_labels() -> dict[str, str]:
    return {
        KIND: "",
        KEY: pgettext("print", "Distribution key"),
        ACCOUNT: pgettext("print", "Appropriation, profit centre etc.*"),
    }
