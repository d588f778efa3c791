"""Entry in the user's unit (issue 14, point 4): each section of the editor's year grid
(permanent changes, implementation costs, administration; specification rows follow
their line's section) is typed in kr., 1.000 kr. or mio. kr. and stored in 1.000 kr.
exactly by `finance.prices.to_thousands`, or refused with a Danish message at the cell
and nothing saved.

Hand-worked conversions (stored: 1.000 kr. with at most two decimals, never rounded):
    kr.       1.500.000  -> 1.500        (1.500.000 / 1.000)
    mio. kr.  2,5        -> 2.500        (2,5 * 1.000)
    mio. kr.  -0,517     -> -517
    kr.       1.230      -> 1,23         (whole tens of kroner are exact)
    kr.       1.234      -> refused      (1,234: three decimals of 1.000 kr.)
    kr.       1.234,5    -> refused      (1,2345)
    mio. kr.  1,234567   -> refused      (1.234,567)
"""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import translation

from cases.forms import AmountField, ProposalEditor, proposal_data
from cases.models import Line, Proposal
from cases.selectors import line_amounts, proposals_with_inputs
from tests.factories import add_specified_line, bc01

from .formdata import as_post, form_data
from .test_editor import edit_url, errors_of, page_data, preview_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(client, central_user):
    client.force_login(central_user)
    return client


def amounts_of(proposal, label):
    return line_amounts(Line.objects.get(proposal=proposal, label=label))


@pytest.mark.parametrize(
    ("unit", "typed", "stored"),
    [
        ("kr", "1.500.000", D("1500")),
        ("mio.kr", "2,5", D("2500")),
        ("mio.kr", "-0,517", D("-517")),
        ("kr", "1.230", D("1.23")),
        ("kr", "-10", D("-0.01")),
        ("t.kr", "1.034,5", D("1034.5")),
        ("mio.kr", "1,23456", D("1234.56")),
    ],
)
def test_hand_worked_conversions(unit, typed, stored):
    with translation.override("da"):
        assert AmountField(unit=unit).clean(typed) == stored


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        (
            "kr",
            "1.234",
            "1.234 kr. er 1,234 i 1.000 kr.: beløb gemmes i 1.000 kr. med højst to "
            "decimaler (hele 10 kr.). Ret beløbet.",
        ),
        ("kr", "1.234,5", "1.234,5 kr. er 1,2345 i 1.000 kr."),
        ("mio.kr", "1,234567", "1,234567 mio. kr. er 1.234,567 i 1.000 kr."),
        ("t.kr", "1,2345", "Brug højst 2 decimaler."),
        (
            "mio.kr",
            "1,034",
            "“1,034” kan læses som 1,0340 eller som 1.034. Hvilket mente du? Skriv 1,0340 "
            "eller 1.034.",
        ),
        ("mio.kr", "1.000.000.000", "Tallet er for stort."),
    ],
)
def test_inexact_amounts_are_refused(unit, typed, message):
    with translation.override("da"):
        with pytest.raises(Exception) as refused:
            AmountField(unit=unit).clean(typed)
        assert message in " ".join(refused.value.messages)


def test_a_section_typed_in_other_units_is_stored_in_thousands(central):
    proposal = bc01()
    data = page_data(central, edit_url(proposal))
    assert data["perm-unit"] == "t.kr"  # the default
    years = {f"perm-0-y{y}": "-1,0340" for y in range(2022, 2027)}  # as the page shows it
    post = as_post(
        data,
        action="save",
        **{
            "perm-unit": "mio.kr",
            "perm-0-y2021": "-2,5",
            **years,
            "impl-unit": "kr",
            "impl-0-y2021": "1.500.000",
        },
    )
    response = central.post(edit_url(proposal), post)
    assert response.status_code == 302, errors_of(response)
    assert amounts_of(proposal, "Energibesparelse") == {
        2021: D("-2500"),
        **{y: D("-1034") for y in range(2022, 2027)},
    }
    assert amounts_of(proposal, "Anlægsinvestering") == {2021: D("1500")}


