"""The proposal page's body (figures, tables, texts) is computed and rendered once per
version of the proposal and language: a second reader costs no engine run and a few
queries, and every change is shown at once (the key moves with the version)."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from cases import views
from cases.models import Proposal

from ..factories import add_line, bc01
from .test_pages import text_of


@pytest.fixture
def reader(client, central_user):
    client.force_login(central_user)
    return client


@pytest.fixture
def engine_runs(monkeypatch):
    runs = []
    original = views.figures_for

    def counted(proposal):
        runs.append(proposal.pk)
        return original(proposal)

    monkeypatch.setattr(views, "figures_for", counted)
    return runs


def test_a_second_view_of_the_same_version_runs_no_engine_and_fewer_queries(reader, engine_runs):
    proposal = bc01()
    url = proposal.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        first_text = text_of(reader.get(url))
    with CaptureQueriesContext(connection) as second:
        second_text = text_of(reader.get(url))
    assert engine_runs == [proposal.pk]
    assert second_text == first_text
    assert "Samlet økonomisk påvirkning 5.063 -1.034" in second_text
    assert len(second) < len(first)


def test_a_new_version_is_shown_at_once(reader, engine_runs):
    proposal = bc01()
    url = proposal.get_absolute_url()
    assert "5.063 -1.034" in text_of(reader.get(url))
    # what every service does when an input changes: change it, raise the version
    add_line(proposal, "implementation", "cost", "capital", "Mere anlæg", {2021: 1000})
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)

    text = text_of(reader.get(url))

    assert "Samlet økonomisk påvirkning 6.063 -1.034" in text
    assert engine_runs == [proposal.pk, proposal.pk]


def test_each_language_has_its_own_body(reader):
    proposal = bc01()
    url = proposal.get_absolute_url()
    assert "Samlet økonomisk påvirkning" in text_of(reader.get(url))
    reader.cookies["django_language"] = "en"
    assert "Total economic impact 5,063 -1,034" in text_of(
        reader.get(url, HTTP_ACCEPT_LANGUAGE="en")
    )


def test_catalogue_overview_reads_stored_figures_a_page_at_a_time(
    reader, reference_catalogs, engine_runs
):
    url = "/katalog/investment-2021/"
    text = text_of(reader.get(url))
    assert "ØU BC01 * Belysningspakke 2d 0,0 5,6 1,0 0,0 6" in text
    assert engine_runs == []  # every figure came from the stored summaries


def test_catalogue_overview_computes_a_stale_row_without_writing(reader, engine_runs):
    from review.models import ProposalSummary
    from review.summaries import refresh_summary

    proposal = bc01()
    refresh_summary(proposal)
    stored = ProposalSummary.objects.get(proposal=proposal)
    add_line(proposal, "implementation", "cost", "capital", "Mere anlæg", {2021: 1000})
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)

    text = text_of(reader.get(proposal.catalog.get_absolute_url()))

    assert "Belysningspakke 2d 0,0 6,6 1,0 0,0" in text
    assert engine_runs == [proposal.pk]
    assert ProposalSummary.objects.get(proposal=proposal).refreshed_at == stored.refreshed_at


def test_catalogue_overview_is_paged(reader):
    from ..factories import CatalogFactory, ProposalFactory

    catalog = CatalogFactory(key="many-2021")
    for i in range(1, 131):
        ProposalFactory(catalog=catalog, number=f"N{i:03d}")
    first = text_of(reader.get(catalog.get_absolute_url()))
    second = text_of(reader.get(catalog.get_absolute_url() + "?page=2"))
    assert "N100" in first and "N101" not in first
    assert "N101" in second and "N130" in second and "N100" not in second
    assert "Side 1 af 2 (130 forslag)" in first
    assert reader.get(catalog.get_absolute_url() + "?page=x").status_code == 200


def test_the_editor_reads_a_versions_inputs_once_and_a_new_version_at_once(
    reader, central_user, monkeypatch
):
    """The editor's inputs are kept per version (`views.inputs_of_version`): a second
    GET of the same version reads none of them again and shows the same page; a change
    of an input (the version counter) or of the status (the last change) is shown at
    once, and a POST always reads fresh."""
    proposal = bc01()
    url = proposal.get_absolute_url() + "rediger/"
    reads = []
    original = views.proposals_with_inputs

    def counted(queryset=None):
        reads.append(1)
        return original(queryset)

    monkeypatch.setattr(views, "proposals_with_inputs", counted)
    first = reader.get(url)
    with CaptureQueriesContext(connection) as second_queries:
        second = reader.get(url)
    assert len(reads) == 1
    assert text_of(second) == text_of(first)
    assert not any("cases_line" in q["sql"] for q in second_queries.captured_queries)
    # an input changes, as every service changes it: the new line is there at once
    add_line(proposal, "implementation", "cost", "capital", "Mere anlæg", {2021: 1000})
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
    assert "Mere anlæg" in reader.get(url).content.decode()
    assert len(reads) == 2
    # a status change (the last change moves): read again
    proposal.refresh_from_db()
    proposal.status = "submitted"
    proposal.save(update_fields=["status", "updated_at"])
    reader.get(url)
    assert len(reads) == 3
    reader.get(url)
    assert len(reads) == 3


def test_a_kept_version_is_a_copy_for_each_reader(reader):
    proposal = bc01()
    row = Proposal.objects.only("pk", "version", "updated_at").get(pk=proposal.pk)
    one, two = views.inputs_of_version(row), views.inputs_of_version(row)
    assert one is not two
    assert [ln.label for ln in one.lines.all()] == [ln.label for ln in two.lines.all()]
    assert len(one.lines.all()) > 0
