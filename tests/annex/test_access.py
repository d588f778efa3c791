"""Nobody prints, downloads or imports a proposal they may not read or edit."""

import io

import openpyxl
import pytest
from django.urls import reverse

from annex.models import AnnexJob
from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases.models import Catalog, Proposal
from cases.selectors import proposals_with_inputs

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_proposal_pdf_and_template_of_another_administration_are_404(
    client, other_finance_user, reference_catalogs
):
    c = _client(client, other_finance_user)  # TMF: none of investment-2021 is theirs
    assert c.get(reverse("annex:proposal_pdf", args=["investment-2021", "BC11"])).status_code == 404
    assert c.get(
        reverse("annex:proposal_template", args=["investment-2021", "BC11"])
    ).status_code == 404


def test_catalog_workbook_holds_only_readable_proposals(client, finance_user, reference_catalogs):
    c = _client(client, finance_user)  # KFF presents BC11 and BC12, ØKF BC01 and BC03
    response = c.get(reverse("annex:xlsx", args=["investment-2021"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(
        str(cell) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
        for cell in row if cell is not None
    )
    assert "BC11" in text and "BC12" in text
    assert "Belysningspakke" not in text and "BC03" not in text


def test_annex_jobs_are_private_to_their_requester(
    client, finance_user, other_finance_user, reference_catalogs
):
    job = AnnexJob.objects.create(
        catalog=Catalog.objects.get(key="investment-2021"), state="done",
        requested_by=finance_user,
    )
    c = _client(client, other_finance_user)
    assert c.get(reverse("annex:job", args=[job.pk])).status_code == 404
    assert c.get(reverse("annex:job_download", args=[job.pk])).status_code == 404
    page = c.get(reverse("annex:catalog", args=["investment-2021"]))
    assert reverse("annex:job", args=[job.pk]) not in page.content.decode()


def test_background_annex_prints_what_the_requester_may_read(
    client, finance_user, reference_catalogs, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    c = _client(client, finance_user)
    c.post(reverse("annex:start", args=["investment-2021"]))
    job = AnnexJob.objects.get()
    assert job.state == "done" and job.total == job.done == 2


def _template(number):
    proposal = proposals_with_inputs(
        Proposal.objects.filter(catalog__key="investment-2021", number=number)
    ).get()
    return build_template(proposal.catalog, proposal)


def test_import_may_not_change_another_administrations_proposal(
    finance_user, reference_catalogs
):
    catalog = Catalog.objects.get(key="investment-2021")
    before = Proposal.objects.get(catalog=catalog, number="BC01").version
    with pytest.raises(XlsxImportError) as excinfo:
        import_xlsx(_template("BC01"), catalog, user=finance_user)
    assert "forslag BC01 ikke fundet" in str(excinfo.value)  # not readable for KFF
    assert Proposal.objects.get(catalog=catalog, number="BC01").version == before


def test_import_of_own_proposal_is_allowed(finance_user, reference_catalogs):
    catalog = Catalog.objects.get(key="investment-2021")
    result = import_xlsx(_template("BC11"), catalog, user=finance_user)
    assert result.updated == ["BC11"]


def test_import_may_not_move_a_proposal_out_of_reach(
    finance_user, reference_catalogs
):
    """A new proposal presented by another administration would be one the importer
    could not edit afterwards: refused, and nothing is kept."""
    catalog = Catalog.objects.get(key="investment-2021")
    # BC12: its distributions are none; BC11's transcribed ones do not add up, which a
    # new proposal without the printed source may not keep (tested in tests/interchange)
    book = openpyxl.load_workbook(io.BytesIO(_template("BC12")))
    sheet = book["Forslag"]
    for row in sheet.iter_rows():
        if len(row) > 2 and row[2].value == "number":
            row[1].value = "BC99"
        if len(row) > 2 and row[2].value == "presenting_administration":
            row[1].value = "TMF"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(XlsxImportError) as excinfo:
        import_xlsx(buffer.getvalue(), catalog, user=finance_user)
    assert "du må kun indlæse forslag, som du selv må redigere" in str(excinfo.value)
    assert not Proposal.objects.filter(catalog=catalog, number="BC99").exists()