def test_the_editor_opens_in_a_unit_and_a_save_keeps_the_amounts(central):
    proposal = bc01()
    add_specified_line(proposal)
    data = page_data(central, edit_url(proposal) + "?enhed=mio.kr")
    assert (data["perm-unit"], data["impl-unit"], data["admin-unit"]) == ("mio.kr",) * 3
    assert data["perm-0-y2021"] == "-0,517"
    assert data["perm-0-y2022"] == "-1,0340"  # "-1,034" could be read as -1.034 too
    assert data["impl-0-y2021"] == "5,58"
    assert data["perm-spec-1-y2021"] == "-0,693"  # specification rows follow their line
    only_impl = page_data(central, edit_url(proposal) + "?impl-unit=kr")
    assert (only_impl["perm-0-y2021"], only_impl["impl-0-y2021"]) == ("-517", "5.580.000")
    version = proposal.version
    before = {ln.label: line_amounts(ln) for ln in Line.objects.filter(proposal=proposal)}
    response = central.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.version == version + 1
    after = {ln.label: line_amounts(ln) for ln in Line.objects.filter(proposal=proposal)}
    assert after == before
    bif = Line.objects.get(proposal=proposal, label="Sociale ydelser (BIF)")
    assert [s["amounts"] for s in bif.specifications] == [
        {"2021": "-1528", "2022": "-1528"},
        {"2021": "-693", "2022": "-693"},
        {"2021": "-291", "2022": "-291"},
    ]


def test_specification_rows_are_read_in_their_lines_unit(central):
    proposal = bc01()
    add_specified_line(proposal)
    data = page_data(central, edit_url(proposal))
    post = as_post(
        data,
        action="save",
        **{
            "perm-unit": "kr",
            "perm-0-y2021": "-517.000",
            **{f"perm-0-y{y}": "-1.034.000" for y in range(2022, 2027)},
            "perm-1-y2021": "-2.512.000",
            "perm-1-y2022": "-2.512.000",
            "perm-spec-0-y2021": "-1.528.000",
            "perm-spec-0-y2022": "-1.528.000",
            "perm-spec-1-y2021": "-693.000",
            "perm-spec-1-y2022": "-693.000",
            "perm-spec-2-y2021": "-291.000",
            "perm-spec-2-y2022": "-291.000",
        },
    )
    response = central.post(edit_url(proposal), post)
    assert response.status_code == 302, errors_of(response)
    bif = Line.objects.get(proposal=proposal, label="Sociale ydelser (BIF)")
    assert line_amounts(bif) == {2021: D("-2512"), 2022: D("-2512")}
    assert [s["amounts"]["2021"] for s in bif.specifications] == ["-1528", "-693", "-291"]


def test_an_inexact_amount_is_refused_at_its_cell_and_nothing_is_saved(central):
    proposal = bc01()
    version = proposal.version
    data = page_data(central, edit_url(proposal))
    response = central.post(
        edit_url(proposal),
        as_post(
            data,
            action="save",
            title="Ny titel",
            **{"impl-unit": "kr", "impl-0-y2021": "1.234,5", "perm-0-y2021": "-600"},
        ),
    )
    assert response.status_code == 200
    message = (
        "1.234,5 kr. er 1,2345 i 1.000 kr.: beløb gemmes i 1.000 kr. med højst to "
        "decimaler (hele 10 kr.). Ret beløbet."
    )
    assert message in errors_of(response)
    links = [(link.place, link.message) for link in response.context["error_links"]]
    assert ("Implementeringsomkostninger, række 1 “Anlægsinvestering”, 2021", message) in links
    html = response.content.decode()
    assert 'name="impl-0-y2021" value="1.234,5"' in html  # the typed text is kept
    assert 'id="id_impl-0-y2021_error"' in html
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.version, saved.title) == (version, "Belysningspakke 2d")  # nothing saved
    assert amounts_of(proposal, "Energibesparelse")[2021] == D("-517")
    assert amounts_of(proposal, "Anlægsinvestering") == {2021: D("5580")}


