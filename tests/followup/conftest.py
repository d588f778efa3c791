from datetime import date

import pytest

from cases.models import SuccessCriterion
from followup.services import freeze_plan
from tests.factories import ProposalFactory, add_line


def kff_proposal(**kwargs):
    """A KFU proposal presented by KFF: -400/-800 service saving from 2021, 1.500
    implementation in 2021; two printed success criteria."""
    proposal = ProposalFactory(**kwargs)
    add_line(
        proposal, "permanent", "saving", "service", "Færre opkald",
        {2021: -400, 2022: -800, 2023: -800, 2024: -800, 2025: -800, 2026: -800},
    )  # fmt: skip
    add_line(proposal, "implementation", "cost", "service", "Projektledelse", {2021: 1500})
    SuccessCriterion.objects.create(
        proposal=proposal,
        criterion="Færre opkald til borgerservice",
        how_measured="Antal opkald i telefonsystemet",
        responsible="KFF",
        when="Ultimo 2021",
        order=0,
    )
    SuccessCriterion.objects.create(
        proposal=proposal,
        criterion="Tilfredse borgere",
        how_measured="Brugerundersøgelse",
        responsible="KFF i samarbejde med KIT",
        when="Løbende, kvartalsvis fra ultimo 2021",
        order=1,
    )
    return proposal


@pytest.fixture
def proposal(db):
    return kff_proposal()


@pytest.fixture
def plan(proposal, central_user):
    return freeze_plan(proposal, central_user)


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin "today" for the follow-up code (selectors and services use localdate)."""

    def pin(day: date):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
        return day

    return pin
