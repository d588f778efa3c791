"""Absurd price index values are refused (issue 14, breaker session 3: 0, negative,
10^9 and a jump of 1.000 % in one year were accepted): Danish messages by field,
nothing saved; a change of more than ±50 % a year only when confirmed; a conversion
that needs a missing year says so, never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import PriceIndex

from ..cases.test_pages import text_of
from ..factories import ProposalFactory, bc01

pytestmark = pytest.mark.django_db

ADD = reverse("admin:committees_priceindex_add")


def post_index(client, admin_user, **data):
    client.force_login(admin_user)
    fields = {"series": "service", "year": "2030", "value": "130", "source": "", **data}
    return client.post(ADD, fields)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Indekset skal være større end 0."),
        ("-5", "Indekset skal være større end 0."),
        ("1000000000", "Der må maksimalt være 8 cifre før kommaet."),
    ],
)
def test_absurd_values_are_refused_in_danish(client, admin_user, price_index, value, message):
    response = post_index(client, admin_user, value=value)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not PriceIndex.objects.filter(year=2030).exists()


def test_a_year_outside_the_bounds_is_refused(client, admin_user, price_index):
    response = post_index(client, admin_user, year="3000")
    assert "Året skal ligge mellem 1900 og 2100." in text_of(response)
    assert not PriceIndex.objects.filter(year=3000).exists()


def test_a_jump_of_1000_percent_needs_confirmation(client, admin_user, price_index):
    # 2025 is 128,1343 (the default series); 2026 at 1.409,4773 is +1.000 %
    response = post_index(client, admin_user, year="2026", value="1409.4773")
    text = text_of(response)
    assert (
        "Fra 2025 til 2026 ændrer indekset sig +1000,0 % (128,1343 → 1409,4773): mere end "
        "±50 % om året. Kontrollér værdien, eller bekræft at den er rigtig." in text
    )
    assert not PriceIndex.objects.filter(year=2026).exists()
    response = post_index(client, admin_user, year="2026", value="1409.4773", confirm="on")
    assert response.status_code == 302
    assert PriceIndex.objects.get(series="service", year=2026).value == Decimal("1409.4773")


def test_an_ordinary_rise_needs_no_confirmation(client, admin_user, price_index):
    # +3 % on 2025: 128,1343 * 1,03 = 131,9783
    response = post_index(client, admin_user, year="2026", value="131.9783")
    assert response.status_code == 302


def test_changing_a_year_in_the_middle_checks_both_neighbours(client, admin_user, price_index):
    # 2023 halved (59,9252) is -50,0 % from 2022 (within ±50 %) but +108 % to 2024
    row = PriceIndex.objects.get(series="service", year=2023)
    client.force_login(admin_user)
    url = reverse("admin:committees_priceindex_change", args=[row.pk])
    data = {"series": "service", "year": "2023", "value": "59.9252", "source": row.source}
    text = text_of(client.post(url, data))
    assert "Fra 2023 til 2024 ændrer indekset sig +108,0 %" in text
    assert "Fra 2022 til 2023" not in text
    row.refresh_from_db()
    assert row.value == Decimal("119.8503")


def test_the_list_refuses_a_jump_it_cannot_confirm(client, admin_user, price_index):
    client.force_login(admin_user)
    rows = list(PriceIndex.objects.filter(series="service").order_by("year"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Gem",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-value"] = "1.0" if row.year == 2024 else str(row.value)
    response = client.post(reverse("admin:committees_priceindex_changelist"), data)
    assert response.status_code == 200
    assert "Fra 2023 til 2024 ændrer indekset sig -99,2 %" in text_of(response)
    assert PriceIndex.objects.get(series="service", year=2024).value == Decimal("124.6443")


def test_a_conversion_needing_a_missing_year_says_so(client, central_user, price_index):
    """The proposal's own year without an index: page, catalogue, workbook and case
    list say it in Danish and show the own p/l (never a 500)."""
    proposal = bc01()
    ProposalFactory(catalog=proposal.catalog, number="BC09", price_level_year=2009)
    odd = proposal.catalog.proposals.get(number="BC09")
    client.force_login(central_user)
    page = client.get(odd.get_absolute_url(), {"pl": "2024"})
    assert page.status_code == 200
    assert "Der er intet pris- og lønindeks for 2009" in text_of(page)
    overview = client.get(reverse("cases:catalog_detail", args=[odd.catalog.key]), {"pl": "2024"})
    assert overview.status_code == 200
    assert "Der er intet pris- og lønindeks for 2009" in text_of(overview)
    xlsx = reverse("annex:xlsx", args=[odd.catalog.key])
    workbook = client.get(xlsx, {"pl": "2024"}, follow=True)
    assert workbook.status_code == 200
    assert "Der er intet pris- og lønindeks for 2009" in text_of(workbook)
    listing = client.get(reverse("review:case_list"))
    assert listing.status_code == 200
    assert "blandede prisniveauer: intet indeks for 2009, ikke omregnet" in text_of(listing)


def test_index_values_are_shown_in_danish_without_trailing_zeros(client, admin_user, price_index):
    """Breaker: the admin's index inputs showed the stored "100.0000" (Django's number
    input). They show 100 and 128,1343, and read a Danish value back exactly."""
    client.force_login(admin_user)
    base = PriceIndex.objects.get(series="service", year=2010)
    later = PriceIndex.objects.get(series="service", year=2025)
    assert (base.value, later.value) == (Decimal("100.0000"), Decimal("128.1343"))
    page = client.get(reverse("admin:committees_priceindex_changelist")).content.decode()
    assert 'name="form-0-value" value="100"' in page
    assert 'value="128,1343"' in page and "100.0000" not in page
    url = reverse("admin:committees_priceindex_change", args=[later.pk])
    assert 'name="value" value="128,1343"' in client.get(url).content.decode()
    data = {"series": "service", "year": "2025", "value": "128,2", "source": later.source}
    assert client.post(url, data).status_code == 302
    later.refresh_from_db()
    assert later.value == Decimal("128.2")
