"""Benchmark of finance.engine.compute (and finance.appraisal) on synthetic proposals.

Run: .venv/bin/python benchmarks/engine.py [--proposals 10000] [--runs 5] [--seed 2021]
[--before]  (--before: also the former implementations, the tests' oracles, same runs)
[--phases]  (--phases: where the engine's time goes, per proposal, and what it is made of)
Builds the proposals once (deterministic, seeded), checks that ``compute`` and a minimal
direct Decimal computation of the same outputs (``reference``) agree on every one, then
times, over all of them and ``--runs`` times, interleaved so that all see the same load
on a shared machine: the reference; the engine with every figure read (the headline:
``Figures`` builds most figures on first use, so ``compute`` alone is not the work); the
engine as the stored summary reads it; ``compute`` alone; the engine with the appraisal
of issue 14.  Prints the medians (wall and process CPU) and each one's ratio to the
reference, then a summary: the engine with every figure read beside the reference and
issue 13's goal (0.5 s per 10,000 proposals); the engine with every appraisal figure as
a ratio to "the figure before this issue" (issue 14) = the engine without the appraisal,
every figure read, measured in the same run, beside the limit of 20 %; the same for the
stored summary's reads + present value; and the p/l conversion's ratio to the engine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import finance.engine  # noqa: E402
from committees.reference_data import GENERAL_PL_RISE_PCT  # noqa: E402
from finance.appraisal import Appraisal, Scenario, appraise, base_scenario  # noqa: E402
from finance.engine import (  # noqa: E402
    WEIGHTS,
    Case,
    Distribution,
    DistributionRow,
    Figures,
    Line,
    Stated,
    compute,
    overview_row,
)
from finance.prices import SERVICE_SERIES, chain_index, convert_case  # noqa: E402
from finance.rounding import largest_remainder  # noqa: E402

COMMITTEES = ("ØU", "KFU", "BUU", "SUD", "SOU", "TMU", "BIU")
PERMANENT_AREAS = ("service", "transfers", "capital", None)
IMPLEMENTATION_AREAS = ("capital", "service", "operating", None)


def amount(rnd: random.Random, low: int, high: int) -> Decimal:
    """An integer amount, or now and then one with two decimals."""
    if rnd.random() < 0.2:
        return Decimal(rnd.randint(low * 100, high * 100)).scaleb(-2)
    return Decimal(rnd.randint(low, high))


def synthetic_case(rnd: random.Random) -> Case:
    first = rnd.randint(2016, 2024)
    years = tuple(range(first, first + 6))
    lines = []
    for i in range(rnd.randint(8, 12)):
        if i % 3 == 2:
            start = rnd.randint(0, 2)
            lines.append(
                Line(
                    "implementation",
                    "cost",
                    rnd.choice(IMPLEMENTATION_AREAS),
                    f"Implementering {i}",
                    {y: amount(rnd, 0, 3000) for y in years[start : start + rnd.randint(1, 3)]},
                )
            )
        else:
            saving = rnd.random() < 0.7
            start = rnd.randint(0, 2)
            lines.append(
                Line(
                    "permanent",
                    "saving" if saving else "cost",
                    rnd.choice(PERMANENT_AREAS),
                    f"Varig ændring {i}",
                    {
                        y: amount(rnd, -2000, 0) if saving else amount(rnd, 0, 800)
                        for y in years[start:]
                    },
                )
            )
    committees = rnd.sample(COMMITTEES, rnd.randint(2, 6))
    weights = Distribution(
        "permanent",
        "weights",
        tuple(DistributionRow(c, weight=amount(rnd, 0, 100000)) for c in committees),
    )
    # basis "amounts": an even split by hand (so some years do not add up: checks)
    subject = [ln for ln in lines if ln.section == "implementation"]
    per_year = {
        y: sum((ln.amounts.get(y, Decimal(0)) for ln in subject), Decimal(0)) for y in years
    }
    amounts = Distribution(
        "implementation",
        "amounts",
        tuple(
            DistributionRow(c, amounts={y: (v / len(committees)).quantize(Decimal(1))
                                        for y, v in per_year.items()})
            for c in committees
        ),
    )  # fmt: skip
    stated = Stated(payback_years_total=rnd.randint(1, 8))
    return Case(years=years, lines=tuple(lines), distributions=(weights, amounts), stated=stated)


# --------------------------------------------------------------------------- reference

ZERO = Decimal(0)


def reference(case: Case) -> tuple:
    """A minimal, direct Decimal computation of the same outputs as ``compute``.

    No classes, no messages: per-year sums by area, totals, net, cumulative, both
    paybacks, full effect, investment, the distributions (largest remainder) and the
    (code, field, year) of every check.  ``verify`` asserts it equals ``compute``.
    """
    years = case.years
    span = set(years)

    def cells(lines):
        out = dict.fromkeys(years)
        for ln in lines:
            for y, a in ln.amounts.items():
                if y in span:
                    out[y] = a if out[y] is None else out[y] + a
        return out

    def plus(a, b):
        return {y: None if a[y] is None and b[y] is None else (a[y] or ZERO) + (b[y] or ZERO)
                for y in years}  # fmt: skip

    perm = [ln for ln in case.lines if ln.section == "permanent"]
    impl = [ln for ln in case.lines if ln.section == "implementation"]
    perm_area = {a: cells([ln for ln in perm if (ln.area or "service") == a])
                 for a in ("service", "transfers", "capital")}  # fmt: skip
    impl_area = {a: cells([ln for ln in impl if (ln.area or "service") == a])
                 for a in ("capital", "service", "operating")}  # fmt: skip
    perm_total, impl_total = cells(perm), cells(impl)
    net = plus(perm_total, impl_total)
    cumulative, running = {}, None
    for y in years:
        if net[y] is not None:
            running = (running or ZERO) + net[y]
        cumulative[y] = running
    start = next((y for y in years if net[y] is not None), None)

    def payback(permanent):
        if start is None:
            return None
        total, count, last_not_negative = ZERO, 0, 0
        for y in years:
            if y >= start:
                count += 1
                total += (permanent[y] or ZERO) + (impl_total[y] or ZERO)
                if total >= 0:
                    last_not_negative = count
        going_on = permanent[years[-1]] or ZERO
        if going_on > 0 or (going_on == 0 and total >= 0):
            return None
        if total < 0:
            return last_not_negative + 1
        return count + int(total // -going_on) + 1

    def over(values):
        return sum((v for v in values.values() if v is not None), ZERO)

    last = years[-1]
    full_effect = {"service": perm_area["service"][last] or ZERO,
                   "transfers": perm_area["transfers"][last] or ZERO,
                   "total": perm_total[last] or ZERO}  # fmt: skip
    inv_service = over(impl_area["service"]) + over(impl_area["operating"])
    inv_capital = over(impl_area["capital"])
    checks = []
    for ln in case.lines:
        for y, a in sorted(ln.amounts.items()):
            if (ln.kind == "saving" and a > 0) or (ln.kind == "cost" and a < 0):
                checks.append(("sign_mismatch", ln.section, y))
    subjects = {"permanent": perm_total, "implementation": impl_total}
    allocated = []
    for d in case.distributions:
        total = subjects[d.subject]
        if d.basis == "weights":
            weights = [row.weight for row in d.rows]
            rows = [dict.fromkeys(years) for _ in d.rows]
            for y in years:
                if total[y] is None:
                    continue
                places = max(0, -total[y].normalize().as_tuple().exponent)
                units = int(abs(total[y]).scaleb(places))
                # floor and remainder of each share units * w / sum(weights), exact (the
                # remainders share one denominator, so they compare exactly)
                weight_sum = sum(weights)
                shares = [divmod(units * w, weight_sum) for w in weights]
                parts = [int(q) for q, _r in shares]
                order = sorted(
                    range(len(parts)),
                    key=lambda i: (-shares[i][1], -weights[i], str(d.rows[i].committee)),
                )
                for i in order[: units - sum(parts)]:
                    parts[i] += 1
                for row, part in zip(rows, parts, strict=True):
                    row[y] = (part if total[y] > 0 else -part) * Decimal(1).scaleb(-places)
            allocated.append(rows)
        else:
            for y in years:
                row_sum = sum((r.amounts.get(y, ZERO) for r in d.rows), ZERO)
                if row_sum != (total[y] or ZERO):
                    checks.append(("distribution_amounts_mismatch", d.subject, y))
            allocated.append([dict(r.amounts) for r in d.rows])
    pb_total, pb_service = payback(perm_total), payback(perm_area["service"])
    if case.stated and case.stated.payback_years_total not in (None, pb_total):
        checks.insert(0, ("stated_mismatch", "payback_years_total", None))
    return (perm_area, impl_area, perm_total, impl_total, net, cumulative, pb_total, pb_service,
            full_effect, {"service": inv_service, "capital": inv_capital,
                          "total": inv_service + inv_capital}, allocated, checks)  # fmt: skip


def outputs(figures) -> tuple:
    """``compute``'s figures in the shape of ``reference``."""
    allocated = []
    for d in figures.distributions:
        rows = [dict(r.amounts) for r in d.rows]
        allocated.append(rows if d.basis == "weights" else
                         [{y: v for y, v in r.items() if v is not None} for r in rows])  # fmt: skip
    return (figures.permanent_by_area, figures.implementation_by_area, figures.permanent_total,
            figures.implementation_total, figures.net_total, figures.cumulative_net,
            figures.payback_years_total, figures.payback_years_service, figures.full_effect,
            figures.investment, allocated,
            [(c.code, c.field, c.year) for c in figures.checks])  # fmt: skip


