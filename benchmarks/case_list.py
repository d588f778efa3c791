"""Benchmark of the committee case list against the Django admin changelist.

Run: .venv/bin/python benchmarks/case_list.py [--proposals 5000] [--runs 7] [--keep]

Builds a fresh SQLite database (a temporary file; or PostgreSQL when DATABASE_URL is
set — it must be a throw-away database) with `--proposals` proposals of ~10 lines × 6
years each, refreshes the stored summaries (timed), and then times, `--runs` times each
with the median printed:
  - the case list, filtered (committee, payback range, investment range) and sorted on
    a computed column (investment, capital, descending), page of 50, totals row;
  - the same list unfiltered, sorted by number;
  - the CSV export of the filtered list (every row);
  - the Django admin changelist of the same proposals, filtered by committee and
    sorted by number (page of 100).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(keep: bool) -> str | None:
    path = None
    if not os.environ.get("DATABASE_URL"):
        path = os.path.join(tempfile.mkdtemp(prefix="bilag-bench-"), "bench.sqlite3")
        os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return path


def build(count: int, seed: int, start: int = 0, key: str = "benchmark") -> list[int]:
    """Add `count` synthetic proposals (numbered after the first `start`) to the
    catalogue `key` (created when missing); returns their ids."""
    from django.db import transaction

    from cases.models import Catalog, Line, LineAmount, Proposal
    from committees.models import Administration, Committee

    rnd = random.Random(seed + start)
    committees = list(Committee.objects.filter(parent__isnull=True))
    administrations = {a.committee_id: a for a in Administration.objects.all()}
    with transaction.atomic():
        catalog, _ = Catalog.objects.get_or_create(
            key=key, defaults={"title": "Benchmark", "pool": "investment", "budget_year": 2025}
        )
        proposals = []
        for i in range(start, start + count):
            committee = rnd.choice(committees)
            proposals.append(
                Proposal(
                    catalog=catalog,
                    number=f"BC{i + 1:05d}",
                    title=f"Forslag {i + 1} om effektivisering",
                    summary="Et syntetisk forslag.",
                    committee=committee,
                    presenting_administration=administrations.get(committee.pk),
                    cross_cutting=rnd.random() < 0.1,
                    price_level_year=2025,
                    first_year=2025,
                    last_year=2030,
                )
            )
        proposals = Proposal.objects.bulk_create(proposals, batch_size=1000)
        lines = []
        for proposal in proposals:
            for j in range(rnd.randint(8, 12)):
                implementation = j % 3 == 2
                lines.append(
                    Line(
                        proposal=proposal,
                        section="implementation" if implementation else "permanent",
                        kind="cost" if implementation or rnd.random() < 0.3 else "saving",
                        area=rnd.choice(
                            ("capital", "service", "operating")
                            if implementation
                            else ("service", "transfers", "")
                        ),
                        label=f"Linje {j + 1}",
                        order=j,
                    )
                )
        lines = Line.objects.bulk_create(lines, batch_size=2000)
        amounts = []
        for line in lines:
            sign = -1 if line.kind == "saving" else 1
            years = range(2025, 2027) if line.section == "implementation" else range(2025, 2031)
            for year in years:
                amounts.append(
                    LineAmount(line=line, year=year, amount=Decimal(sign * rnd.randint(10, 3000)))
                )
        LineAmount.objects.bulk_create(amounts, batch_size=5000)
    print(f"built {count} proposals, {len(lines)} lines, {len(amounts)} amounts")
    return [p.pk for p in proposals]


def median_ms(fn, runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up (template and query caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    path = setup(args.keep)

    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from committees.models import Committee, Profile, Role
    from review.summaries import refresh_summaries

    # As in the test client's own tests: responses carry their context, and the
    # connection stays open between requests (so that its queries can be counted).
    setup_test_environment()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    build(args.proposals, args.seed)
    start = time.perf_counter()
    refreshed = refresh_summaries(__import__("cases.models").models.Proposal.objects.all())
    print(f"refresh_summaries: {refreshed} proposals in {time.perf_counter() - start:.1f} s")

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    Profile.objects.create(user=user, role=Role.CENTRAL_FINANCE)
    client = Client()
    client.force_login(user)
    kfu = Committee.objects.get(code="KFU")

    filtered = (
        reverse("review:case_list")
        + "?committee=KFU&payback_min=1&payback_max=8&investment_min=0.5&sort=-investment_capital"
    )
    plain = reverse("review:case_list") + "?sort=number"
    export = reverse("review:case_list_csv") + "?committee=KFU&sort=-investment_capital"
    admin = f"/admin/cases/proposal/?committee__id__exact={kfu.pk}&o=1"
    measured = {}
    for name, url in (
        ("case list, filtered + sorted on investment", filtered),
        ("case list, all, sorted by number", plain),
        ("CSV export of the filtered list", export),
        ("admin changelist, filtered by committee", admin),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms, times = median_ms(lambda url=url: client.get(url), args.runs)
        measured[name] = ms
        rows = (
            response.context["table"].paginator.count
            if "table" in (response.context or {})
            else "-"
        )
        print(
            f"{name:45s} median {ms:8.1f} ms  (runs: {', '.join(f'{t:.0f}' for t in times)}; "
            f"matching rows: {rows})"
        )
    ratio = (
        measured["case list, filtered + sorted on investment"]
        / measured["admin changelist, filtered by committee"]
    )
    print(f"filtered case list / admin changelist: {ratio:.2f}×")
    print(f"database: {connection.vendor}" + (f" ({path})" if path else ""))
    if path and not args.keep:
        os.remove(path)


if __name__ == "__main__":
    main()
