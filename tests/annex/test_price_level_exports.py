"""The catalogue's workbook and printed annex in another price level ("Vis i 2024 p/l"
in Excel and PDF, issue 14): every amount converted as the proposal page converts it,
the units saying so; a refused choice is said in Danish, never a 500, and no job is
made."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from annex import pdf
from annex.models import AnnexJob
from annex.tasks import run_job
from annex.xlsx_export import APPRAISAL_SHEET, export_catalog_xlsx
from cases.models import Distribution, DistributionRow, DistributionRowAmount, Proposal
from cases.price_levels import choose_price_level, convert_proposal_case, proposal_in_price_level
from cases.selectors import case_from_proposal, proposals_with_inputs
from committees.models import PriceIndex
from review.summaries import refresh_summary

from ..cases.test_pages import text_of
from ..factories import ProposalFactory, add_line, bc01, committee
from .conftest import pdftotext, save_pngs

pytestmark = pytest.mark.django_db


def workbook(catalog, pl, data_only=False) -> openpyxl.Workbook:
    """The catalogue's workbook in p/l ``pl``; ``data_only``: formulas read as the
    values stored with them."""
    buffer = io.BytesIO()
    export_catalog_xlsx(catalog, buffer, price_level=choose_price_level(pl))
    buffer.seek(0)
    return openpyxl.load_workbook(buffer, data_only=data_only)


def test_workbook_in_another_price_level_matches_the_page(client, central_user, price_index):
    proposal = bc01()
    catalog = proposal.catalog
    catalog.print_appraisal = True
    catalog.save()
    wb = workbook(catalog, "2024")
    assert wb["Oversigt"]["A2"].value.startswith("Mio. kr. 2024 p/l")
    sheet = wb["BC01"]
    assert sheet["A2"].value == "1.000 kr. 2024 p/l"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    # by hand: -517 * 124,6443 / 112,1065 = -574,820; -1.034 -> -1.149,641; 5.580 -> 6.204,058
    saving, investment = rows["Energibesparelse"], rows["Anlægsinvestering"]
    assert [Decimal(str(v)) for v in saving[3:5]] == [Decimal("-574.82"), Decimal("-1149.641")]
    assert Decimal(str(investment[3])) == Decimal("6204.058")
    # the proposal page in 2024 p/l shows the same amounts (whole 1.000 kr.)
    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url(), {"pl": "2024"}))
    assert "Energibesparelse Service -575 -1.150" in page
    assert "Anlægsinvestering Anlæg 6.204" in page
    # and the same present value, computed from the converted figures
    appraisal = {r[0]: r for r in wb[APPRAISAL_SHEET].iter_rows(values_only=True) if r}
    npv = round(Decimal(str(appraisal["BC01"][4])))
    assert f"Som indtastet 6 7 {npv:,}".replace(",", ".") in page


def test_own_price_level_is_unchanged(price_index):
    proposal = bc01()
    wb = workbook(proposal.catalog, "")
    assert wb["BC01"]["A2"].value == "1.000 kr. 2021 p/l"


@pytest.mark.parametrize("pl", ["abc", "2099"])
def test_refused_price_level_is_said_on_the_catalogue_page(client, central_user, price_index, pl):
    proposal = bc01()
    client.force_login(central_user)
    url = reverse("annex:xlsx", args=[proposal.catalog.key])
    response = client.get(url, {"pl": pl}, follow=True)
    assert response.status_code == 200
    text = text_of(response)
    assert "er ikke et år" in text or "intet pris- og lønindeks for 2099" in text


# --- the printed annex in another price level -------------------------------------------
# By hand, factor 124,6443 / 112,1065 = 1,1118383...: BC01 as above; BC02 (below) -33 ->
# -36,691, -66 -> -73,381 (shown -37, -73), 149 -> 165,664 (shown 166).


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def bc02(catalog):
    proposal = ProposalFactory(catalog=catalog, number="BC02", title="Varmestyring")
    add_line(
        proposal, "permanent", "saving", "service", "Lavere varmeforbrug", {2021: -33, 2022: -66}
    )
    add_line(proposal, "implementation", "cost", "capital", "Styringsanlæg", {2021: 149})
    return proposal


@pytest.mark.slow
@pytest.mark.tools("pdftotext", "pdftoppm")
def test_proposal_pdf_in_another_price_level_matches_page_and_workbook(
    client, central_user, price_index, tmp_path
):
    proposal = bc01()
    catalog = proposal.catalog
    catalog.print_appraisal = True
    catalog.save()
    out = tmp_path / "bc01-2024.pdf"
    pdf.render_proposal_pdf(proposal, out, choose_price_level("2024"))
    printed = flat(pdftotext(out))
    save_pngs(out, "proposal-bc01-2024-pl", pages=2)
    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url(), {"pl": "2024"}))
    sheet = workbook(catalog, "2024")["BC01"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert [Decimal(str(v)) for v in rows["Energibesparelse"][3:5]] == [
        Decimal("-574.82"),
        Decimal("-1149.641"),
    ]
    for line in (
        "Energibesparelse Service -575 -1.150 -1.150",
        "Anlægsinvestering Anlæg 6.204",
        "Samlet økonomisk påvirkning 5.629 -1.150",
    ):
        assert line in page, line
        assert line in printed, line
    # every table's unit says the chosen p/l; the proposal's own p/l is not printed;
    # the chart's title says it too
    assert printed.count("1.000 kr. 2024 p/l") >= 3
    assert "Nettopengestrøm og akkumuleret nettopengestrøm (1.000 kr. 2024 p/l)" in printed
    assert "2021 p/l" not in printed
    # the present value row, computed from the converted figures, as on the page
    npv = re.search(r"Som indtastet 6 7 (-?[\d.]+)", page)[1]
    assert f"Som indtastet 6 7 {npv}" in printed
    # the default stays the proposal's own p/l
    own = tmp_path / "bc01.pdf"
    pdf.render_proposal_pdf(proposal, own)
    assert "1.000 kr. 2021 p/l" in flat(pdftotext(own))
    assert "Energibesparelse Service -517 -1.034" in flat(pdftotext(own))


@pytest.mark.slow
@pytest.mark.tools("pdftotext", "pdftoppm")
def test_catalogue_annex_in_another_price_level_matches_page_and_workbook(
    client, central_user, price_index, tmp_path
):
    catalog = bc01().catalog
    bc02(catalog)
    for proposal in catalog.proposals.all():
        refresh_summary(proposal)
    out = tmp_path / "catalog-2024.pdf"
    stats = pdf.render_catalog_annex(
        catalog, out, workers=1, price_level=choose_price_level("2024")
    )
    assert stats.rendered == 2
    printed = flat(pdftotext(out))
    save_pngs(out, "catalogue-2024-pl", pages=3)
    assert "Prisniveau: 2024 p/l (omregnet fra 2021 p/l med pris- og lønindekset)" in printed
    # the index has no anlæg series: the cover says anlæg went by the service index
    assert (
        "Anlægsbeløb er også omregnet med serviceindekset: der er intet anlægsindeks for "
        "2021, 2024 (det indtastes i administrationen)." in printed
    )
    assert "Mio. kr. 2024 p/l" in printed
    assert printed.count("2021 p/l") == 1  # only the cover says what it was converted from
    client.force_login(central_user)
    wb = workbook(catalog, "2024")
    sheet = wb["BC02"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert [Decimal(str(v)) for v in rows["Lavere varmeforbrug"][3:5]] == [
        Decimal("-36.691"),
        Decimal("-73.381"),
    ]
    assert Decimal(str(rows["Styringsanlæg"][3])) == Decimal("165.664")
    for proposal, lines in (
        ("BC01", ["Energibesparelse Service -575 -1.150", "Anlægsinvestering Anlæg 6.204"]),
        ("BC02", ["Lavere varmeforbrug Service -37 -73", "Styringsanlæg Anlæg 166"]),
    ):
        url = catalog.proposals.get(number=proposal).get_absolute_url()
        page = text_of(client.get(url, {"pl": "2024"}))
        for line in lines:
            assert line in page, line
            assert line in printed, line
    # the overview: the catalogue page's converted rows (mio. kr., one decimal) are the
    # printed ones: BC01 6,2 invested, 1,1 a year at full effect (2026), payback 6;
    # BC02 0,2 invested, nothing at full effect (its table ends in 2022), no payback
    overview = text_of(
        client.get(reverse("cases:catalog_detail", args=[catalog.key]), {"pl": "2024"})
    )
    for row in ("BC01 Belysningspakke 2d 0,0 6,2 1,1 0,0 6", "BC02 Varmestyring 0,0 0,2 0,0 0,0"):
        assert row in overview, row
        assert row in printed, row


def test_cached_part_key_covers_the_price_level(price_index):
    own = bc01()
    # a distribution given as amounts, and an administration line: converted alike
    add_line(own, "administration", "", "", "Sagsbehandling", {2021: -10, 2022: -20})
    distribution = Distribution.objects.create(
        proposal=own, subject="implementation_capital", basis="amounts"
    )
    for code, amount in (("ØU", 5000), ("KFU", 580)):
        row = DistributionRow.objects.create(
            distribution=distribution, committee=committee(code), weight=1
        )
        DistributionRowAmount.objects.create(row=row, year=2021, amount=amount)
    proposal = proposals_with_inputs(Proposal.objects.filter(pk=own.pk)).get()
    choice = choose_price_level("2024")
    converted, _figures = proposal_in_price_level(proposal, choice)
    assert pdf.part_key(converted) != pdf.part_key(proposal)
    assert pdf.part_folder(converted) != pdf.part_folder(proposal)
    assert proposal.price_level_year == 2021  # the original is left as it was
    # a corrected index value gives another key (the converted amounts change)
    PriceIndex.objects.filter(series="service", year=2024).update(value=Decimal("125"))
    again, _figures = proposal_in_price_level(proposal, choose_price_level("2024"))
    assert pdf.part_key(again) != pdf.part_key(converted)
    # the copy reads as the converted case, through the selectors the print uses
    case = convert_proposal_case(proposal, case_from_proposal(proposal), choice)
    assert case_from_proposal(converted) == case
    # by hand (factor 1,11183830...): 5.580 -> 6.204,058, its rows 5.000 -> 5.559,1915
    # and 580 -> 644,8662 floor to 6.204,057; the kroner left goes to the larger remainder
    rows = case.distributions[0].rows
    assert [r.amounts[2021] for r in rows] == [Decimal("5559.192"), Decimal("644.866")]
    assert case.admin_lines[0].amounts == {2021: Decimal("-11.118"), 2022: Decimal("-22.237")}


@pytest.mark.parametrize(
    ("pl", "message"),
    [
        ("2099", "Der er intet pris- og lønindeks for 2099."),
        ("20x4", "»20x4« er ikke et år."),
    ],
)
def test_refused_price_level_for_the_annex_makes_no_job(
    client, central_user, price_index, pl, message
):
    catalog = bc01().catalog
    client.force_login(central_user)
    response = client.post(reverse("annex:start", args=[catalog.key]), {"pl": pl}, follow=True)
    assert response.status_code == 200
    assert message in text_of(response)
    assert AnnexJob.objects.count() == 0
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("render_annex", catalog=catalog.key, output="x.pdf", pl=pl)


def test_a_proposal_whose_own_year_has_no_index_makes_no_job(client, central_user, price_index):
    catalog = bc01().catalog
    ProposalFactory(catalog=catalog, number="BC09", price_level_year=2009)
    client.force_login(central_user)
    response = client.post(reverse("annex:start", args=[catalog.key]), {"pl": "2024"}, follow=True)
    assert response.status_code == 200
    assert (
        "Der er intet pris- og lønindeks for 2009, som er prisniveauet for forslag i "
        "kataloget; bilaget kan ikke udskrives i 2024 p/l." in text_of(response)
    )
    assert AnnexJob.objects.count() == 0


@pytest.mark.slow
@pytest.mark.tools("pdftotext")
def test_annex_job_prints_in_the_chosen_price_level(client, central_user, price_index, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    catalog = bc01().catalog
    client.force_login(central_user)
    page = text_of(client.get(reverse("annex:catalog", args=[catalog.key])))
    assert "Prisniveau (p/l)" in page and "Hvert forslags eget" in page
    response = client.post(reverse("annex:start", args=[catalog.key]), {"pl": "2024"}, follow=True)
    job = AnnexJob.objects.get()
    assert (job.state, job.price_level) == (AnnexJob.State.DONE, 2024)
    assert "Udskrevet i 2024 p/l" in text_of(response)
    data = client.get(reverse("annex:job_download", args=[job.pk])).getvalue()
    path = settings.MEDIA_ROOT / "job.pdf"
    path.write_bytes(data)
    assert "Energibesparelse Service -575 -1.150" in flat(pdftotext(path))
    # the index lost its year after the job was queued: failed, said in Danish, no file
    PriceIndex.objects.filter(year=2024).delete()
    again = AnnexJob.objects.create(catalog=catalog, price_level=2024, requested_by=central_user)
    failed = run_job(again.pk, workers=1)
    assert failed.state == AnnexJob.State.FAILED
    assert failed.error == "Der er intet pris- og lønindeks for 2024."
    assert not failed.file


# --- one rule for a converted overview (breaker, session 3: fault 1) ---------------------
# Three proposals, each with 126 (1.000 kr., 2021 p/l) of service investment. In 2024 p/l
# each is 126 * 124,6443 / 112,1065 = 140,0920 -> 0,140092 mio. kr.: rounded alone each
# row is 0,1 and the rows add up to 0,3, but the exact total 0,420276 is 0,4. The one
# rule (finance.prices.convert_overview): the total 0,4, the rows rounded to it by the
# largest remainder (equal remainders: the smaller key, the first proposal) 0,2 0,1 0,1.


def three_small(catalog):
    for number in ("BC11", "BC12", "BC13"):
        proposal = ProposalFactory(catalog=catalog, number=number, title=f"Lille {number}")
        add_line(proposal, "implementation", "cost", "service", "Indkøb", {2021: 126})
        refresh_summary(proposal)


def overview_sheet(wb):
    rows = list(wb["Oversigt"].iter_rows(min_row=4, values_only=True))
    table = {row[1]: row for row in rows if row[1]}
    total = next(row for row in rows if row[0] == "I alt")
    return table, total


@pytest.mark.slow
@pytest.mark.tools("pdftotext")
def test_converted_overview_is_one_rule_on_page_pdf_and_workbook(
    client, central_user, price_index, tmp_path
):
    catalog = bc01().catalog
    refresh_summary(catalog.proposals.get())
    three_small(catalog)
    client.force_login(central_user)
    url = reverse("cases:catalog_detail", args=[catalog.key])
    page = text_of(client.get(url, {"pl": "2024"}))
    expected = {"BC11": "0,2", "BC12": "0,1", "BC13": "0,1"}
    for number, value in expected.items():
        assert f"{number} Lille {number} {value} 0,0 0,0 0,0" in page
    # total: service 0,4 (not 0,3), capital 6,2, full effect 1,1
    assert "I alt (4 forslag) 0,4 6,2 1,1 0,0" in page
    out = tmp_path / "small-2024.pdf"
    pdf.render_catalog_annex(catalog, out, workers=1, price_level=choose_price_level("2024"))
    printed = flat(pdftotext(out, first=1, last=3))
    for number, value in expected.items():
        assert f"{number} Lille {number} {value} 0,0 0,0 0,0" in printed
    assert "I alt 0,4 6,2 1,1 0,0" in printed
    wb = workbook(catalog, "2024", data_only=True)
    table, total = overview_sheet(wb)
    for number, value in expected.items():
        assert Decimal(str(table[number][3])) == Decimal(value.replace(",", "."))
    # under the table, by which index anlæg was converted (no anlæg series: service)
    notes = [row[0] for row in wb["Oversigt"].iter_rows(values_only=True) if row[0]]
    assert notes[-1] == (
        "Anlægsbeløb er også omregnet med serviceindekset: der er intet anlægsindeks for "
        "2021, 2024 (det indtastes i administrationen)."
    )
    assert [Decimal(str(v)) for v in total[3:7]] == [
        Decimal("0.4"), Decimal("6.2"), Decimal("1.1"), Decimal("0.0")
    ]
    # and in the proposals' own p/l each row is 0,1 and the total their sum, 0,3
    own = text_of(client.get(url))
    assert "I alt (4 forslag) 0,3 5,6 1,0 0,0" in own


# The case list over proposals of two price levels (breaker, session 3: fault 2 — its
# total was converted, its rows were not) shows rows and total in the newest p/l, and
# its total is the one of the catalogue page, the PDF and the workbook in that p/l.
# By hand (factor 2020 -> 2021: 112,1065 / 110,7772): BC20's 1.440 (2020 p/l) service
# investment is 1.457,280 -> 1,5 mio. kr. in 2021 p/l (1,4 in its own); with the three
# 0,126 of BC11-BC13 the exact total is 1,835 -> 1,8. (Adding the printed level sums,
# 1,4 * 1,012 + 0,3 = 1,717 -> 1,7, as the list did, gave another total than the
# catalogue page.)


@pytest.mark.slow
@pytest.mark.tools("pdftotext")
def test_case_list_total_is_the_catalogue_total_in_one_price_level(
    client, central_user, price_index, tmp_path
):
    catalog = bc01().catalog
    refresh_summary(catalog.proposals.get())
    three_small(catalog)
    old = ProposalFactory(catalog=catalog, number="BC20", title="Fra 2020", price_level_year=2020)
    add_line(old, "implementation", "cost", "service", "Indkøb", {2021: 1440})
    refresh_summary(old)
    client.force_login(central_user)
    listing = client.get(reverse("review:case_list"))
    totals = listing.context["table"].totals
    assert (totals["price_level"], totals["converted"]) == (2021, True)
    assert totals["investment_service"] == Decimal("1.8")
    assert totals["investment_capital"] == Decimal("5.6")
    text = text_of(listing)
    assert "Alle beløb i 2021 p/l: rækker og total for forslag i et andet prisniveau er " in text
    assert re.search(r"BC20 Fra 2020 omregnet fra 2020 p/l 1,5 0,0 0,0 0,0", text), text
    assert "BC11 Lille BC11 0,1 0,0 0,0 0,0" in text  # its own p/l: not marked
    # the catalogue page, the workbook and the PDF in 2021 p/l: the same total
    url = reverse("cases:catalog_detail", args=[catalog.key])
    assert "I alt (5 forslag) 1,8 5,6 1,0 0,0" in text_of(client.get(url, {"pl": "2021"}))
    _table, total = overview_sheet(workbook(catalog, "2021", data_only=True))
    assert [Decimal(str(v)) for v in total[3:5]] == [Decimal("1.8"), Decimal("5.6")]
    out = tmp_path / "mixed-2021.pdf"
    pdf.render_catalog_annex(catalog, out, workers=1, price_level=choose_price_level("2021"))
    assert "I alt 1,8 5,6 1,0 0,0" in flat(pdftotext(out, first=1, last=3))
