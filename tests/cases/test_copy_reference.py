"""Breaker: "Kopiér til et nyt forslag" on the reference proposals (Citizen 2018 Forslag
1-4, the innovation pool's BC07) opened an editor that could not be saved: 3-6 errors in
distribution tables the user never touched ("rækkerne giver -337,98, men i alt er -338";
Forslag 3's table printed under 2017-2020). Import accepts a printed distribution as
printed and reports its differences as checks; the editor now does the same for the
differences it opened with, and refuses only those the user's own edits make."""

import pytest
from django.urls import reverse

from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs

from .formdata import as_post
from .test_editor import errors_of, page_data

pytestmark = pytest.mark.django_db

DIFFERENCE = "distribution_amounts_mismatch"


def copy_url(source) -> str:
    return reverse("cases:proposal_new") + f"?kopi={source.pk}"


def differences(proposal) -> list[tuple]:
    return [
        (c.field, c.year, c.stated, c.computed)
        for c in figures_for(proposal).checks
        if c.code == DIFFERENCE
    ]


def distributions(proposal) -> list[tuple]:
    figures = figures_for(proposal)
    return [
        (d.subject, [(r.committee, dict(r.amounts)) for r in d.rows])
        for d in figures.distributions
    ]


def test_every_reference_proposal_copies_and_saves_untouched(
    client, central_user, reference_catalogs
):
    client.force_login(central_user)
    failed = {}
    sources = list(proposals_with_inputs(Proposal.objects.order_by("catalog__key", "pk")))
    for source in sources:
        data = page_data(client, copy_url(source))
        response = client.post(copy_url(source), as_post(data, action="save"))
        if response.status_code != 302:
            failed[f"{source.catalog.key} {source.number}"] = errors_of(response)
            continue
        copy = proposals_with_inputs().exclude(pk__in=[s.pk for s in sources]).latest("pk")
        # the copy's figures are the original's, exactly, and so are its differences
        assert figures_for(copy).net_total == figures_for(source).net_total
        assert distributions(copy) == distributions(source), source.number
        assert differences(copy) == differences(source), source.number
    assert failed == {}
    copies = Proposal.objects.exclude(pk__in=[s.pk for s in sources])
    assert copies.count() == len(sources)


def test_a_difference_the_user_makes_in_a_copy_is_still_refused(
    client, central_user, reference_catalogs
):
    client.force_login(central_user)
    source = Proposal.objects.get(catalog__key="citizen-2018", number="1")
    assert (("permanent_saving", 2016) in {d[:2] for d in differences(source)})
    data = page_data(client, copy_url(source))
    row = next(
        key[: -len("-y2016")]
        for key, value in data.items()
        if key.startswith("dist-permanent_saving-rows-") and key.endswith("-y2016") and value
    )
    data[f"{row}-y2016"] = "-100"
    before = Proposal.objects.count()
    response = client.post(copy_url(source), as_post(data, action="save"))
    assert response.status_code == 200
    assert "Fordelingen af besparelser (varige) 2016: rækkerne giver" in errors_of(response)
    assert "2017" not in errors_of(response)  # the printed differences are no errors
    assert Proposal.objects.count() == before
