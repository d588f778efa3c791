"""The follow-up report in the exports (issue 6) and the committee approval printed in
the annex (issue 4). The expected figures come from `followup.report.catalogue_report`,
formatted as the print formats them (Danish: 1.034, -2.380), never typed in by hand."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from annex.pdf import render_proposal_pdf
from annex.xlsx_export import export_catalog_xlsx
from cases.templatetags.bilag import amount
from committees.models import Role
from followup.demo import load_followup_demo
from followup.report import catalogue_report, report_sheet_rows
from review import workflow
from tests.factories import ProposalFactory, add_line, make_user

from .conftest import pdftotext

pytestmark = pytest.mark.tools("pdftotext")  # reads the PDFs it makes

KEY = "investment-2021"


@pytest.fixture
def demo(reference_catalogs):
    """The reference catalogues with the demo follow-up (adopted proposals, realised
    figures, registrations), and the demo users it registers as."""
    users = {
        "finans": make_user("finans", Role.FINANCE_STAFF, administration_code="KFF"),
        "oekonomi": make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF"),
    }
    load_followup_demo()
    return {c.key: c for c in reference_catalogs}, users


def words(text: str) -> str:
    return " ".join(text.split())


def sections(text: str, entries) -> dict[str, str]:
    """The report's text per proposal (from its heading to the next proposal's)."""
    flat = words(text)
    heads = [words(f"{e['view'].proposal.number} {e['view'].proposal.title}") for e in entries]
    starts = [flat.index(head) for head in heads]
    ends = [*starts[1:], len(flat)]
    return {
        e["view"].proposal.number: flat[s:end]
        for e, s, end in zip(entries, starts, ends, strict=True)
    }


def danish(values) -> list[str]:
    with translation.override("da"):
        return [amount(v) for v in values if v is not None]


def assert_figures(section: str, view) -> None:
    years = view.comparison.years
    planned = danish(y.planned_permanent for y in years)
    realised = danish(y.realised_permanent for y in years if y.reported)
    assert realised, "the demo reports realised figures"
    assert f"Plan {' '.join(planned)} Realiseret {' '.join(realised)}" in section
    assert f"{view.comparison.planned_payback_total} år" in section


def test_followup_report_pdf_from_the_command(demo, tmp_path):
    catalogs, _users = demo
    catalog = catalogs[KEY]
    report = catalogue_report(catalog)
    assert len(report["entries"]) == 3
    output = tmp_path / "opfoelgning.pdf"
    call_command("render_annex", catalog=KEY, followup=True, output=output)
    text = pdftotext(output)
    assert "Opfølgningsrapport" in text and "OPFØLGNINGSRAPPORT" in text
    assert "side 1 af" in text  # stamped like the annex
    assert "Bilag 2 – Forslag til investeringspuljen" in text  # the running header
    for number, section in sections(text, report["entries"]).items():
        view = next(e["view"] for e in report["entries"] if e["view"].proposal.number == number)
        assert_figures(section, view)
        for row in view.criteria:  # a long criterion wraps beside the other columns
            assert " ".join(row.criterion.criterion.split()[:3]) in section


def test_xlsx_has_the_followup_sheet_with_the_same_figures(demo):
    catalogs, _users = demo
    catalog = catalogs[KEY]
    buffer = io.BytesIO()
    export_catalog_xlsx(catalog, buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames[-1] == "Opfølgning"
    rows = wb["Opfølgning"].iter_rows(values_only=True)
    got = [list(row) for row in rows if any(v is not None for v in row)]
    expected = [row for row in report_sheet_rows(catalogue_report(catalog)) if row]
    assert len(got) == len(expected)
    numbers = dates = 0
    for got_row, row in zip(got, expected, strict=True):
        got_row = got_row[: len(row)] + [None] * (len(row) - len(got_row))
        for value, want in zip(got_row, row, strict=True):
            if isinstance(want, datetime.date):
                assert isinstance(value, datetime.datetime) and value.date() == want
                dates += 1
            elif want is None or want == "":
                assert value in (None, "")
            elif isinstance(want, str):
                assert value == want
            else:
                assert isinstance(value, int | float) and value == pytest.approx(float(want))
                numbers += 1
    assert numbers > 20 and dates > 0


def test_xlsx_without_adopted_proposals_has_no_followup_sheet(demo):
    catalogs, _users = demo
    without = next(c for c in catalogs.values() if not catalogue_report(c)["entries"])
    buffer = io.BytesIO()
    export_catalog_xlsx(without, buffer)
    assert "Opfølgning" not in openpyxl.load_workbook(buffer).sheetnames


def test_report_view_shows_only_readable_plans(demo, client):
    catalogs, users = demo
    catalog = catalogs[KEY]
    url = reverse("annex:followup_pdf", args=[KEY])
    everything = {e["view"].proposal.number for e in catalogue_report(catalog)["entries"]}

    outsider = make_user("tmf-finans", Role.FINANCE_STAFF, administration_code="TMF")
    assert not catalogue_report(catalog, outsider)["entries"]
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 404 and b"%PDF" not in response.content
    assert client.post(url).status_code == 405

    finance = users["finans"]
    mine = {e["view"].proposal.number for e in catalogue_report(catalog, finance)["entries"]}
    assert mine and mine < everything, "KFF's finance staff read some of the plans, not all"
    client.force_login(finance)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = words(pdftotext_bytes(response.content))
    proposals = {p.number: p for p in catalog.proposals.all()}
    for number in mine:
        assert words(f"{number} {proposals[number].title}") in text
    for number in everything - mine:
        assert words(f"{number} {proposals[number].title}") not in text

    # the links: on the follow-up catalogue page and beside the catalogue's exports
    page = client.get(reverse("followup:catalog", args=[KEY])).content.decode()
    assert url in page
    assert url in client.get(reverse("cases:catalog_detail", args=[KEY])).content.decode()
    client.force_login(outsider)
    assert url not in client.get(reverse("cases:catalog_detail", args=[KEY])).content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def pdftotext_bytes(data: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_approval_text_is_printed_on_the_part_after_approval(
    finance_user, central_user, reviewer_user, tmp_path
):
    proposal = ProposalFactory()
    add_line(proposal, "permanent", "saving", "service", "Besparelse", {2021: -100, 2022: -200})
    for step in (
        lambda p: workflow.submit(finance_user, p, "Klar"),
        lambda p: workflow.start_hearing(central_user, p, ""),
        lambda p: workflow.answer_hearing(central_user, p, workflow.CENTRAL_BODY, "yes", "", ""),
        lambda p: workflow.forward(central_user, p, ""),
    ):
        step(proposal)
        proposal.refresh_from_db()

    def printed(name):
        from cases.selectors import proposals_with_inputs

        fresh = proposals_with_inputs().get(pk=proposal.pk)
        stats = render_proposal_pdf(fresh, tmp_path / name)
        return words(pdftotext(tmp_path / name)), stats

    before, _stats = printed("before.pdf")
    assert "udvalgsgodkendt" not in before
    workflow.approve(reviewer_user, proposal, approved_on=datetime.date(2020, 3, 9))
    after, stats = printed("after.pdf")
    assert stats.rendered == 1, "an approval makes the cached part stale"
    assert "udvalgsgodkendt den 9. marts 2020" in after
    # under the title, before the summary
    assert after.index(proposal.title) < after.index("udvalgsgodkendt") < after.index("resumé")
