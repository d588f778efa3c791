"""The pool's portfolio page exported to Excel and printed as an annex page (issue 14):
the same figures as the page (one page object, `cases.portfolio.catalog_portfolio`),
for central finance only."""

import io
import re
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from cases.models import PoolBudget, Status
from tests.system_tools import run_tool

from ..cases.test_pages import text_of
from ..factories import ProposalFactory, add_line, bc01
from .conftest import pdftotext, save_pngs

pytestmark = [pytest.mark.django_db, pytest.mark.tools("pdftotext", "pdftoppm")]


def portfolio_catalog():
    """Budget 6.000 in 2021; BC01 recommended (5.580 invested in 2021), BC02 submitted
    (1.000 in 2021, -500 a year from 2022). By hand (tests/cases/test_appraisal_pages.py):
    2021: budget 6.000, invested 5.580, 420 left, -517 permanent, net 5.063."""
    first = bc01()
    first.status = Status.RECOMMENDED
    first.save()
    second = ProposalFactory(catalog=first.catalog, number="BC02", title="Anden")
    add_line(second, "permanent", "saving", "service", "Besparelse",
             {y: -500 for y in range(2022, 2027)})  # fmt: skip
    add_line(second, "implementation", "cost", "service", "Projekt", {2021: 1000})
    PoolBudget.objects.create(catalog=first.catalog, year=2021, amount=D(6000))
    return first.catalog


def test_page_excel_and_print_show_the_same_portfolio(client, central_user, tmp_path):
    catalog = portfolio_catalog()
    client.force_login(central_user)
    page = text_of(client.get(reverse("cases:catalog_portfolio", args=[catalog.key])))
    chosen_2021 = "2021 6.000 5.580 420 -517 5.063 5.063"
    assert chosen_2021 in page
    assert "1 BC02 Anden 1.000 4" in page

    response = client.get(reverse("annex:portfolio_pdf", args=[catalog.key]))
    assert response.status_code == 200
    out = tmp_path / "puljen.pdf"
    out.write_bytes(response.getvalue() if hasattr(response, "getvalue") else response.content)
    printed = re.sub(r"\s+", " ", pdftotext(out))
    assert "PULJEN OVER FOR RAMMEN" in printed
    assert chosen_2021 in printed
    assert "1 BC02 Anden 1.000 4" in printed
    assert "Ikke med" in printed  # "(over rammen)" may wrap in its narrow column
    save_pngs(out, "portfolio", pages=1)

    response = client.get(reverse("annex:portfolio_xlsx", args=[catalog.key]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb["Puljen"].iter_rows(values_only=True))
    (year,) = [r for r in rows if r[0] == 2021]
    assert [D(str(v)) for v in year[1:7]] == [D(6000), D(5580), D(420), D(-517), D(5063),
                                              D(5063)]  # fmt: skip
    ranked = list(wb["Forslag til prioritering"].iter_rows(values_only=True))
    first = [r for r in ranked if r and r[0] == 1][0]
    assert first[1:5] == ("BC02", "Anden", 1000, 4)
    assert [r for r in ranked if r and r[0] == 2][0][6] == "Nej (over rammen)"


def test_portfolio_exports_are_for_central_finance(client, finance_user):
    catalog = bc01().catalog
    client.force_login(finance_user)
    for name in ("annex:portfolio_pdf", "annex:portfolio_xlsx"):
        assert client.get(reverse(name, args=[catalog.key])).status_code == 403


def test_printed_portfolio_total_is_printed_once_per_table_when_it_runs_over_pages(
    client, central_user, tmp_path
):
    """Year tables that run over a page break. Their "I alt" row is the total of the whole
    table; printed at the foot of every page (a repeated <tfoot>) it stood under that
    page's rows only (the demo's 2020-2024 above a total of -29.003 they do not add up to)."""
    catalog = portfolio_catalog()
    for n in range(3, 11):
        long = ProposalFactory(
            catalog=catalog, number=f"BC{n:02d}", title=f"Langt forslag {n}",
            first_year=2021, last_year=2050, status=Status.RECOMMENDED,
        )  # fmt: skip
        add_line(long, "permanent", "saving", "service", "Besparelse",
                 {y: -100 for y in range(2022, 2051)})  # fmt: skip
        add_line(long, "implementation", "cost", "service", "Projekt", {2021: 100})
    client.force_login(central_user)
    response = client.get(reverse("annex:portfolio_pdf", args=[catalog.key]))
    out = tmp_path / "puljen-lang.pdf"
    out.write_bytes(response.content)
    printed = pdftotext(out)
    pages = printed.split("\f")
    split = [i for i, text in enumerate(pages) if re.search(r"^\s*2050\b", text, flags=re.M)
             and not re.search(r"^\s*2021\b", text, flags=re.M)]  # fmt: skip
    assert split  # a year table does run over a page
    assert len(re.findall(r"^\s*I alt\b", printed, flags=re.M)) == 2


def test_printed_suggestion_gives_the_title_room(client, central_user, tmp_path):
    """The ranked table's title column was squeezed by the unwrapped headers of the figure
    columns: a title of 62 characters stood on five lines of one or two words."""
    catalog = portfolio_catalog()
    catalog.proposals.filter(number="BC02").update(
        title="Aktivitetsbaseret indretning i Københavns Ejendomme og Indkøb"
    )
    client.force_login(central_user)
    out = tmp_path / "puljen.pdf"
    out.write_bytes(client.get(reverse("annex:portfolio_pdf", args=[catalog.key])).content)
    save_pngs(out, "portfolio-long-title", pages=1)
    lines = [" ".join(line.split()) for line in pdftotext(out).splitlines()]
    assert any("BC02 Aktivitetsbaseret indretning i" in line for line in lines)


def test_printed_suggestion_wraps_a_long_word_of_the_title_inside_its_column(
    client, central_user, tmp_path
):
    """A title with a word longer than its column (a Danish compound, a pasted address)
    ran over the figure columns and printed on top of the investment, payback, present
    value and "Med": it breaks inside the title's column."""
    catalog = portfolio_catalog()
    word = "Digitaliseringsunderstøttelsesprojektimplementeringsforløbskoordineringsenheden"
    catalog.proposals.filter(number="BC02").update(title=f"{word} og mere")
    client.force_login(central_user)
    out = tmp_path / "puljen.pdf"
    out.write_bytes(client.get(reverse("annex:portfolio_pdf", args=[catalog.key])).content)
    save_pngs(out, "portfolio-long-word", pages=1)
    boxes = run_tool(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    words = [
        (float(x_min), float(x_max), text)
        for x_min, x_max, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            boxes,
        )
    ]
    investment_column = min(x_min for x_min, _, text in words if text == "Investering")
    pieces = [(x_min, x_max) for x_min, x_max, text in words if len(text) > 9 and text in word]
    title_pieces = [piece for piece in pieces if piece[0] > 100]  # the table's, not the list's
    assert len(title_pieces) >= 2  # the word broke
    assert max(x_max for _, x_max in title_pieces) < investment_column
