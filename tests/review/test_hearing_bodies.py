"""A hearing answer updates the row the proposal has, also when the proposal names the
body in its source's words: the demo's BC03 has "Ejendomsfaglig høring", the answer form
offered only the standard "Ejendomsfaglig vurdering", so answering added a second row for
the same body (printed twice in the annex) and the proposal's own row could not be
answered at all."""

import pytest
from django.urls import reverse

from cases.models import HearingAnswer, Status

from ..factories import bc01

pytestmark = pytest.mark.django_db


def test_the_proposals_own_hearing_body_can_be_answered(client, central_user):
    proposal = bc01()
    proposal.status = Status.IN_HEARING
    proposal.save()
    HearingAnswer.objects.create(proposal=proposal, body="Ejendomsfaglig høring", order=0,
                                 date_text="KEID har gennemgået forslaget.")  # fmt: skip
    client.force_login(central_user)
    page = client.get(reverse("review:case", args=[proposal.pk])).content.decode()
    assert '<option value="Ejendomsfaglig høring">' in page
    client.post(
        reverse("review:hearing_answer", args=[proposal.pk]),
        {"body": "Ejendomsfaglig høring", "answer": "yes", "date_text": "", "comment": "OK"},
    )
    rows = list(proposal.hearing.values_list("body", "answer", "comment"))
    assert rows == [("Ejendomsfaglig høring", "yes", "OK")]
