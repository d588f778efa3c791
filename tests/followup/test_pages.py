"""The follow-up pages: who sees what, registering through the forms, the gap shown."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from followup.models import RealisedAmount, Registration
from followup.services import cell_name, freeze_plan, save_realised
from tests.factories import bc01

pytestmark = pytest.mark.django_db


def url(name, plan, *args):
    p = plan.proposal
    return reverse(f"followup:{name}", args=[p.catalog.key, p.number, *args])


def lines(plan):
    return {ln.label: ln.pk for ln in plan.realised_lines.all()}


def test_proposal_page_shows_plan_and_forms_to_the_responsible(client, plan, finance_user):
    client.force_login(finance_user)
    response = client.get(url("proposal", plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Registrér realiserede tal" in html
    assert "Færre opkald til borgerservice" in html
    assert 'class="chart planned-realised-chart"' in html
    assert "Planen fastfrosset som vedtaget" in html


def test_reviewer_reads_without_forms_and_outsider_gets_404(
    client, plan, reviewer_user, other_finance_user
):
    client.force_login(reviewer_user)
    response = client.get(url("proposal", plan))
    assert response.status_code == 200
    assert "Registrér realiserede tal" not in response.content.decode()
    assert client.post(url("realised", plan), {}).status_code == 403
    criterion = plan.criteria.first()
    assert client.post(url("register", plan, criterion.pk), {}).status_code == 403
    client.force_login(other_finance_user)
    assert client.get(url("proposal", plan)).status_code == 404


def test_register_realised_through_the_grid_shows_the_gap(client, plan, finance_user):
    client.force_login(finance_user)
    ids = lines(plan)
    response = client.post(
        url("realised", plan),
        {cell_name(ids["Færre opkald"], 2021): "-200", cell_name(ids["Projektledelse"], 2021):
         "1.500"},
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(RealisedAmount.objects.values_list("year", "amount")) == [
        (2021, D(-200)),
        (2021, D(1500)),
    ]
    html = client.get(url("proposal", plan)).content.decode()
    # gap 2021: -200 - (-400) = 200, flagged (50 % behind > 10 %)
    assert 'class="num behind" data-year="2021">200 <span class="flag"' in html


def test_bad_realised_cells_are_refused_with_danish_messages(client, plan, finance_user):
    client.force_login(finance_user)
    ids = lines(plan)
    response = client.post(
        url("realised", plan),
        {cell_name(ids["Færre opkald"], 2021): "200", cell_name(ids["Færre opkald"], 2022): "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "er ikke et tal" in html or "ikke et tal" in html
    assert not RealisedAmount.objects.exists()
    response = client.post(url("realised", plan), {cell_name(ids["Færre opkald"], 2021): "200"})
    assert "besparelser angives med minus" in response.content.decode()
    assert not RealisedAmount.objects.exists()


def test_register_followup_form(client, plan, finance_user, fixed_today):
    fixed_today(date(2022, 1, 15))
    client.force_login(finance_user)
    criterion = plan.criteria.first()
    prefix = f"c{criterion.pk}"
    response = client.post(
        url("register", plan, criterion.pk),
        {f"{prefix}-status": "on_track", f"{prefix}-measured_value": "350.000",
         f"{prefix}-measured_on": "2022-01-10", f"{prefix}-comment": "Som forventet"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.measured_value == D(350000)
    response = client.post(url("register", plan, criterion.pk), {f"{prefix}-status": "delayed"})
    assert response.status_code == 400
    assert "Forklar i en kommentar" in response.content.decode()


def test_pending_page_lists_overdue_criteria(client, plan, finance_user, fixed_today):
    fixed_today(date(2022, 1, 15))
    client.force_login(finance_user)
    html = client.get(reverse("followup:pending")).content.decode()
    assert "Færre opkald til borgerservice" in html
    assert "overskredet" in html


def test_committee_and_catalogue_pages(client, plan, finance_user, central_user, reviewer_user):
    save_realised(finance_user, plan, {(lines(plan)["Færre opkald"], 2021): D(-300)})
    other = freeze_plan(bc01(plan.proposal.catalog), central_user)
    save_realised(central_user, other, {(lines(other)["Energibesparelse"], 2021): D(-517)})
    client.force_login(reviewer_user)
    html = client.get(reverse("followup:committee", args=["KFU"])).content.decode()
    assert plan.proposal.title in html
    assert other.proposal.title not in html  # ØU's proposal, not KFU's
    assert 'data-year="2021">100 <span class="flag"' in html  # -300 vs -400
    client.force_login(central_user)
    response = client.get(reverse("followup:catalog", args=[plan.proposal.catalog.key]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opfølgningsrapport" in html and other.proposal.title in html
    # the catalogue total: realised -817 against plan -917 -> gap 100
    assert ">100 <span" in html or ">100<" in html
    assert client.get(reverse("followup:index")).status_code == 200


def test_report_for_the_annex_figures_and_sheet_rows(plan, finance_user):
    from django.template.loader import render_to_string

    from followup.report import catalogue_report, report_sheet_rows

    ids = lines(plan)
    save_realised(finance_user, plan, {(ids["Færre opkald"], 2021): D(-300),
                                       (ids["Projektledelse"], 2021): D(1500)})  # fmt: skip
    report = catalogue_report(plan.proposal.catalog)  # no user: every adopted proposal
    assert [e["view"].plan.pk for e in report["entries"]] == [plan.pk]
    rows = report_sheet_rows(report)
    by_label = {row[0]: row[1:] for row in rows if row}
    assert by_label["Varige ændringer, plan"] == [D(-400), D(-800), D(-800), D(-800), D(-800),
                                                  D(-800)]  # fmt: skip
    assert by_label["Varige ændringer, realiseret"][:2] == [D(-300), None]
    assert by_label["Afvigelse"][:2] == [D(100), None]
    assert by_label["Bagud i forhold til plan"][:2] == ["Ja", ""]
    # realised 2021: 1.500 - 300 = 1.200, then -300 a year: 0 in year 5, negative in year 6
    assert by_label["Tilbagebetalingstid (total), plan / realiseret"] == [3, 6]
    html = render_to_string("followup/_report.html", {"report": report})
    assert "Opfølgningsrapport" in html and "<svg" in html
    assert "Færre opkald til borgerservice" in html


def test_pages_use_a_fixed_number_of_queries(client, plan, central_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import kff_proposal

    client.force_login(central_user)
    pages = [reverse("followup:index"), reverse("followup:pending"),
             reverse("followup:committee", args=["KFU"])]  # fmt: skip

    def counts():
        out = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            out.append(len(queries.captured_queries))
        return out

    before = counts()
    for _ in range(3):
        freeze_plan(kff_proposal(catalog=plan.proposal.catalog), central_user)
    assert counts() == before
