"""The Teknisk bilag's distribution tables on the proposal page and in the editor's
preview have Danish captions in Danish (the page asked for the captions without the
"print" context, which only the annex's catalogue translated: the demo's BC01 showed
"Distribution of savings between committees" in a Danish page)."""

from decimal import Decimal

import pytest
from django.utils import translation

from cases.models import Distribution, DistributionRow, DistributionSubject
from cases.presentation import SUBJECT_CAPTIONS

from ..factories import bc01, committee

pytestmark = pytest.mark.django_db

DANISH = {
    "permanent_saving": "Fordeling af effektiviseringer mellem udvalg",
    "permanent_cost": "Fordeling af varige driftsomkostninger mellem udvalg",
    "permanent": "Fordeling af varige ændringer mellem udvalg",
    "permanent_service_saving": "Fordeling af effektiviseringer på service mellem udvalg",
    "permanent_service_cost": "Fordeling af varige driftsomkostninger på service mellem udvalg",
    "implementation_capital": "Fordeling af anlægsinvesteringer mellem udvalg",
    "implementation_service": "Fordeling af serviceinvesteringer mellem udvalg",
    "implementation_operating": "Fordeling af driftsomkostninger til implementering mellem udvalg",
    "implementation": "Fordeling af implementeringsomkostninger mellem udvalg",
}


def test_every_subject_has_its_danish_caption():
    assert set(SUBJECT_CAPTIONS) == set(DANISH) == set(DistributionSubject.values)
    with translation.override("da"):
        assert {s: translation.gettext(c) for s, c in SUBJECT_CAPTIONS.items()} == DANISH


def test_the_proposal_page_shows_the_distribution_caption_in_danish(client, central_user):
    proposal = bc01()
    distribution = Distribution.objects.create(
        proposal=proposal, subject="permanent_saving", basis="weights"
    )
    for code, weight in (("KFU", "60"), ("ØU", "40")):
        DistributionRow.objects.create(
            distribution=distribution, committee=committee(code), weight=Decimal(weight)
        )
    client.force_login(central_user)
    html = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Fordeling af effektiviseringer mellem udvalg" in html
    assert "Distribution of savings" not in html
