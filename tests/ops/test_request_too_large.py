"""A save larger than the upload limit (a 10 MB summary pasted past the textarea's maximum
length) got the generic 400 page; the page now says in Danish that what was sent is too
large, that nothing was saved and that going back keeps the typed text (issue 11, the
breaker's finding after finding 16)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from ..factories import bc01

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2_000_000)
def test_a_save_over_the_upload_limit_says_it_is_too_large_and_saves_nothing(client, central_user):
    proposal = bc01()
    summary = proposal.summary
    client.force_login(central_user)
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    response = client.post(
        url, {"summary": "x" * 3_000_000, "version": "1"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det sendte er for stort" in page
    assert "højst 2 MB" in page
    assert "tilbage-knap" in page
    proposal.refresh_from_db()
    assert proposal.summary == summary


def test_other_bad_requests_keep_the_general_message(client, central_user):
    client.force_login(central_user)
    # a host that is not allowed is a SuspiciousOperation answered by handler400
    response = client.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert "Forkert forespørgsel" in response.content.decode()
    assert "for stort" not in response.content.decode()