def verify(cases: list[Case]) -> None:
    """The reference and the engine agree on every case (else the ratio means nothing)."""
    for number, case in enumerate(cases):
        expected, got = reference(case), outputs(compute(case))
        if expected != got:
            raise SystemExit(f"reference and engine differ on proposal {number}")


def read_all(figures) -> None:
    """Read every figure of ``Figures`` (the page, the PDF, Excel and the export do):
    ``compute`` builds most of them on first use, so timing ``compute`` alone would
    leave that work out."""
    for name in Figures.FIELDS:
        getattr(figures, name)


def engine_all(case: Case) -> None:
    """The engine with every figure read: what ``reference`` computes."""
    read_all(compute(case))


def summary_reads(figures) -> None:
    """What the stored summary reads (review.summaries: the overview row, both paybacks,
    the full effect and investment totals, the number of checks, the committees'
    allocated shares)."""
    overview_row(figures)
    figures.payback_years_total, len(figures.checks), figures.distributions


def engine_summary(case: Case) -> None:
    """The engine as the stored summary reads it."""
    summary_reads(compute(case))


def with_appraisal(case: Case) -> None:
    """The engine and the new figures of issue 14 (present value at FM's rate over 10
    years, discounted payback, the three sensitivity scenarios, four switching values),
    every figure of both read: the proposal page."""
    figures = compute(case)
    read_all(figures)
    appraisal = appraise(figures)
    for name in Appraisal.FIELDS:
        getattr(appraisal, name)


