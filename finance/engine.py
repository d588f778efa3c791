"""The computation engine for budget proposals (pure Python, Decimal only).

Money is Decimal in thousand kroner; savings are negative, costs positive.
``Amounts`` maps a year to an amount; an ABSENT year is an empty cell, which is
not the same as a printed ``Decimal(0)``.  Per-year results (``Figures``) map every
year of the proposal's span to a Decimal, or to ``None`` when no contributing line
has an amount that year.

The rules are those of ``FORMAT.md`` (budget-cases/1), in particular the payback
rule: start at the first year with any amount, extend the last year's permanent
total forever, and count the years until the cumulative net flow is negative and
stays negative.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formatting import format_amount
from .rounding import (
    QUANTA,
    as_decimal,
    common_units,
    denominator_places,
    largest_remainder,
    round_half_up,
    scaled_ints,
    tie_rank,
)
from .specifications import match_specifications, same_amounts

__all__ = [
    "AMOUNTS",
    "BASES",
    "CAPITAL",
    "COST",
    "IMPLEMENTATION",
    "IMPLEMENTATION_AREAS",
    "OPERATING",
    "OVERVIEW_KEYS",
    "PERMANENT",
    "PERMANENT_AREAS",
    "SAVING",
    "SERVICE",
    "SERVICE_SUBJECTS",
    "SUBJECTS",
    "FIELD_NAMES",
    "SUBJECT_NAMES",
    "TOTAL_LABELS",
    "TRANSFERS",
    "WEIGHTS",
    "AdminLine",
    "AllocatedDistribution",
    "AllocatedRow",
    "Amounts",
    "Case",
    "Check",
    "Distribution",
    "DistributionRow",
    "Figures",
    "Line",
    "PrintedDetail",
    "PrintedDistribution",
    "PrintedDistributionRow",
    "Specification",
    "Stated",
    "allocate_distribution",
    "check_overview",
    "compare_overview",
    "check_printed_detail",
    "check_printed_distribution",
    "compute",
    "first_year_with_amount",
    "overview_amounts",
    "overview_row",
    "payback",
    "payback_flows",
    "reconcile",
    "specification_checks",
    "specified",
    "subject_total",
    "sum_lines",
]

Amounts = Mapping[int, Decimal]
YearValues = dict[int, Decimal | None]

# Sections, kinds and areas (the strings of FORMAT.md).
PERMANENT = "permanent"
IMPLEMENTATION = "implementation"
SAVING = "saving"
COST = "cost"
SERVICE = "service"
TRANSFERS = "transfers"
CAPITAL = "capital"
OPERATING = "operating"

SECTIONS = (PERMANENT, IMPLEMENTATION)
KINDS = (SAVING, COST)
PERMANENT_AREAS = (SERVICE, TRANSFERS, CAPITAL)
IMPLEMENTATION_AREAS = (CAPITAL, SERVICE, OPERATING)

SUBJECTS = (
    "permanent_saving",
    "permanent_cost",
    "permanent",
    "permanent_service_saving",
    "permanent_service_cost",
    "implementation_capital",
    "implementation_service",
    "implementation_operating",
    "implementation",
)
# The service-only permanent subjects (extension, FORMAT.md): the investment form's
# "Effektivisering samt varige driftsomkostninger, service" splits only the permanent
# lines of area service (or none), by kind.
SERVICE_SUBJECTS = {"permanent_service_saving": SAVING, "permanent_service_cost": COST}
# What a check calls a subject ("Fordelingen af besparelser (varige) …"): the Danish
# labels of the editor (cases.forms.SUBJECT_LABELS, gettext), lower case.
SUBJECT_NAMES = {
    "permanent_saving": "besparelser (varige)",
    "permanent_cost": "omkostninger (varige)",
    "permanent": "varige ændringer (besparelser og omkostninger)",
    "permanent_service_saving": "besparelser på service (varige)",
    "permanent_service_cost": "omkostninger på service (varige)",
    "implementation_capital": "anlægsinvestering",
    "implementation_service": "serviceinvestering",
    "implementation_operating": "driftsomkostninger til implementering",
    "implementation": "implementeringsomkostninger (alle)",
}
WEIGHTS = "weights"
AMOUNTS = "amounts"
BASES = (WEIGHTS, AMOUNTS)

OVERVIEW_KEYS = (
    "investment_service",
    "investment_capital",
    "full_effect_service",
    "full_effect_transfers",
    "payback_years",
    "innovation_pool",
)

ZERO = Decimal(0)
ONE = Decimal(1)
TOTAL_LABELS = frozenset({"i alt", "total"})


# --------------------------------------------------------------------------- input


def _amounts(value: Mapping[Any, Any] | None) -> dict[int, Decimal]:
    """Normalize an amounts mapping: int years, Decimal amounts, ``None`` cells dropped.

    Year keys may be ints or digit strings (as in the JSON); floats are refused.
    """
    if not value:
        return {}
    out = {}
    for year, amount in value.items():
        if amount is None:
            continue
        if isinstance(year, bool) or not isinstance(year, int | str):
            raise TypeError(f"year must be int or str, not {type(year).__name__}: {year!r}")
        out[int(year)] = as_decimal(amount)
    return out


def _optional_decimal(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else as_decimal(value)


@dataclass(frozen=True)
class Specification:
    """One row that breaks a line down further (printed in the detail tables instead of
    the line; the rows must add up to the line, `specification_checks`)."""

    label: str
    amounts: Amounts = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "amounts", _amounts(self.amounts))


@dataclass(frozen=True)
class Line:
    """One line of "Varige ændringer" (permanent) or "Implementeringsomkostninger"."""

    section: str
    kind: str
    area: str | None
    label: str = ""
    amounts: Amounts = dataclasses.field(default_factory=dict)
    specifications: tuple[Specification, ...] = ()

    def __post_init__(self) -> None:
        if self.section not in SECTIONS:
            raise ValueError(f"unknown section {self.section!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        areas = PERMANENT_AREAS if self.section == PERMANENT else IMPLEMENTATION_AREAS
        if self.area is not None and self.area not in areas:
            raise ValueError(f"unknown area {self.area!r} for a {self.section} line")
        object.__setattr__(self, "amounts", _amounts(self.amounts))
        object.__setattr__(self, "specifications", tuple(self.specifications))

    @property
    def effective_area(self) -> str:
        """The area, with "not stated" read as service (in both sections)."""
        return self.area or SERVICE


@dataclass(frozen=True)
class AdminLine:
    """One line of "Varige ændringer, administration" (informational, not in the totals)."""

    label: str
    amounts: Amounts = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "amounts", _amounts(self.amounts))


@dataclass(frozen=True)
class DistributionRow:
    committee: str
    unit: str = ""
    weight: Decimal | None = None
    amounts: Amounts | None = None
    account: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _optional_decimal(self.weight))
        if self.amounts is not None:
            object.__setattr__(self, "amounts", _amounts(self.amounts))

    @property
    def key(self) -> tuple[str, str]:
        return (self.committee, self.unit)


@dataclass(frozen=True)
class Distribution:
    """How one subject (e.g. ``permanent_saving``) is split between committees."""

    subject: str
    basis: str
    rows: tuple[DistributionRow, ...] = ()

    def __post_init__(self) -> None:
        if self.subject not in SUBJECTS:
            raise ValueError(f"unknown distribution subject {self.subject!r}")
        if self.basis not in BASES:
            raise ValueError(f"unknown distribution basis {self.basis!r}")
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True)
class Stated:
    """Figures as PRINTED in the source document (``None`` = not printed)."""

    permanent_total: Amounts | None = None
    implementation_total: Amounts | None = None
    net_total: Amounts | None = None
    payback_years: int | None = None
    payback_years_service: int | None = None
    payback_years_total: int | None = None

    def __post_init__(self) -> None:
        for name in ("permanent_total", "implementation_total", "net_total"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _amounts(value))


@dataclass(frozen=True)
class PrintedDistributionRow:
    label: str
    row_kind: str | None = None
    key_pct: Decimal | None = None
    amounts: Amounts = dataclasses.field(default_factory=dict)
    is_total: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_pct", _optional_decimal(self.key_pct))
        object.__setattr__(self, "amounts", _amounts(self.amounts))


@dataclass(frozen=True)
class PrintedDistribution:
    """A printed "Fordeling … mellem udvalg" table, kept to check its own arithmetic."""

    caption: str
    rows: tuple[PrintedDistributionRow, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True)
class PrintedDetail:
    """A printed detail table ("Varige ændringer, service", "Serviceinvesteringer i
    forslaget", …) of a source document: its rows and total rows as printed, kept to
    check them against its own total and against the lines of its ``section``."""

    caption: str
    section: str  # PERMANENT | IMPLEMENTATION
    rows: tuple[PrintedDistributionRow, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True)
class Case:
    """One proposal's economy: the span of years, its lines and what was printed."""

    years: tuple[int, ...]
    lines: tuple[Line, ...] = ()
    admin_lines: tuple[AdminLine, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    stated: Stated | None = None
    printed_distributions: tuple[PrintedDistribution, ...] = ()
    printed_details: tuple[PrintedDetail, ...] = ()

    def __post_init__(self) -> None:
        years = tuple(sorted({int(y) for y in self.years}))
        object.__setattr__(self, "years", years)
        names = ("lines", "admin_lines", "distributions", "printed_distributions")
        for name in (*names, "printed_details"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def from_source_document(self) -> bool:
        """True when the case carries figures a source document printed (an imported
        proposal: stated totals, printed distribution or detail tables), False for one
        typed in the editor or copied from another. The Kontrolnoter's wording follows
        it: "Trykt/Beregnet" only where something was printed."""
        return bool(self.stated or self.printed_distributions or self.printed_details)


# --------------------------------------------------------------------------- checks

_FIELD_NAMES = {
    "permanent_total": "Varige ændringer i alt",
    "implementation_total": "Implementeringsomkostninger i alt",
    "net_total": "Samlet økonomisk påvirkning",
    "payback_years": "Tilbagebetalingstid",
    "payback_years_service": "Tilbagebetalingstid (serviceeffektivisering)",
    "payback_years_total": "Tilbagebetalingstid (totaløkonomi)",
    "investment_service": "Investering, service",
    "investment_capital": "Investering, anlæg",
    "full_effect_service": "Fuld effekt, service",
    "full_effect_transfers": "Fuld effekt, overførsler",
    "innovation_pool": "Innovationspuljen",
}
FIELD_NAMES = _FIELD_NAMES  # the Danish name of a checked figure (Kontrolnoter, messages)


@dataclass(frozen=True)
class Check:
    """A finding: a printed figure that does not match, or input that breaks a rule."""

    code: str
    field: str | None = None
    year: int | None = None
    stated: Any = None
    computed: Any = None
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The FORMAT.md export shape; ``None`` values are left out, Decimals kept."""
        out: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            out["field"] = self.field
        if self.year is not None:
            out["year"] = str(self.year)
        if self.stated is not None:
            out["stated"] = self.stated
        if self.computed is not None:
            out["computed"] = self.computed
        for key, value in self.detail.items():
            if value is not None and key not in out:
                out[key] = value
        return out

    @property
    def message(self) -> str:
        """A short Danish sentence for reviewers."""
        f = format_amount
        d = self.detail
        name = _FIELD_NAMES.get(self.field or "", self.field or "")
        subject = SUBJECT_NAMES.get(self.field or "", self.field or "")
        where = f" {self.year}" if self.year is not None else ""
        label = d.get("label", "")
        match self.code:
            case "stated_mismatch":
                if self.field and self.field.startswith("payback"):
                    return (
                        f"{name}: trykt {f(self.stated, empty='ingen')} år, "
                        f"beregnet {f(self.computed, empty='ingen')}"
                        + (" år" if self.computed is not None else "")
                    )
                return f"{name}{where}: trykt {f(self.stated)}, beregnet {f(self.computed)}"
            case "overview_mismatch":
                row = f"forslag {d['number']}" if d.get("number") is not None else "i alt"
                return (
                    f"Oversigten, {row}, {name.lower() or self.field}: "
                    f"trykt {f(self.stated)}, beregnet {f(self.computed)}"
                )
            case "amount_outside_span":
                if d.get("row") == "distribution":
                    return (
                        f"Fordelingen af {subject}, rækken »{label}«, har et beløb i "
                        f"{self.year}, uden for forslagets år"
                    )
                if d.get("row") == "specification":
                    return (
                        f"Specifikationen »{label}« under linjen »{d.get('line', '')}« har et "
                        f"beløb i {self.year}, uden for forslagets år"
                    )
                return f"Linjen »{label}« har et beløb i {self.year}, uden for forslagets år"
            case "line_without_amounts":
                return f"Linjen »{label}« har ingen beløb"
            case "sign_mismatch":
                kind = "besparelse" if d.get("kind") == SAVING else "omkostning"
                return (
                    f"Linjen »{label}« er en {kind}, men har fortegnet forkert "
                    f"i {self.year}: {f(self.stated)}"
                )
            case "distribution_no_weights":
                return f"Fordelingen af {subject} har ingen fordelingsnøgle (alle vægte er 0)"
            case "distribution_negative_weight":
                return f"Fordelingen af {subject} har en negativ vægt ({d.get('committee', '')})"
            case "distribution_amounts_mismatch":
                return (
                    f"Fordelingen af {subject}{where}: rækkerne giver {f(self.stated)}, "
                    f"men i alt er {f(self.computed)}"
                )
            case "specification_mismatch":
                return (
                    f"Specifikationen af »{label}« giver {f(self.stated)} i {self.year}, "
                    f"men linjen er {f(self.computed)}"
                )
            case "printed_keys_not_100":
                return (
                    f"{d.get('caption', '')}: fordelingsnøglerne summer til "
                    f"{f(d.get('sum'))} %, ikke 100 %"
                )
            case "printed_detail_mismatch":
                return (
                    f"{d.get('caption', '')}{where}: i alt er trykt {f(self.stated)}, "
                    f"rækkerne summer til {f(self.computed)}"
                )
            case "printed_detail_row_unmatched":
                return (
                    f"{d.get('caption', '')}, »{label}«{where}: trykt {f(self.stated)}, "
                    "men rækken er hverken en linje i tabel 1.1 eller en specifikation af en"
                )
            case "printed_distribution_mismatch":
                return (
                    f"{d.get('caption', '')}{where}: i alt er trykt {f(self.stated)}, "
                    f"rækkerne summer til {f(self.computed)}"
                )
            case _:
                parts = [self.code]
                if self.field:
                    parts.append(self.field)
                if self.year is not None:
                    parts.append(str(self.year))
                return " ".join(parts)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AllocatedRow:
    """One row of an allocated distribution: ``amounts`` per year of the span (what the
    figures use); ``outside`` the row's own amounts (basis "amounts") stored under years
    outside the span, as given: left out of every figure, reported as
    ``amount_outside_span`` and printed where the table shows those years."""

    committee: str
    unit: str
    account: str | None
    weight: Decimal | None
    amounts: YearValues
    outside: Mapping[int, Decimal] = dataclasses.field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.committee, self.unit)


@dataclass(frozen=True)
class AllocatedDistribution:
    subject: str
    basis: str
    rows: tuple[AllocatedRow, ...]
    total: YearValues


class Figures:
    """Everything of FORMAT.md's ``computed`` block (plus ``admin_total``): what
    ``compute`` returns.  Read-only attributes (per-year figures map every year of
    ``years`` to a Decimal, or to ``None`` where no contributing line has an amount):

    - ``years``: the proposal's span, ascending.
    - ``permanent_total``, ``implementation_total``, ``net_total``, ``cumulative_net``,
      ``admin_total`` (informational lines, not in the totals): per year.
    - ``permanent_by_area`` (service, transfers, capital), ``implementation_by_area``
      (capital, service, operating): per area, per year.
    - ``payback_years_total``, ``payback_years_service``: years, or ``None``.
    - ``full_effect`` (service, transfers, total: the last year's permanent amount, 0
      when empty) and ``investment`` (service, capital, total: implementation summed
      over the years; service includes operating): Decimals.
    - ``investment_by_year``: service (= service + operating + lines without an area)
      and capital per year, as the overview counts them; ``investment`` sums these.
    - ``savings``: the permanent lines of kind saving per year (what a sensitivity
      "savings lower / later" moves; the rest of ``permanent_total`` is the other
      permanent changes).
    - ``distributions``: ``AllocatedDistribution`` per distribution of the case.
    - ``checks``: every ``Check``, the reconciliation with the printed figures first.

    ``compute`` makes every per-year figure, full effect, investment and both paybacks
    in one pass over the years; the distributions and the checks (the split by weights,
    the checks' messages' inputs) are made together the first time either is read, and
    then kept.  A caller that reads only the sums (the overview row, the appraisal)
    pays for no more; one that reads them all gets the same values as if they were
    made at once.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Figures are read-only ({name})")

    @property
    def case(self) -> Case:
        """The case these figures were computed from (its printed tables and figures
        for the Kontrolnoter, `finance.control`)."""
        return self._case

    # the public figures, in the order of the former dataclass's fields
    FIELDS = (
        "years", "permanent_total", "permanent_by_area", "implementation_total",
        "implementation_by_area", "net_total", "cumulative_net", "payback_years_total",
        "payback_years_service", "full_effect", "investment", "distributions", "checks",
        "admin_total", "investment_by_year", "savings",
    )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        """Equal when every figure is equal (as the former dataclass compared)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable dicts inside, as before

    def __repr__(self) -> str:
        return (
            f"Figures(years={self.years!r}, payback_years_total={self.payback_years_total!r}, "
            f"payback_years_service={self.payback_years_service!r})"
        )

    def __getattr__(self, name: str) -> Any:
        """``distributions`` or ``checks`` not made yet: make both, keep them, return one.
        (Called only for a name that is not in the instance yet.)"""
        if name != "distributions" and name != "checks":
            raise AttributeError(f"'Figures' object has no attribute {name!r}")
        made = self._allocated_and_checked()
        self.__dict__.update(made)
        return made[name]

    def year_flows(
        self,
    ) -> tuple[list[Decimal | None], list[Decimal | None], list[Decimal | None]]:
        """Per position of ``years``: the savings (permanent lines of kind saving), the
        permanent total and the implementation total (``None`` = empty): the values of
        ``savings``, ``permanent_total`` and ``implementation_total`` as lists (for
        ``finance.appraisal``)."""
        return (
            list(self.savings.values()),
            list(self.permanent_total.values()),
            list(self.implementation_total.values()),
        )

    def _subject_totals(self, subject: str) -> dict[int, Decimal | None]:
        """A distribution subject's total per year (a dict in the order of ``years``;
        the caller must not change it)."""
        if subject == PERMANENT:
            return self.permanent_total
        if subject == IMPLEMENTATION:
            return self.implementation_total
        if subject == "permanent_saving":
            return self.savings  # the same sum of the same buckets
        if subject in _IMPLEMENTATION_SUBJECTS:
            return self.implementation_by_area[_IMPLEMENTATION_SUBJECTS[subject]]
        cells = self._cells
        if subject == "permanent_cost":
            buckets = [cells[1], cells[3], cells[5]]
        else:
            buckets = [cells[_SERVICE_SUBJECT_CELLS[subject]]]
        out: dict[int, Decimal | None] = dict.fromkeys(self.years)
        for bucket in buckets:
            if bucket is not None:
                for year, value in bucket.items():
                    if value is not None:
                        current = out[year]
                        out[year] = value if current is None else current + value
        return out

    def _allocated_and_checked(self) -> dict[str, Any]:
        """The distributions and every check (the distributions raise some)."""
        case = self._case
        years = self.years
        distributions: list[AllocatedDistribution] = []
        distribution_checks: list[Check] = []
        for distribution in case.distributions:
            totals = self._subject_totals(distribution.subject)
            allocated, found = _allocate_cells(distribution, totals, years)
            distributions.append(allocated)
            if found:
                distribution_checks += found
        checks = reconcile(case.stated, self)
        if self._trouble:
            checks += _line_checks(case)
        checks += distribution_checks
        for printed in case.printed_distributions:
            checks += check_printed_distribution(printed)
        for detail in case.printed_details:
            checks += check_printed_detail(detail, case.lines)
        if self._specified:
            checks += specification_checks(case.lines)
            checks += _specification_span_checks(case.lines, set(years))
        return {"distributions": tuple(distributions), "checks": tuple(checks)}


# The subjects that are one bucket of ``compute``'s sums (the others are sums of buckets).
_SERVICE_SUBJECT_CELLS = {"permanent_service_saving": 0, "permanent_service_cost": 1}
_IMPLEMENTATION_SUBJECTS = {"implementation_capital": CAPITAL,
                            "implementation_service": SERVICE,
                            "implementation_operating": OPERATING}  # fmt: skip


# --------------------------------------------------------------------------- sums


def sum_lines(lines: Iterable[Line | AdminLine], years: Sequence[int]) -> YearValues:
    """Per year of ``years``: the sum of the amounts present, ``None`` if none is."""
    out: YearValues = dict.fromkeys(years)
    for line in lines:
        for year, amount in line.amounts.items():
            if year in out:
                current = out[year]
                out[year] = amount if current is None else current + amount
    return out


def _add(a: YearValues, b: YearValues, years: Sequence[int]) -> YearValues:
    """Year-wise sum; ``None`` only where both are ``None``."""
    out: YearValues = {}
    for year in years:
        x, y = a.get(year), b.get(year)
        out[year] = None if x is None and y is None else (x or ZERO) + (y or ZERO)
    return out


def _subject_lines(lines: Iterable[Line], subject: str) -> list[Line]:
    if subject not in SUBJECTS:
        raise ValueError(f"unknown distribution subject {subject!r}")
    if subject == "permanent_saving":
        return [ln for ln in lines if ln.section == PERMANENT and ln.kind == SAVING]
    if subject == "permanent_cost":
        return [ln for ln in lines if ln.section == PERMANENT and ln.kind == COST]
    if subject in SERVICE_SUBJECTS:
        kind = SERVICE_SUBJECTS[subject]
        return [
            ln
            for ln in lines
            if ln.section == PERMANENT and ln.kind == kind and ln.effective_area == SERVICE
        ]
    if subject == PERMANENT:
        return [ln for ln in lines if ln.section == PERMANENT]
    if subject == IMPLEMENTATION:
        return [ln for ln in lines if ln.section == IMPLEMENTATION]
    area = subject.removeprefix("implementation_")
    return [ln for ln in lines if ln.section == IMPLEMENTATION and ln.effective_area == area]


def subject_total(lines: Iterable[Line], subject: str, years: Sequence[int]) -> YearValues:
    """Per-year total of the lines a distribution subject covers."""
    return sum_lines(_subject_lines(lines, subject), years)


def first_year_with_amount(case: Case) -> int | None:
    """The first year of the span in which any line has an amount (a printed 0 counts)."""
    present = {year for line in case.lines for year in line.amounts}
    return next((year for year in case.years if year in present), None)


# --------------------------------------------------------------------------- payback


def payback(
    years: Sequence[int],
    permanent_total: Mapping[int, Decimal | None],
    implementation_total: Mapping[int, Decimal | None],
    start_year: int | None,
) -> int | None:
    """Years until the cumulative net flow is negative and stays negative (FORMAT.md).

    Counting starts at ``start_year`` (= 1).  Net flow = permanent + implementation
    (empty = 0).  After the last year of ``years`` the last year's permanent total
    continues every year and implementation stops.  A cumulative of exactly 0 is not
    paid back.  ``None`` when there is no lasting saving (or no start year).
    The extension is computed arithmetically.  The rule only adds and compares, so the
    amounts may also be integers in one common unit (``finance.appraisal`` uses that).
    """
    if start_year is None:
        return None
    span = [year for year in sorted(years) if year >= start_year]
    return payback_flows(
        [permanent_total.get(year) for year in span],
        [implementation_total.get(year) for year in span],
    )


def payback_flows(permanent: Sequence[Any], implementation: Sequence[Any]) -> int | None:
    """``payback`` on the flows from the start year on: ``permanent[k]`` and
    ``implementation[k]`` are year k + 1 of the count (Decimal or int in one unit;
    ``None`` = empty = 0).  The one implementation of the rule (``compute`` counts the
    years in its pass over them and ends with ``_payback_end``)."""
    if not permanent:
        return None
    cumulative = 0
    count = 0
    last_not_negative = 0  # count of the last year whose cumulative is >= 0 (0 = none)
    for p, i in zip(permanent, implementation, strict=True):
        count += 1
        if p is not None:
            cumulative += p
        if i is not None:
            cumulative += i
        if cumulative >= 0:
            last_not_negative = count
    return _payback_end(count, cumulative, last_not_negative, permanent[-1])


def _payback_end(count: int, cumulative: Any, last_not_negative: int, last: Any) -> int | None:
    """The payback rule after ``count >= 1`` years: ``cumulative`` is the flow summed
    over them, ``last_not_negative`` the count of the last year it was >= 0 (0 = none),
    ``last`` the last year's permanent amount (``None`` = 0), which continues forever."""
    continuing = last or 0
    if continuing > 0:
        return None  # the cumulative grows without bound
    if cumulative < 0:
        return last_not_negative + 1
    if continuing == 0:
        return None  # stays at a cumulative >= 0 forever
    # cumulative >= 0, continuing < 0: the first k >= 1 with cumulative + k*continuing < 0.
    extra = cumulative // -continuing + 1
    return count + int(extra)


# --------------------------------------------------------------------------- distributions


def _row_keys(rows: Sequence[DistributionRow]) -> list[tuple[str, str, str, int]]:
    """Keys that are unique, stable and independent of the row order."""
    seen: dict[tuple[str, str, str], int] = {}
    keys = []
    for row in rows:
        base = (row.committee, row.unit, row.account or "")
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append((*base, n))
    return keys


def _check(code: str, field: str | None, year: int | None, stated: Any, computed: Any) -> Check:
    """``Check(code, field, year, stated, computed)`` (no detail): the same object the
    dataclass's ``__init__`` makes (every field set, nothing else), without its
    per-field frozen ``__setattr__`` calls."""
    made = _new(Check)
    _set(made, "__dict__", {"code": code, "field": field, "year": year, "stated": stated,
                            "computed": computed, "detail": {}})  # fmt: skip
    return made


_new = object.__new__
_set = object.__setattr__  # _set(made, "__dict__", fields): every field at once

# The denominator of a Decimal's ``as_integer_ratio`` (2**a * 5**b, up to 7 decimals) ->
# (the factor to its fewest decimals, 10**-those decimals as a Decimal).
_SCALES: dict[int, tuple[int, Decimal]] = {}
for _places in range(1, len(QUANTA)):
    for _d in range(2, 10**_places + 1):
        if 10**_places % _d == 0:
            _SCALES.setdefault(_d, (10**_places // _d, QUANTA[_places]))


def _weight_columns(
    rows: Sequence[DistributionRow],
    totals: Sequence[Decimal | None],
    int_weights: list[int] | None = None,
) -> tuple[list[Sequence[Decimal | None]], bool]:
    """Each year's split of ``totals[k]`` by the rows' weights (all >= 0): per position
    k, the rows' parts (``None`` for an empty total, ``ZERO`` for a zero total or, with
    the second value True, a non-zero total that met weights that are all zero: those
    stay empty).  ``int_weights``: the weights on their common scale, if the caller
    has them (``scaled_ints``).

    The rule of ``finance.rounding.allocate`` at the precision of each total, in
    integers: the weights are scaled once, each year's total is split in its own
    quanta (the fewest decimals that write it) by ``largest_remainder``, and each
    part is made a Decimal with exactly those decimals by one multiplication of the
    integer by the quantum.
    """
    if int_weights is None:
        int_weights = scaled_ints([row.weight or ZERO for row in rows])
    weight_sum = sum(int_weights)
    count = len(rows)
    empty: tuple[None, ...] = (None,) * count
    zeros = (ZERO,) * count
    ranks: list[list[int]] = []

    def rank() -> list[int]:  # the tie-break, made only when a tie decides
        if not ranks:
            ranks.append(tie_rank(int_weights, _row_keys(rows)))
        return ranks[0]

    no_weights = False
    columns: list[Sequence[Decimal | None]] = []
    append = columns.append
    scales = _SCALES
    for total in totals:
        if total is None:
            append(empty)
            continue
        numerator, denominator = total.as_integer_ratio()
        if not numerator:
            append(zeros)
            continue
        if not weight_sum:
            no_weights = True
            append(empty)
            continue
        if denominator == 1:
            quantum = ONE
        else:
            scale = scales.get(denominator)
            if scale is None:  # more than 7 decimals
                places = denominator_places(denominator)
                scale = (10**places // denominator, ONE.scaleb(-places))
            numerator *= scale[0]
            quantum = scale[1]
        if numerator < 0:
            parts = largest_remainder(-numerator, int_weights, weight_sum, rank)
            append([-part * quantum for part in parts])
        else:
            parts = largest_remainder(numerator, int_weights, weight_sum, rank)
            append([part * quantum for part in parts])
    return columns, no_weights


def _allocate_cells(
    distribution: Distribution, subject_totals: YearValues, years: tuple[int, ...]
) -> tuple[AllocatedDistribution, list[Check]]:
    """``allocate_distribution`` on the subject's totals: a value for every year of
    ``years``, in that order (as ``compute`` sums them; not changed)."""
    totals = list(subject_totals.values())
    checks: list[Check] = []
    rows = distribution.rows
    subject = distribution.subject
    if distribution.basis == WEIGHTS:
        int_weights = common_units([row.weight for row in rows])[0]
        if int_weights and min(int_weights) < 0:
            columns = None
            for row in rows:
                if row.weight is not None and row.weight < 0:
                    checks.append(
                        Check(
                            "distribution_negative_weight",
                            field=subject,
                            stated=row.weight,
                            detail={"committee": row.committee, "unit": row.unit},
                        )
                    )
        else:
            columns, no_weights = _weight_columns(rows, totals, int_weights)
            if no_weights:
                checks.append(Check("distribution_no_weights", field=subject))
        if columns:
            # (a column per year, a part per row: every one as long as the other)
            rows_parts = zip(*columns, strict=False)
            amounts = [dict(zip(years, parts, strict=False)) for parts in rows_parts]
        else:
            empty = _empty_span(years)
            amounts = [empty.copy() for _ in rows]
        outsides: list[Mapping[int, Decimal]] = [{} for _ in rows]
    else:
        amounts, outsides, checks = _allocate_by_amounts(rows, totals, years, subject)
    new = _new
    put = _set
    made = []
    append = made.append
    for row, row_amounts, outside in zip(rows, amounts, outsides, strict=True):
        allocated_row = new(AllocatedRow)
        put(allocated_row, "__dict__", {"committee": row.committee, "unit": row.unit,
                                        "account": row.account, "weight": row.weight,
                                        "amounts": row_amounts,
                                        "outside": outside})  # fmt: skip
        append(allocated_row)
    allocated = new(AllocatedDistribution)
    put(allocated, "__dict__", {"subject": subject, "basis": distribution.basis,
                                "rows": tuple(made),
                                "total": subject_totals.copy()})  # fmt: skip
    return allocated, checks


def _allocate_by_amounts(
    rows: Sequence[DistributionRow],
    totals: Sequence[Decimal | None],
    years: tuple[int, ...],
    subject: str,
) -> tuple[list[YearValues], list[Mapping[int, Decimal]], list[Check]]:
    """Basis ``amounts``: each row keeps its own amounts (inside the span), per year
    of ``years``, and apart from them those it holds outside the span (``outside``,
    each reported as ``amount_outside_span``, as a line's are);
    ``distribution_amounts_mismatch`` for every year in which the rows do not add up
    to the total (``totals[k]`` for ``years[k]``; an empty cell counts as 0; never
    adjusted). Returns (amounts per row, outside amounts per row, checks)."""
    empty = _empty_span(years)
    n = len(empty)
    amounts: list[YearValues] = []
    outsides: list[Mapping[int, Decimal]] = []
    checks: list[Check] = []
    for row in rows:
        row_amounts: YearValues = empty.copy()
        given = row.amounts
        outside: Mapping[int, Decimal] = {}
        if given:
            row_amounts.update(given)
            if len(row_amounts) != n:  # amounts outside the span are kept apart
                row_amounts = empty.copy()
                row_amounts.update((y, a) for y, a in given.items() if y in empty)
                outside = {y: a for y, a in sorted(given.items()) if y not in empty}
                label = row.unit or row.committee
                checks += [
                    Check(
                        "amount_outside_span",
                        field=subject,
                        year=year,
                        stated=amount,
                        detail={"label": label, "row": "distribution"},
                    )
                    for year, amount in outside.items()
                ]
        amounts.append(row_amounts)
        outsides.append(outside)
    # per year, the rows' amounts (as sum(present, ZERO) adds them; None if none is)
    per_year = zip(*[row_amounts.values() for row_amounts in amounts], strict=True)
    if not amounts:
        per_year = iter([()] * len(years))
    for year, total, present in zip(years, totals, per_year, strict=True):
        try:
            row_sum = sum(present, ZERO)
        except TypeError:  # an empty cell
            present = [amount for amount in present if amount is not None]
            row_sum = sum(present, ZERO) if present else None
        if not present:
            row_sum = None
        if (row_sum or ZERO) != (total or ZERO):
            checks.append(_check("distribution_amounts_mismatch", subject, year, row_sum, total))
    return amounts, outsides, checks


def allocate_distribution(
    distribution: Distribution,
    subject_total: Mapping[int, Decimal | None],
    years: Sequence[int],
) -> tuple[AllocatedDistribution, list[Check]]:
    """Allocate a subject's per-year totals to the distribution's rows.

    Basis ``weights``: each year's total is split with ``allocate`` at the precision of
    that total; rows add up exactly.  Basis ``amounts``: the rows' own amounts are kept
    and every year in which they do not add up to the total is reported
    (``distribution_amounts_mismatch``), never adjusted.
    """
    get = subject_total.get
    return _allocate_cells(distribution, {year: get(year) for year in years}, tuple(years))


def _is_zero_or_empty(row: PrintedDistributionRow) -> bool:
    return all(amount == 0 for amount in row.amounts.values())


def check_printed_distribution(printed: PrintedDistribution) -> list[Check]:
    """Check a printed distribution table's own arithmetic, group by group (row_kind).

    ``printed_keys_not_100``: the non-total rows all print a key and the keys do not
    add up to 100 (a group whose keys are all 0 and whose amounts are all 0 or empty
    distributes nothing and is not reported).  ``printed_distribution_mismatch``: in a
    year, the non-total rows do not add up to the group's printed total row.
    """
    checks: list[Check] = []
    groups: dict[str | None, list[PrintedDistributionRow]] = {}
    for row in printed.rows:
        groups.setdefault(row.row_kind, []).append(row)
    for row_kind, group in groups.items():
        members = [row for row in group if not row.is_total]
        totals = [row for row in group if row.is_total]
        keys = [row.key_pct for row in members]
        if members and all(key is not None for key in keys):
            key_sum = sum(keys, ZERO)
            nothing = key_sum == 0 and all(_is_zero_or_empty(row) for row in members)
            if key_sum != 100 and not nothing:
                checks.append(
                    Check(
                        "printed_keys_not_100",
                        detail={"caption": printed.caption, "row_kind": row_kind, "sum": key_sum},
                    )
                )
        for total_row in totals:
            checks += _total_checks(
                "printed_distribution_mismatch",
                members,
                total_row,
                {"caption": printed.caption, "row_kind": row_kind},
            )
    return checks


def _total_checks(
    code: str,
    members: Sequence[PrintedDistributionRow],
    total_row: PrintedDistributionRow,
    detail: dict[str, Any],
) -> list[Check]:
    """``code`` for every year in which the printed rows do not add up to the printed
    total row (an empty cell counts as 0; ``computed`` is the rows' sum)."""
    checks = []
    years = sorted({year for row in members for year in row.amounts} | set(total_row.amounts))
    for year in years:
        present = [row.amounts[year] for row in members if year in row.amounts]
        row_sum = sum(present, ZERO) if present else None
        stated = total_row.amounts.get(year)
        if (row_sum or ZERO) != (stated or ZERO):
            checks.append(Check(code, year=year, stated=stated, computed=row_sum, detail=detail))
    return checks


def check_printed_detail(printed: PrintedDetail, lines: Iterable[Line]) -> list[Check]:
    """Check a printed detail table against itself and against the lines.

    ``printed_detail_mismatch``: in a year, the rows do not add up to the printed total
    row (innovation 2020 BC11: 550 printed, the rows give 650).
    ``printed_detail_row_unmatched``: a row that is neither a line of the table's section
    nor a specification row of one, in every year it prints (BC11: "Digitale projekt
    kompetencer KEID" 150/150/75 where table 1.1 has 225/225): the table disagrees with
    the proposal's economy, and the print shows the lines (an empty cell counts as 0).
    """
    checks: list[Check] = []
    members = [row for row in printed.rows if not row.is_total]
    caption = {"caption": printed.caption}
    for total_row in (row for row in printed.rows if row.is_total):
        checks += _total_checks("printed_detail_mismatch", members, total_row, caption)
    own = [line for line in lines if line.section == printed.section]
    known = [line.amounts for line in own] + [s.amounts for ln in own for s in ln.specifications]
    unknown = [
        i
        for i, row in enumerate(members)
        if any(row.amounts.values()) and not any(same_amounts(row.amounts, k) for k in known)
    ]
    # rows that together add up to a line without specifications break it down (as the
    # import reads them: `specifications.match_specifications`)
    plain = [line.amounts for line in own if not line.specifications]
    found = match_specifications(plain, [members[i].amounts for i in unknown])
    parts = {unknown[j] for indexes in found.values() for j in indexes}
    for i in unknown:
        if i in parts:
            continue
        row = members[i]
        for year, amount in sorted(row.amounts.items()):
            checks.append(
                Check(
                    "printed_detail_row_unmatched",
                    field=printed.section,
                    year=year,
                    stated=amount,
                    detail={**caption, "label": row.label},
                )
            )
    return checks


# --------------------------------------------------------------------------- reconciliation


def _compare_years(name: str, printed: Amounts, computed: YearValues) -> list[Check]:
    checks = []
    for year in sorted(set(printed) | {y for y, v in computed.items() if v}):
        stated = printed.get(year)
        value = computed.get(year)
        if stated is None:
            if value:  # computed non-zero, print left empty
                checks.append(Check("stated_mismatch", field=name, year=year, computed=value))
        elif stated != (value or ZERO):
            checks.append(
                Check("stated_mismatch", field=name, year=year, stated=stated, computed=value)
            )
    return checks


def reconcile(stated: Stated | None, figures: Figures) -> list[Check]:
    """Compare the printed figures with the computed ones (only fields that are printed).

    A printed year that differs from the computed value (computed ``None`` counts as
    0 and is reported as ``None``) and a year with a computed non-zero value that the
    print leaves empty are ``stated_mismatch``.  ``payback_years`` (the old single
    "Break Even") is compared with the total variant.
    """
    if stated is None:
        return []
    checks: list[Check] = []
    for name in ("permanent_total", "implementation_total", "net_total"):
        printed = getattr(stated, name)
        if printed is not None:
            checks.extend(_compare_years(name, printed, getattr(figures, name)))
    payback_total = figures.payback_years_total
    for name, computed in (
        ("payback_years", payback_total),
        ("payback_years_service", figures.payback_years_service),
        ("payback_years_total", payback_total),
    ):
        printed = getattr(stated, name)
        if printed is not None and printed != computed:
            checks.append(_check("stated_mismatch", name, None, printed, computed))
    return checks


def specification_checks(lines: Iterable[Line]) -> list[Check]:
    """``specification_mismatch``: a year in which a line's specification rows do not
    add up to the line (an empty cell counts as 0; nothing is adjusted)."""
    checks: list[Check] = []
    for line in lines:
        if not line.specifications:
            continue
        years = set(line.amounts)
        for spec in line.specifications:
            years |= set(spec.amounts)
        for year in sorted(years):
            parts = [s.amounts[year] for s in line.specifications if year in s.amounts]
            total = sum(parts, ZERO) if parts else None
            if (total or ZERO) != line.amounts.get(year, ZERO):
                checks.append(
                    Check(
                        "specification_mismatch",
                        field=line.section,
                        year=year,
                        stated=total,
                        computed=line.amounts.get(year),
                        detail={"label": line.label},
                    )
                )
    return checks


def specified(lines: Iterable[Line | AdminLine]) -> list[Line | AdminLine | Specification]:
    """The rows a detail table shows, on the proposal page, in the editor's preview and
    in the print alike: each line, or its specification rows in its place when they add
    up to it in every year (``[Line | AdminLine | Specification]``, in order). Where
    they do not, the line itself is shown (so the table adds up to its total row) and
    `specification_checks` reports the specification in the Kontrolnoter. Source: the
    printed annexes (investment 2021 BC11 prints "Kontanthjælp", "Førtidspension",
    "Øvrige LAS-ydelser" in place of "Sociale ydelser (BIF)")."""
    out: list[Line | AdminLine | Specification] = []
    for line in lines:
        specs = getattr(line, "specifications", ())  # an AdminLine has none
        if specs and not specification_checks([line]):
            out += specs
        else:
            out.append(line)
    return out


def _specification_span_checks(lines: Iterable[Line], span) -> list[Check]:
    """``amount_outside_span`` for each amount a specification row holds outside the
    span (``span``: a set of years), as for its line."""
    return [
        Check(
            "amount_outside_span",
            field=line.section,
            year=year,
            stated=amount,
            detail={"label": spec.label, "line": line.label, "row": "specification"},
        )
        for line in lines
        for spec in line.specifications
        for year, amount in sorted(spec.amounts.items())
        if year not in span
    ]


def _line_checks(case: Case) -> list[Check]:
    span = set(case.years)
    checks: list[Check] = []
    for line in case.lines:
        if not line.amounts:
            checks.append(
                Check("line_without_amounts", field=line.section, detail={"label": line.label})
            )
        for year in sorted(line.amounts):
            amount = line.amounts[year]
            if year not in span:
                checks.append(
                    Check(
                        "amount_outside_span",
                        field=line.section,
                        year=year,
                        stated=amount,
                        detail={"label": line.label},
                    )
                )
            if (line.kind == SAVING and amount > 0) or (line.kind == COST and amount < 0):
                checks.append(
                    Check(
                        "sign_mismatch",
                        field=line.section,
                        year=year,
                        stated=amount,
                        detail={"label": line.label, "kind": line.kind},
                    )
                )
    for admin in case.admin_lines:
        for year in sorted(admin.amounts):
            if year not in span:
                checks.append(
                    Check(
                        "amount_outside_span",
                        field="admin",
                        year=year,
                        stated=admin.amounts[year],
                        detail={"label": admin.label},
                    )
                )
    return checks


# --------------------------------------------------------------------------- compute


# Where a line's amounts are summed: permanent lines by area and kind (the subjects
# "permanent_saving"/"permanent_cost" need the kind), implementation lines by area.
_PERMANENT_BUCKETS = {(SERVICE, SAVING): 0, (SERVICE, COST): 1, (TRANSFERS, SAVING): 2,
                      (TRANSFERS, COST): 3, (CAPITAL, SAVING): 4, (CAPITAL, COST): 5}  # fmt: skip
_IMPLEMENTATION_BUCKETS = {CAPITAL: 6, SERVICE: 7, OPERATING: 8}
_BUCKET = {
    **{(PERMANENT, kind, area): _PERMANENT_BUCKETS[area or SERVICE, kind]
       for kind in KINDS for area in (*PERMANENT_AREAS, None)},
    **{(IMPLEMENTATION, kind, area): _IMPLEMENTATION_BUCKETS[area or SERVICE]
       for kind in KINDS for area in (*IMPLEMENTATION_AREAS, None)},
}  # fmt: skip

# the same, looked up by section, then kind, then area
_BUCKET_OF: dict[str, dict[str, dict[str | None, int]]] = {}
for (_section, _kind, _area), _bucket in _BUCKET.items():
    _BUCKET_OF.setdefault(_section, {}).setdefault(_kind, {})[_area] = _bucket

_EMPTY_SPANS: dict[tuple[int, ...], dict[int, None]] = {}


def _empty_span(years: tuple[int, ...]) -> dict[int, None]:
    """``dict.fromkeys(years)``, kept per span (proposals share spans) to be copied:
    never changed itself."""
    empty = _EMPTY_SPANS.get(years)
    if empty is None:
        if len(_EMPTY_SPANS) > 256:
            _EMPTY_SPANS.clear()
        empty = _EMPTY_SPANS[years] = dict.fromkeys(years)
    return empty


def compute(case: Case) -> Figures:
    """All computed figures and checks of one proposal.

    One pass over the amounts sums each line into its bucket (section, area, kind: a
    dict per year, the first line of a bucket copied in at once); one pass over the
    years makes every total, area sum, the net flow and its running sum, both
    paybacks, the full effect and the investment from the buckets.  Every figure is
    the exact Decimal sum of the same amounts as ``sum_lines`` over the lines (value
    and exponent: an exact sum does not depend on the order of its terms).  The sums
    stay Decimal: an exact Decimal addition costs less than converting an amount to an
    integer and back (measured in benchmarks/engine.py), and keeps each sum's
    decimals as ``sum_lines`` gives them.  Integers are used where the arithmetic is
    more than adding: the largest-remainder split, made with the checks when either is
    first read.  The rules are FORMAT.md's (budget-cases/1).
    """
    years = case.years
    empty = _empty_span(years)
    span = empty.keys()
    n = len(empty)
    cells: list[dict[int, Decimal | None] | None] = [None] * 9
    trouble = False  # a line with a finding (empty, outside the span, wrong sign)
    specified = False  # a line with specification rows
    bucket_of = _BUCKET_OF
    for line in case.lines:
        amounts = line.amounts
        if line.specifications:
            specified = True
        if not amounts:
            trouble = True
            continue
        kind = line.kind
        b = bucket_of[line.section][kind][line.area]
        row = cells[b]
        if row is None:  # the bucket's first line: its amounts as they are
            row = cells[b] = empty.copy()
            row.update(amounts)
            if len(row) != n:  # years outside the span are left out
                trouble = True
                row = cells[b] = empty.copy()
                row.update((y, a) for y, a in amounts.items() if y in span)
        elif amounts.keys() <= span:
            for year, amount in amounts.items():
                current = row[year]
                row[year] = amount if current is None else current + amount
        else:
            trouble = True
            for year, amount in amounts.items():
                if year in row:
                    current = row[year]
                    row[year] = amount if current is None else current + amount
        if kind == SAVING:
            if max(amounts.values()) > ZERO:
                trouble = True
        elif min(amounts.values()) < ZERO:
            trouble = True
    admin = empty.copy()
    for admin_line in case.admin_lines:
        for year, amount in admin_line.amounts.items():
            if year not in admin:
                trouble = True
                continue
            current = admin[year]
            admin[year] = amount if current is None else current + amount

    # per year, from the buckets (an absent bucket reads as empty)
    permanent: YearValues = {}
    implementation: YearValues = {}
    service: YearValues = {}
    transfers: YearValues = {}
    capital: YearValues = {}
    savings: YearValues = {}
    invest_service: YearValues = {}
    net: YearValues = {}
    cumulative: YearValues = {}
    running: Decimal | None = None  # the running net flow (cumulative_net)
    service_running: Decimal = ZERO  # the running flow of the service payback
    count = 0  # years counted from the start year (the first with any amount)
    total_not_negative = service_not_negative = 0  # count of the last year >= 0
    invested_service = invested_capital = ZERO
    p = s = t = None
    c0, c1, c2, c3, c4, c5, c6, c7, c8 = cells  # (a bucket is None or has every year)
    for year, a0, a1, a2, a3, a4, a5, a6, a7, a8 in zip(
        years,
        (c0 or empty).values(), (c1 or empty).values(), (c2 or empty).values(),
        (c3 or empty).values(), (c4 or empty).values(), (c5 or empty).values(),
        (c6 or empty).values(), (c7 or empty).values(), (c8 or empty).values(),
        strict=False,
    ):  # fmt: skip
        s = a0 if a1 is None else a1 if a0 is None else a0 + a1
        t = a2 if a3 is None else a3 if a2 is None else a2 + a3
        c = a4 if a5 is None else a5 if a4 is None else a4 + a5
        p = s
        if t is not None:
            p = t if p is None else p + t
        if c is not None:
            p = c if p is None else p + c
        i = a6
        if a7 is not None:
            i = a7 if i is None else i + a7
        if a8 is not None:
            i = a8 if i is None else i + a8
        saved = a0
        if a2 is not None:
            saved = a2 if saved is None else saved + a2
        if a4 is not None:
            saved = a4 if saved is None else saved + a4
        service[year] = s
        transfers[year] = t
        capital[year] = c
        permanent[year] = p
        implementation[year] = i
        savings[year] = saved
        if a7 is None and a8 is None:
            invest_service[year] = None
        else:
            invest_service[year] = (a7 or ZERO) + (a8 or ZERO)
        if a7 is not None:  # (each amount as it is: a 0.00 keeps its decimals)
            invested_service += a7
        if a8 is not None:
            invested_service += a8
        if a6 is not None:
            invested_capital += a6
        if p is None and i is None:
            net[year] = None
            if count:
                count += 1
                if running >= ZERO:  # type: ignore[operator]
                    total_not_negative = count
                if service_running >= ZERO:
                    service_not_negative = count
        else:
            value = (p or ZERO) + (i or ZERO)
            net[year] = value
            running = (running or ZERO) + value  # (the digits of a running sum)
            count += 1
            if running >= ZERO:
                total_not_negative = count
            if s is not None:
                service_running += s
            if i is not None:
                service_running += i
            if service_running >= ZERO:
                service_not_negative = count
        cumulative[year] = running
    if count:
        paybacks = (
            _payback_end(count, running, total_not_negative, p),
            _payback_end(count, service_running, service_not_negative, s),
        )
    else:
        paybacks = (None, None)
    impl_capital = c6 if c6 is not None else empty.copy()
    impl_service = c7 if c7 is not None else empty.copy()
    impl_operating = c8 if c8 is not None else empty.copy()
    figures = _new(Figures)
    _set(
        figures,
        "__dict__",
        {
            "years": years,
            "permanent_total": permanent,
            "permanent_by_area": {SERVICE: service, TRANSFERS: transfers, CAPITAL: capital},
            "implementation_total": implementation,
            "implementation_by_area": {
                CAPITAL: impl_capital,
                SERVICE: impl_service,
                OPERATING: impl_operating,
            },
            "net_total": net,
            "cumulative_net": cumulative,
            "payback_years_total": paybacks[0],
            "payback_years_service": paybacks[1],
            "full_effect": {SERVICE: s or ZERO, TRANSFERS: t or ZERO, "total": p or ZERO},
            "investment": {
                SERVICE: invested_service,
                CAPITAL: invested_capital,
                "total": invested_service + invested_capital,
            },
            "admin_total": admin,
            "investment_by_year": {SERVICE: invest_service, CAPITAL: impl_capital},
            "savings": savings,
            "_case": case,
            "_cells": cells,
            "_trouble": trouble,
            "_specified": specified,
        },
    )
    return figures


# --------------------------------------------------------------------------- overview


def _mio(value: Decimal) -> Decimal:
    """Thousand kroner -> million kroner with one decimal, half up."""
    return round_half_up(value / 1000, 1)


def overview_amounts(figures: Figures) -> dict[str, Decimal]:
    """The amounts of a proposal's overview row before rounding, in 1.000 kr., exact
    (full effects positive for savings; ``innovation_pool`` is the whole investment):
    what ``overview_row`` prints in mio. kr., and what a conversion to another p/l
    starts from."""
    return {
        "investment_service": figures.investment[SERVICE],
        "investment_capital": figures.investment[CAPITAL],
        "full_effect_service": -figures.full_effect[SERVICE],
        "full_effect_transfers": -figures.full_effect[TRANSFERS],
        "innovation_pool": figures.investment["total"],
    }


def overview_row(figures: Figures) -> dict[str, Decimal | int | None]:
    """The proposal's row of a catalogue overview table ("mio. kr.", one decimal).

    Full effects are printed positive for savings; ``payback_years`` is the service
    variant; ``innovation_pool`` is the whole investment.
    """
    amounts = overview_amounts(figures)
    return {
        "investment_service": _mio(amounts["investment_service"]),
        "investment_capital": _mio(amounts["investment_capital"]),
        "full_effect_service": _mio(amounts["full_effect_service"]),
        "full_effect_transfers": _mio(amounts["full_effect_transfers"]),
        "payback_years": figures.payback_years_service,
        "innovation_pool": _mio(amounts["innovation_pool"]),
    }


def check_overview(printed_row: Mapping[str, Any], figures: Figures, number: Any) -> list[Check]:
    """Compare a printed overview row with ``overview_row`` (keys present and not None)."""
    return compare_overview(printed_row, overview_row(figures), number)


def compare_overview(
    printed_row: Mapping[str, Any], computed: Mapping[str, Any], number: Any
) -> list[Check]:
    """``overview_mismatch`` for each key of a printed overview row (present and not
    None) that differs from the computed row (``overview_row``, or ``overview_total``
    for the total row, ``number`` None)."""
    checks = []
    for key in OVERVIEW_KEYS:
        printed = printed_row.get(key)
        if printed is None:
            continue
        if key == "payback_years":
            stated: Any = printed
            equal = printed == computed.get(key)
        else:
            stated = as_decimal(printed)
            equal = stated == computed.get(key)
        if not equal:
            checks.append(
                Check(
                    "overview_mismatch",
                    field=key,
                    stated=stated,
                    computed=computed.get(key),
                    detail={"number": number},
                )
            )
    return checks
