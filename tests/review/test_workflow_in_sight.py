"""The workflow in sight (issue 12): a step indicator on the proposal and the case page,
"Indsend" and the case link on the proposal page for whoever may use them, the status
after every step (also "with the committees" after forwarding), one label per comment
field, and the "Venter på mig" count in the navigation."""

import re

import pytest
from django.urls import reverse

from cases.models import Status
from review import workflow

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def current_step(html: str) -> str:
    return re.search(
        r'aria-current="step">\s*<span class="step-marker"[^>]*>[^<]*</span>\s*'
        r'<span class="step-label">([^<]+)</span>',
        html,
    ).group(1)


def test_proposal_page_has_the_steps_the_case_link_and_submit(client, finance, reviewer):
    proposal = kfu_proposal(number="BC01", title="Et")
    client.force_login(finance)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert current_step(html) == "Kladde"
    assert f'href="{reverse("review:case", args=[proposal.pk])}"' in html
    assert 'id="submit-proposal"' in html
    response = client.post(reverse("review:step", args=[proposal.pk, "submit"]), follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert "Status: Indsendt." in [str(m) for m in response.context["messages"]][-1]
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert current_step(html) == "Indsendt"
    assert 'id="submit-proposal"' not in html
    # a reviewer reads the page but has no "Indsend"
    client.force_login(reviewer)
    assert 'id="submit-proposal"' not in client.get(proposal.get_absolute_url()).content.decode()


def test_case_page_says_where_the_case_is_after_every_step(client, finance, central):
    proposal = kfu_proposal(number="BC01", title="Et")
    client.force_login(central)
    url = reverse("review:case", args=[proposal.pk])
    workflow.submit(finance, proposal)
    workflow.start_hearing(central, proposal)
    html = client.get(url).content.decode()
    assert current_step(html) == "I høring"
    assert "hos udvalgene" not in html
    workflow.answer_hearing(central, proposal, workflow.CENTRAL_BODY, "yes")
    workflow.forward(central, proposal)
    html = client.get(url).content.decode()
    assert re.search(r'id="case-status">I høring · hos udvalgene<', html)


def test_return_and_reject_have_a_label_each(client, finance, central):
    proposal = kfu_proposal(number="BC01", title="Et")
    workflow.submit(finance, proposal)
    client.force_login(central)
    html = client.get(reverse("review:case", args=[proposal.pk])).content.decode()
    labels = re.findall(r'<label for="comment-\d+">([^<]+)</label>', html)
    assert len(labels) == len(set(labels)) >= 3
    assert "Hvorfor den sendes tilbage (skal udfyldes)" in labels
    assert "Hvorfor den afvises (skal udfyldes)" in labels


def test_navigation_counts_what_waits_for_me(client, finance, central):
    for number in ("BC01", "BC02"):
        workflow.submit(finance, kfu_proposal(number=number, title=number))
    kfu_proposal(number="BC03", title="Kladde")
    client.force_login(central)
    html = client.get(reverse("cases:catalog_list")).content.decode()
    assert re.search(r'id="nav-waiting">Venter på mig <span class="count"[^>]*>2</span>', html)
    client.force_login(finance)  # the draft waits for the author
    html = client.get(reverse("cases:catalog_list")).content.decode()
    assert re.search(r'id="nav-waiting">Venter på mig <span class="count"[^>]*>1</span>', html)