def summary_and_npv(case: Case) -> Scenario:
    """The stored summary's reads with its present value and discounted payback
    (review.summaries: ``base_scenario``; what a list or the portfolio ranks by)."""
    figures = compute(case)
    summary_reads(figures)
    return base_scenario(figures)


# a p/l index (Økonomistyrelsen's general rise, 2010 = 100; committees.reference_data)
INDEXES = {SERVICE_SERIES: chain_index(GENERAL_PL_RISE_PCT, 2010)}


def with_conversion(case: Case) -> None:
    """The engine on the case converted from 2021 to 2024 p/l (issue 14, "Vis i 2024
    p/l": finance.prices.convert_case, then compute), every figure read."""
    read_all(compute(convert_case(case, INDEXES, 2021, 2024)))


GOAL_SECONDS_PER_10K = 0.5  # issue 13: the engine at 10,000 proposals, every figure
APPRAISAL_LIMIT = 0.20  # issue 14: within 20 % of the engine before the appraisal


def verdict(value: float, limit: float, unit: str = "s") -> str:
    """'met' or by how much the limit is missed (factor over it)."""
    if value <= limit:
        return f"met ({value / limit:.2f} of the limit)"
    return f"MISSED: {value / limit:.2f} times the limit ({value - limit:+.3f} {unit} over it)"


