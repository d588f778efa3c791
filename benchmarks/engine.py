"""Benchmark of finance.engine.compute on synthetic proposals.

Run: .venv/bin/python benchmarks/engine.py [--proposals 10000] [--runs 5] [--seed 2021]
Builds the proposals once (deterministic, seeded), then times ``compute`` over all of
them ``--runs`` times and prints the median.
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

from finance.engine import (  # noqa: E402
    Case,
    Distribution,
    DistributionRow,
    Line,
    Stated,
    compute,
)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    rnd = random.Random(args.seed)
    cases = [synthetic_case(rnd) for _ in range(args.proposals)]
    timings = []
    checks = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        results = [compute(case) for case in cases]
        timings.append(time.perf_counter() - started)
        checks = sum(len(f.checks) for f in results)
    seconds = statistics.median(timings)
    print(f"proposals: {args.proposals}")
    print(f"seconds (median of {args.runs}): {seconds:.3f}")
    print(f"proposals/second: {args.proposals / seconds:,.0f}")
    print(f"checks found: {checks}")


if __name__ == "__main__":
    main()