def test_an_unknown_unit_is_an_error_and_no_parameter_gives_a_500(central):
    proposal = bc01()
    for query in ("?enhed=dkk", "?enhed=", "?enhed=mio.kr&perm-unit=x"):
        response = central.get(edit_url(proposal) + query)
        assert response.status_code == 200
    # A NUL in any parameter gets the Danish 400 page before a view reads it
    # (ops.middleware.NulInAddressMiddleware), the editor's unit included.
    response = central.get(edit_url(proposal) + "?perm-unit=%00", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in response.content.decode()
    assert page_data(central, edit_url(proposal) + "?enhed=dkk")["perm-0-y2021"] == "-517"
    version = proposal.version
    data = page_data(central, edit_url(proposal))
    response = central.post(
        edit_url(proposal), as_post(data, action="save", **{"perm-unit": "dkk"})
    )
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed. dkk er ikke en af" in errors_of(response)
    assert Proposal.objects.get(pk=proposal.pk).version == version


def test_the_live_tables_show_the_stored_figures_in_thousands(central):
    """The live tables are computed by the server from the amounts in 1.000 kr.; the page
    computes nothing."""
    proposal = bc01()
    data = page_data(central, edit_url(proposal))
    response = central.post(
        preview_url(proposal),
        as_post(data, **{"impl-unit": "mio.kr", "impl-0-y2021": "7,25"}),
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "7.250" in html
    assert "5.580" not in html


def test_the_values_compared_after_a_refused_save_do_not_depend_on_the_unit():
    """The three-way merge of a refused save compares field values: a page opened in
    mio. kr. and one in 1.000 kr. give the same values (in 1.000 kr.)."""
    proposal = proposals_with_inputs(Proposal.objects.filter(pk=bc01().pk)).get()
    data = proposal_data(proposal)
    with translation.override("da"):
        plain = ProposalEditor(initial=data, proposal=proposal).values()
        units = {"permanent": "mio.kr", "implementation": "kr", "administration": "kr"}
        in_units = ProposalEditor(initial=data, proposal=proposal, units=units).values()
    assert in_units == plain
    assert plain["perm-0-y2022"] == "-1.034"


def test_a_refused_save_in_mio_kr_merges_in_thousands(central_user):
    """Someone else saves (in 1.000 kr.) while the page is open in mio. kr.: the merged
    page is in 1.000 kr., their amount taken over, the user's own amount kept."""
    proposal = bc01()
    first, second = Client(), Client()
    first.force_login(central_user)
    second.force_login(central_user)
    first_data = page_data(first, edit_url(proposal))
    second_data = page_data(second, edit_url(proposal) + "?enhed=mio.kr")
    response = first.post(edit_url(proposal), as_post(first_data, action="save",
                                                      **{"perm-0-y2022": "-900"}))  # fmt: skip
    assert response.status_code == 302
    response = second.post(
        edit_url(proposal), as_post(second_data, action="save", **{"impl-0-y2021": "6"})
    )
    assert response.status_code == 200
    merged = form_data(response.content)
    assert (merged["perm-unit"], merged["impl-unit"]) == ("t.kr", "t.kr")
    assert (merged["perm-0-y2022"], merged["impl-0-y2021"]) == ("-900", "6.000")
    assert merged["perm-0-y2023"] == "-1.034"  # nobody changed it
    assert response.context["choices"] == []  # no field both changed
    response = second.post(edit_url(proposal), as_post(merged, action="save"))
    assert response.status_code == 302, errors_of(response)
    assert amounts_of(proposal, "Energibesparelse")[2022] == D("-900")
    assert amounts_of(proposal, "Anlægsinvestering") == {2021: D("6000")}