def timed(function, cases) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of ``function`` over all cases."""
    wall, cpu = time.perf_counter(), time.process_time()
    for case in cases:
        function(case)
    return time.perf_counter() - wall, time.process_time() - cpu


TIMED = (
    ("reference", "reference (minimal Decimal computation of every figure)", reference),
    ("engine", "engine, every figure read", engine_all),
    ("summary", "engine, the stored summary's reads", engine_summary),
    ("compute", "engine, compute only (sums and paybacks)", compute),
    ("appraisal", "engine + appraisal (present value, discounted payback, 3 scenarios, "
                  "4 switching values), every figure of both read", with_appraisal),
    ("npv", "engine, the stored summary's reads + present value and discounted payback "
            "(base_scenario)", summary_and_npv),
    ("conversion", "conversion to 2024 p/l + engine, every figure read", with_conversion),
)  # fmt: skip


def before_functions() -> tuple:
    """The engine, appraisal and conversion as they were before the fast paths (the
    tests' oracles), every figure read as above."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "finance"))
    import oracle_appraisal
    import oracle_engine
    import oracle_prices

    def engine_before(case: Case) -> None:
        read_all(oracle_engine.compute(case))

    def appraisal_before(case: Case) -> None:
        figures = oracle_engine.compute(case)
        read_all(figures)
        appraisal = oracle_appraisal.appraise(figures)
        for name in Appraisal.FIELDS:
            getattr(appraisal, name)

    def conversion_before(case: Case) -> None:
        read_all(oracle_engine.compute(oracle_prices.convert_case(case, INDEXES, 2021, 2024)))

    return (
        ("before_engine", "BEFORE: engine, every figure read", engine_before),
        ("before_appraisal", "BEFORE: engine + appraisal, every figure read", appraisal_before),
        ("before_conversion", "BEFORE: conversion to 2024 p/l + engine", conversion_before),
    )


def census(cases: list[Case]) -> dict[str, float]:
    """Per proposal, on average: what every figure is made of (input amounts, new
    Decimal objects in the figures, dict entries, result objects, checks) and the
    integer core's calls with their arguments (recorded once, to be replayed)."""
    calls: list[tuple] = []

    def recording(units, weights, weight_sum, rank):
        calls.append((units, weights, weight_sum, rank))
        return largest_remainder(units, weights, weight_sum, rank)

    counts = dict.fromkeys(("amounts", "decimals", "entries", "objects", "checks"), 0)
    finance.engine.largest_remainder = recording
    try:
        for case in cases:
            inputs = {id(a) for line in case.lines for a in line.amounts.values()} | {
                id(a) for d in case.distributions for row in d.rows
                for a in (row.amounts or {}).values()
            }  # fmt: skip
            counts["amounts"] += sum(len(line.amounts) for line in case.lines)
            figures = compute(case)
            made: set[int] = set()
            stack = [getattr(figures, name) for name in Figures.FIELDS if name != "checks"]
            counts["checks"] += len(figures.checks)
            while stack:
                value = stack.pop()
                if isinstance(value, Decimal):
                    if id(value) not in inputs and id(value) not in made:
                        made.add(id(value))
                elif isinstance(value, dict):
                    counts["entries"] += len(value)
                    stack += value.values()
                elif isinstance(value, tuple | list):
                    stack += value
                elif hasattr(value, "rows"):  # an allocated distribution and its rows
                    counts["objects"] += 1 + len(value.rows)
                    stack += [value.total, *(row.amounts for row in value.rows)]
            counts["decimals"] += len(made)
    finally:
        finance.engine.largest_remainder = largest_remainder
    out: dict[str, float] = {key: value / len(cases) for key, value in counts.items()}
    out["core_calls"] = len(calls) / len(cases)
    out["_calls"] = calls  # type: ignore[assignment]
    return out


def phases(cases: list[Case], runs: int) -> None:
    """Where ``engine_all``'s time goes (CPU µs per proposal, medians of ``runs``
    interleaved runs): ``compute`` (every sum, both paybacks), then what the first read
    of ``distributions``/``checks`` makes: the splits by weights, the distributions by
    amounts with their checks, the reconciliation; inside the split by weights, the
    integer core alone (``largest_remainder`` replayed with the recorded arguments).
    Then the census of what the figures are made of."""
    figures = [compute(case) for case in cases]
    by_basis: dict[str, list[tuple]] = {"weights": [], "amounts": []}
    for case, figure in zip(cases, figures, strict=True):
        for d in case.distributions:
            totals = figure._subject_totals(d.subject)  # noqa: SLF001 (a benchmark's look inside)
            by_basis["weights" if d.basis == WEIGHTS else "amounts"].append(
                (d, totals, figure.years)
            )
    found = census(cases)
    calls = found.pop("_calls")
    allocate_cells = finance.engine._allocate_cells  # noqa: SLF001

    def replay(call):
        return largest_remainder(*call)

    timed_parts = (
        ("engine, every figure read", engine_all, cases),
        ("  compute (sums, paybacks, full effect, investment)", compute, cases),
        ("  splits by weights (AllocatedDistribution)", lambda x: allocate_cells(*x),
         by_basis["weights"]),
        ("    of which the integer core (largest_remainder)", replay, calls),
        ("  distributions by amounts and their checks", lambda x: allocate_cells(*x),
         by_basis["amounts"]),
        ("  reconciliation with the printed figures",
         lambda f: finance.engine.reconcile(f.case.stated, f), figures),
        ("reference (minimal Decimal computation)", reference, cases),
    )  # fmt: skip
    seconds: dict[str, list[float]] = {label: [] for label, _f, _items in timed_parts}
    for _ in range(runs):
        for label, function, items in timed_parts:
            started = time.process_time()
            for item in items:
                function(item)
            seconds[label].append(time.process_time() - started)
    print(f"where the time goes (CPU µs per proposal, median of {runs} interleaved runs):")
    for label, _function, _items in timed_parts:
        print(f"  {label}: {statistics.median(seconds[label]) / len(cases) * 1e6:.1f}")
    print(
        "what every figure is made of, per proposal: "
        f"{found['amounts']:.1f} input amounts; {found['decimals']:.1f} new Decimal objects "
        f"and {found['entries']:.1f} dict entries in the figures; {found['objects']:.1f} "
        f"allocated distributions and rows; {found['checks']:.2f} checks; "
        f"{found['core_calls']:.2f} largest-remainder splits"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--before",
        action="store_true",
        help="also time the implementations the fast paths replaced (kept as the tests' "
        "oracles, tests/finance/oracle_*.py) in the same interleaved runs",
    )
    parser.add_argument(
        "--phases",
        action="store_true",
        help="only print where the engine's time goes (compute, the splits by weights and "
        "their integer core, the distributions by amounts, the reconciliation) and what "
        "the figures are made of, per proposal",
    )
    args = parser.parse_args()
    timed_functions = TIMED + (before_functions() if args.before else ())

    rnd = random.Random(args.seed)
    started = time.process_time()
    cases = [synthetic_case(rnd) for _ in range(args.proposals)]
    build = time.process_time() - started
    verify(cases)
    if args.phases:
        phases(cases, args.runs)
        return
    wall: dict[str, list[float]] = {key: [] for key, _label, _f in timed_functions}
    cpu: dict[str, list[float]] = {key: [] for key, _label, _f in timed_functions}
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        for key, _label, function in timed_functions:
            w, c = timed(function, cases)
            wall[key].append(w)
            cpu[key].append(c)
    checks = sum(len(compute(case).checks) for case in cases)
    median = statistics.median
    reference_cpu = median(cpu["reference"])
    print(f"proposals: {args.proposals} (built in {build:.3f} s CPU, not timed below)")
    print(f"seconds for all proposals, median of {args.runs} interleaved runs:")
    for key, label, _function in timed_functions:
        print(
            f"  {label}: {median(wall[key]):.3f} wall, {median(cpu[key]):.3f} CPU; "
            f"/ reference (CPU): {median(cpu[key]) / reference_cpu:.2f}"
        )
    engine_cpu = median(cpu["engine"])
    goal = GOAL_SECONDS_PER_10K * args.proposals / 10_000
    print("summary (CPU medians; ratios are the robust figures on a shared machine):")
    print(
        f"  issue 13: engine, every figure read: {engine_cpu:.3f} s for {args.proposals:,} "
        f"proposals ({engine_cpu / args.proposals * 1e6:.0f} µs each); peer, the minimal "
        f"reference: {reference_cpu:.3f} s (engine / reference {engine_cpu / reference_cpu:.2f}); "
        f"goal <= {goal:.3f} s ({GOAL_SECONDS_PER_10K} s per 10,000): "
        + verdict(engine_cpu, goal)
    )
    appraisal_ratio = median(cpu["appraisal"]) / engine_cpu
    print(
        "  issue 14: the figure before this issue = the engine without the appraisal, "
        f"every figure read, measured in this run ({engine_cpu:.3f} s); engine + every "
        f"appraisal figure: {median(cpu['appraisal']):.3f} s = {appraisal_ratio:.2f} x it; "
        f"limit {1 + APPRAISAL_LIMIT:.2f} x (within 20 %): "
        + verdict(appraisal_ratio, 1 + APPRAISAL_LIMIT, "x")
    )
    npv_ratio = median(cpu["npv"]) / median(cpu["summary"])
    print(
        f"  issue 14: the stored summary's reads + present value / the summary's reads: "
        f"{npv_ratio:.2f} x; limit {1 + APPRAISAL_LIMIT:.2f} x: "
        + verdict(npv_ratio, 1 + APPRAISAL_LIMIT, "x")
    )
    print(
        f"  issue 14: p/l conversion (finance.prices.convert_case to 2024 p/l) + engine / "
        f"engine alone, every figure read: {median(cpu['conversion']) / engine_cpu:.2f} x "
        "(only on request: no goal set)"
    )
    if args.before:
        print("  before the fast paths (the former implementations, same runs), now / before:")
        for now, before, label in (
            ("engine", "before_engine", "engine, every figure read"),
            ("appraisal", "before_appraisal", "engine + every appraisal figure"),
            ("conversion", "before_conversion", "p/l conversion + engine"),
        ):
            print(
                f"    {label}: {median(cpu[now]):.3f} s / {median(cpu[before]):.3f} s = "
                f"{median(cpu[now]) / median(cpu[before]):.2f}"
            )
    print(f"proposals/second (CPU, every figure read): {args.proposals / engine_cpu:,.0f}")
    print(f"checks found: {checks}")


if __name__ == "__main__":
    main()
