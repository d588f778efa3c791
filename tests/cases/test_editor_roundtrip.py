"""Every reference proposal opens in the editor and saves back unchanged."""

import pytest

from cases.exporting import export_proposal
from cases.models import Proposal
from cases.selectors import proposals_with_inputs

from .formdata import as_post, form_data


def _export(pk):
    return export_proposal(proposals_with_inputs().get(pk=pk))


@pytest.mark.django_db
def test_every_reference_proposal_saves_back_unchanged(client, central_user, reference_catalogs):
    client.force_login(central_user)
    proposals = list(Proposal.objects.select_related("catalog").order_by("pk"))
    assert len(proposals) == 14
    for proposal in proposals:
        before = _export(proposal.pk)
        url = f"/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/"
        page = client.get(url)
        assert page.status_code == 200
        data = form_data(page.content)
        response = client.post(url, as_post(data, action="save"))
        assert response.status_code == 302, (
            proposal.number,
            response.content.decode()[:200],
            response.context["editor"].error_count() if response.context else None,
        )
        after = _export(proposal.pk)
        assert after == before, proposal.number
        assert Proposal.objects.get(pk=proposal.pk).version == proposal.version + 1
