"""The transcriptions' printed distribution tables (other_tables, kind "distribution")
become real distributions on import: explicit amounts per committee and year (the
printed key kept as weight), the engine recomputes them, and a printed table that does
not add up stays reported by the checks."""

import json
from decimal import Decimal as D

import pytest

from cases.exporting import dumps, export_catalog
from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs
from cases.services import import_json
from tests.conftest import FIXTURES


def proposal(key: str, number: str) -> Proposal:
    return proposals_with_inputs(Proposal.objects.filter(catalog__key=key)).get(number=number)


def rows(p: Proposal, subject: str) -> dict:
    dist = p.distributions.get(subject=subject)
    return {
        (r.committee.code, r.unit): (r.weight, {a.year: a.amount for a in r.amounts.all()})
        for r in dist.rows.all()
    }


@pytest.mark.django_db
def test_investment_bc01_carries_its_printed_distributions(reference_catalogs):
    bc01 = proposal("investment-2021", "BC01")
    # "Effektivisering samt varige driftsomkostninger, service": the service lines only
    saving = rows(bc01, "permanent_service_saving")
    assert saving[("BUU", "Børne- og Ungdomsudvalget")][1] == {
        2021: D(-383),
        **{y: D(-766) for y in range(2022, 2027)},
    }
    assert saving[("TMU", "Teknik- og Miljøudvalget")][1][2022] == D(-18)
    capital = bc01.distributions.get(subject="implementation_capital").rows.get()
    assert (capital.committee.code, capital.unit, capital.account) == (
        "ØU",
        "Københavns Ejendomme",
        "3170 KEID Anlæg, 5175",
    )
    figures = figures_for(bc01)
    assert [d.subject for d in figures.distributions] == [
        "permanent_service_saving",
        "implementation_capital",
    ]
    # The printed table adds up: no distribution check.
    assert not [c for c in figures.checks if c.code.startswith("distribution")]


@pytest.mark.django_db
def test_investment_bc11_service_table_is_a_service_only_distribution(reference_catalogs):
    """BC11's printed "Effektivisering samt varige driftsomkostninger, service" splits the
    service savings (-1.772, Økonomisk friplads) and service costs (1.100 + 185), not all
    permanent savings (-4.815 with the transfers): no false distribution check."""
    bc11 = proposal("investment-2021", "BC11")
    assert rows(bc11, "permanent_service_saving") == {
        ("BUU", "Børne- og Ungdomsudvalget"): (None, {y: D(-1772) for y in range(2021, 2026)}),
    }
    assert rows(bc11, "permanent_service_cost") == {
        ("KFU", "Kultur- og Fritidsudvalget"): (None, {y: D(1100) for y in range(2021, 2026)}),
        ("ØU", "Koncern IT"): (None, {y: D(185) for y in range(2021, 2026)}),
    }
    assert not bc11.distributions.filter(subject__in=["permanent_saving", "permanent_cost"])
    figures = figures_for(bc11)
    saving = next(d for d in figures.distributions if d.subject == "permanent_service_saving")
    assert saving.total == {2020: None, **{y: D(-1772) for y in range(2021, 2026)}}
    assert [c for c in figures.checks if c.code.startswith("distribution")] == []


@pytest.mark.django_db
def test_reference_catalogues_import_without_a_false_distribution_check(reference_catalogs):
    """Every distribution check left on the reference catalogues is a printed table that
    does not add up (Citizen's keys of 16,66 %, innovation BC07's 1.411)."""
    found = {
        (p.catalog.key, p.number, c.field)
        for p in proposals_with_inputs(Proposal.objects.all())
        for c in figures_for(p).checks
        if c.code == "distribution_amounts_mismatch"
    }
    assert ("investment-2021", "BC11", "permanent_saving") not in found
    assert {key for key, _n, _f in found} <= {"citizen-2018", "innovation-2020"}


@pytest.mark.django_db
def test_citizen_keys_are_kept_with_the_amounts(reference_catalogs):
    one = proposal("citizen-2018", "1")
    saving = rows(one, "permanent_saving")
    weight, amounts = saving[("BIU", "Beskæftigelses- og Integrationsudvalget")]
    assert weight == D("16.66")
    assert amounts == {
        2016: D("-56.33"),
        2017: D("-168.83"),
        2018: D("-281.33"),
        2019: D("-393.83"),
    }
    # Rows sum to -337,98 where the proposal's savings are -338: reported, not adjusted.
    checks = [
        (c.year, c.stated, c.computed)
        for c in figures_for(one).checks
        if c.code == "distribution_amounts_mismatch" and c.field == "permanent_saving"
    ]
    assert checks[0] == (2016, D("-337.98"), D(-338))


@pytest.mark.django_db
def test_innovation_bc07_printed_table_that_does_not_add_up_is_a_check(reference_catalogs):
    bc07 = proposal("innovation-2020", "BC07")
    assert rows(bc07, "implementation_service") == {
        ("ØU", "Koncern IT"): (None, {2020: D(1157), 2021: D(2313)})
    }
    checks = [
        (c.year, c.stated, c.computed)
        for c in figures_for(bc07).checks
        if c.code == "distribution_amounts_mismatch"
    ]
    # the lines give 1.157 + 255 = 1.412 (the print says 1.411) and 2.823
    assert checks == [(2020, D(1157), D(1412)), (2021, D(2313), D(2823))]


@pytest.mark.django_db
def test_explicit_distribution_wins_and_export_import_export_is_identical(reference_catalogs):
    data = json.loads((FIXTURES / "investment-2021-part1.json").read_text())
    bc01 = next(p for p in data["proposals"] if p["number"] == "BC01")
    bc01["distributions"] = [
        {
            "subject": "permanent_saving",
            "basis": "weights",
            "rows": [{"committee": "KFU", "weight": 1}],
        }
    ]
    import_json(json.dumps(data).encode())
    p = proposal("investment-2021", "BC01")
    assert p.distributions.get(subject="permanent_saving").basis == "weights"
    assert p.distributions.filter(subject="implementation_capital").exists()
    first = export_catalog(p.catalog)
    import_json(dumps(first).encode())
    assert export_catalog(p.catalog) == first
