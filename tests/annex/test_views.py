"""The download and import views, the background job, and their query counts."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annex.models import AnnexJob
from annex.xlsx_import import build_template
from cases.models import Catalog, Proposal
from cases.selectors import proposals_with_inputs
from tests.factories import ProposalFactory, add_line

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_login_is_required(client, reference_catalogs):
    response = client.get(reverse("annex:xlsx", args=["citizen-2018"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_single_proposal_pdf_download(logged_in, reference_catalogs):
    response = logged_in.get(reverse("annex:proposal_pdf", args=["investment-2021", "BC01"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_catalog_page_and_background_annex(logged_in, reference_catalogs, settings):
    settings.TASKS = IMMEDIATE
    page = logged_in.get(reverse("annex:catalog", args=["citizen-2018"]))
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    response = logged_in.post(reverse("annex:start", args=["citizen-2018"]), {"status": ["draft"]})
    job = AnnexJob.objects.get()
    assert response["Location"] == reverse("annex:job", args=[job.pk])
    assert job.state == "done" and job.done == job.total == 4 and job.pages > 10
    status = logged_in.get(reverse("annex:job", args=[job.pk]))
    assert b'http-equiv="refresh"' not in status.content
    download = logged_in.get(reverse("annex:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_queued_job_page_refreshes_and_shows_progress(logged_in, reference_catalogs):
    job = AnnexJob.objects.create(
        catalog=Catalog.objects.get(key="citizen-2018"), state="running", done=1, total=4
    )
    page = logged_in.get(reverse("annex:job", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content and b'value="1"' in page.content
    assert logged_in.get(reverse("annex:job_download", args=[job.pk])).status_code == 404


def test_xlsx_and_template_downloads(logged_in, reference_catalogs):
    response = logged_in.get(reverse("annex:xlsx", args=["investment-2021"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:5] == ["Oversigt", "BC01", "BC03", "BC11", "BC12"]
    # the catalogue-wide sheets that have something to show (issue 10, point 9)
    assert book.sheetnames[5:] == ["Administration", "Specifikationer", "Teknisk bilag"]
    template = logged_in.get(reverse("annex:proposal_template", args=["investment-2021", "BC01"]))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book["Forslag"]["B5"].value == "Belysningspakke 2d"


def test_import_upload_success_and_error(logged_in, reference_catalogs):
    catalog = Catalog.objects.get(key="investment-2021")
    proposal = proposals_with_inputs(Proposal.objects.filter(catalog=catalog, number="BC03")).get()
    book = openpyxl.load_workbook(io.BytesIO(build_template(catalog, proposal)))
    book["Forslag"]["B5"] = "Ny titel fra Excel"
    out = io.BytesIO()
    book.save(out)
    out.name = "bc03.xlsx"
    out.seek(0)
    url = reverse("annex:import", args=[catalog.key])
    response = logged_in.post(url, {"file": out})
    assert response["Location"] == reverse("cases:proposal_detail", args=[catalog.key, "BC03"])
    assert Proposal.objects.get(pk=proposal.pk).title == "Ny titel fra Excel"
    book["Økonomi"]["E4"] = "tolv"
    bad = io.BytesIO()
    book.save(bad)
    bad.name = "bad.xlsx"
    bad.seek(0)
    response = logged_in.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Økonomi!E4: &#x27;tolv&#x27; er ikke et tal" in response.content.decode()


def test_reviewer_may_not_import(client, reviewer_user, reference_catalogs):
    client.force_login(reviewer_user)
    response = client.post(
        reverse("annex:import", args=["citizen-2018"]), {"file": io.BytesIO(b"x")}
    )
    assert response.status_code == 403


def test_export_query_count_does_not_grow_with_proposals(logged_in):
    catalog = None
    counts = []
    for n in (1, 6):
        while Proposal.objects.count() < n:
            proposal = ProposalFactory(**({"catalog": catalog} if catalog else {}))
            catalog = proposal.catalog
            add_line(proposal, "permanent", "saving", "service", "x", {2021: -1, 2022: -2})
            add_line(proposal, "implementation", "cost", "capital", "y", {2021: 5})
        with CaptureQueriesContext(connection) as queries:
            response = logged_in.get(reverse("annex:xlsx", args=[catalog.key]))
            b"".join(response.streaming_content)
        counts.append(len(queries))
    assert counts[0] == counts[1]
