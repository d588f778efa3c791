"""Narrative text as HTML (cases.richtext): Markdown, tab-separated rows as tables,
sanitised; never a literal ** or ####, never a table printed twice."""

import pytest

from cases.richtext import caption_key, render

TEXT = """Indledning med **fed**, *kursiv* og <i>Afsnittet udfyldes</i>.

#### *Ny fordelingsnøgle*

1.4.1 Investeringsbehovet

- første punkt
- andet punkt

Tabel 1. Serviceinvesteringer i forslaget
\t1.000 kr. 2021 p/l\t\t
\t2020\t2021
Bemanding\t1.157\t2.313

Ydelse\tForventet investering\tGevinster
NemID\tBedre online vejledning\tFærre henvendelser

| Udgift | Potentiale |
|---|---|
| 1.000 | 1.500 |

[hjemmeside](https://www.kk.dk) og [farlig](javascript:alert(1)) <script>alert(1)</script>"""


def test_markdown_becomes_formatting():
    html = render(TEXT)
    assert "<strong>fed</strong>" in html and "<em>kursiv</em>" in html
    assert "<i>Afsnittet udfyldes</i>" in html
    assert "<h4><em>Ny fordelingsnøgle</em></h4>" in html
    assert "<h3>1.4.1 Investeringsbehovet</h3>" in html  # the number is kept
    assert "<ul>\n<li>første punkt</li>" in html
    assert "**" not in html and "####" not in html


def test_tab_rows_and_markdown_tables_are_tables():
    html = render(TEXT)
    assert html.count("<table") == 3
    assert "<caption>Tabel 1. Serviceinvesteringer i forslaget</caption>" in html
    assert '<td class="num">1.157</td><td class="num">2.313</td>' in html
    assert "<td>NemID</td><td>Bedre online vejledning</td><td>Færre henvendelser</td>" in html
    assert "<th>Udgift</th>" in html and "<td>1.500</td>" in html


def test_a_table_the_form_prints_from_the_engine_is_not_printed_again():
    html = render(TEXT, skip_captions=["Tabel 3. Serviceinvesteringer i forslaget"])
    assert html.count("<table") == 2
    assert "Serviceinvesteringer" not in html and "1.157" not in html


def test_sanitised():
    html = render(TEXT)
    assert "<script" not in html and "alert(1)</" not in html
    assert 'href="https://www.kk.dk"' in html
    assert "javascript:" not in html.split("farlig")[0][-60:]
    assert '<a href="javascript' not in html


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tabel 1. Varige ændringer, service", "Varige ændringer, service"),
        ("Table 1.14 Måltalseffekt", "**Tabel 3. Måltalseffekt**"),
        ("Tabel X. Kriterier til prioritering", "Kriterier til prioritering"),
    ],
)
def test_caption_key(a, b):
    assert caption_key(a) == caption_key(b)


@pytest.mark.django_db
def test_the_proposal_page_shows_formatting_and_tables(logged_in, reference_catalogs):
    from cases.models import Proposal

    proposal = Proposal.objects.get(catalog__key="innovation-2020", number="BC07")
    page = logged_in.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>For det første</strong>" in page and "**For det første**" not in page
    # the partners' table is a table; the service investments are printed once, by the
    # engine (their copy in the text is left out)
    # (the checks panel names the source's table where it printed 1.411 for 1.412)
    slip = "Tabel 1. Serviceinvesteringer i forslaget 2020: i alt er trykt 1.411"
    assert page.count(slip) == 1
    assert page.replace(slip, "").count("Serviceinvesteringer i forslaget") == 1
