"""Invariants the database itself holds."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cases.models import Distribution, DistributionRow, Line, LineAmount, Proposal

from ..factories import CatalogFactory, ProposalFactory, committee


def _violates(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory()


def test_number_is_unique_within_a_catalog(db):
    catalog = CatalogFactory()
    ProposalFactory(catalog=catalog, number="BC01")
    _violates(lambda: ProposalFactory(catalog=catalog, number="BC01"))
    ProposalFactory(number="BC01")  # another catalogue may use the same number


def test_year_span_must_be_ordered_and_bounded(db):
    _violates(lambda: ProposalFactory(first_year=2025, last_year=2021))
    _violates(lambda: ProposalFactory(first_year=2021, last_year=2060))


@pytest.mark.parametrize(
    ("section", "kind", "area"),
    [
        ("permanent", "saving", "operating"),  # operating is an implementation area
        ("implementation", "cost", "transfers"),
        ("permanent", "", "service"),  # permanent lines need saving/cost
        ("administration", "saving", ""),  # admin lines have neither kind nor area
        ("temporary", "cost", ""),
    ],
)
def test_line_section_kind_area_are_checked_by_the_database(db, section, kind, area):
    proposal = ProposalFactory()
    _violates(lambda: Line.objects.create(
        proposal=proposal, section=section, kind=kind, area=area, label="x"))


def test_one_amount_per_line_and_year(db):
    proposal = ProposalFactory()
    line = Line.objects.create(proposal=proposal, section="permanent", kind="saving",
                               area="service", label="x")
    LineAmount.objects.create(line=line, year=2021, amount=Decimal("-1"))
    _violates(lambda: LineAmount.objects.create(line=line, year=2021, amount=Decimal("-2")))


def test_weights_are_never_negative(db):
    distribution = Distribution.objects.create(
        proposal=ProposalFactory(), subject="permanent_saving", basis="weights")
    _violates(lambda: DistributionRow.objects.create(
        distribution=distribution, committee=committee("KFU"), weight=Decimal("-1")))


def test_status_and_risk_level_choices_are_checked(db):
    _violates(lambda: ProposalFactory(status="approved-by-magic"))
    _violates(lambda: ProposalFactory(risk_level="extreme"))


def test_amounts_are_exact_decimals(db):
    proposal = ProposalFactory()
    line = Line.objects.create(proposal=proposal, section="permanent", kind="saving",
                               area="service", label="x")
    LineAmount.objects.create(line=line, year=2021, amount=Decimal("-337.55"))
    assert LineAmount.objects.get().amount == Decimal("-337.55")
    assert Proposal.objects.get().version == 1
