"""Specification rows in the editor (issue 10, point 3): rows under a line of the year
grid, shown, added (with and without JavaScript), removed, saved, checked against their
line (specification_mismatch), bounded, and with Danish messages."""

from decimal import Decimal as D

import pytest
from django.http import QueryDict

from cases import limits
from cases.models import Line, Proposal
from cases.selectors import figures_for, proposals_with_inputs
from cases.views import _with_button_actions
from tests.factories import BIF_SPECIFICATIONS, add_specified_line, bc01

from .formdata import as_post
from .test_editor import edit_url, errors_of, page_data

pytestmark = pytest.mark.django_db

SPECS = BIF_SPECIFICATIONS


def with_specified_line():
    """BC01 with a second permanent line "Sociale ydelser (BIF)" -2.512 and its three
    specification rows (investment 2021 BC11)."""
    proposal = bc01()
    add_specified_line(proposal)
    return proposal


def specs_of(proposal, label):
    line = Line.objects.get(proposal=proposal, label=label)
    return [(s["label"], s["amounts"]) for s in line.specifications]


@pytest.fixture
def central(client, central_user):
    client.force_login(central_user)
    return client


def test_the_editor_shows_the_rows_under_their_line_and_a_save_keeps_them(central):
    proposal = with_specified_line()
    response = central.get(edit_url(proposal))
    html = response.content.decode()
    # under the second permanent line, in order
    at_line = html.index("Sociale ydelser (BIF)</textarea>")
    assert at_line < html.index("Kontanthjælp") < html.index("Førtidspension")
    assert html.index("Energibesparelse") < at_line
    data = page_data(central, edit_url(proposal))
    assert [data[f"perm-spec-{i}-line"] for i in range(3)] == ["1", "1", "1"]
    assert data["perm-spec-1-y2021"] == "-693"
    response = central.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    assert specs_of(proposal, "Sociale ydelser (BIF)") == [
        (s["label"], s["amounts"]) for s in SPECS
    ]
    assert specs_of(proposal, "Energibesparelse") == []


def test_rows_are_added_removed_and_saved_and_a_mismatch_is_a_check(central):
    proposal = with_specified_line()
    data = page_data(central, edit_url(proposal))
    # without JavaScript: "+ Specifikation" on the first line adds a row under it
    response = central.post(edit_url(proposal), as_post(data, **{"add-spec": "perm-spec:0"}))
    assert response.status_code == 200
    editor = response.context["editor"]
    rows = editor.grid["permanent"]
    assert [len(specs) for _line, specs in rows] == [1, 3]
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version  # nothing saved
    data = as_post(
        data,
        action="save",
        **{
            "perm-spec-TOTAL_FORMS": "4",
            "perm-spec-3-line": "0",
            "perm-spec-3-label": "Gadelys",
            "perm-spec-3-y2021": "-500",
            "perm-spec-3-ORDER": "4",
            "perm-spec-2-DELETE": "on",  # Øvrige LAS-ydelser goes
        },
    )
    response = central.post(edit_url(proposal), data)
    assert response.status_code == 302, errors_of(response)
    assert specs_of(proposal, "Energibesparelse") == [("Gadelys", {"2021": "-500"})]
    assert [label for label, _a in specs_of(proposal, "Sociale ydelser (BIF)")] == [
        "Kontanthjælp",
        "Førtidspension",
    ]
    saved = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    checks = [
        (c.detail["label"], c.year, c.stated, c.computed)
        for c in figures_for(saved).checks
        if c.code == "specification_mismatch"
    ]
    assert checks == [
        ("Energibesparelse", 2021, D(-500), D(-517)),
        ("Energibesparelse", 2022, None, D(-1034)),
        ("Energibesparelse", 2023, None, D(-1034)),
        ("Energibesparelse", 2024, None, D(-1034)),
        ("Energibesparelse", 2025, None, D(-1034)),
        ("Energibesparelse", 2026, None, D(-1034)),
        ("Sociale ydelser (BIF)", 2021, D(-2221), D(-2512)),
        ("Sociale ydelser (BIF)", 2022, D(-2221), D(-2512)),
    ]
    # the live panel shows the check while typing
    response = central.post(edit_url(proposal), as_post(page_data(central, edit_url(proposal)),
                                                         action="calculate"))  # fmt: skip
    message = "Specifikationen af »Sociale ydelser (BIF)« giver -2.221 i 2021, men linjen er -2.512"
    assert message in response.content.decode()


def test_removing_a_line_removes_its_rows(central):
    proposal = with_specified_line()
    data = page_data(central, edit_url(proposal))
    post = as_post(data, action="save", **{"perm-1-DELETE": "on"})
    response = central.post(edit_url(proposal), post)
    assert response.status_code == 302, errors_of(response)
    assert list(Line.objects.filter(proposal=proposal, section="permanent").values_list(
        "label", "specifications")) == [("Energibesparelse", [])]  # fmt: skip


def test_messages_are_danish_and_nothing_is_half_saved(central):
    proposal = with_specified_line()
    version = proposal.version
    data = page_data(central, edit_url(proposal))
    response = central.post(
        edit_url(proposal),
        as_post(
            data,
            action="save",
            **{"perm-spec-0-label": "", "perm-spec-1-y2021": "tolv", "perm-spec-2-line": "7"},
        ),  # fmt: skip
    )
    assert response.status_code == 200
    text = errors_of(response)
    assert "Specifikationen skal have en tekst." in text
    assert "'tolv' er ikke et tal" in text or "tolv" in text
    assert "Specifikationen hører ikke til en linje." in text
    # the error summary names the specification row, not a distribution
    places = [link.place for link in response.context["error_links"]]
    assert "Varige ændringer, specifikation, række 1, Specifikation" in places
    assert Proposal.objects.get(pk=proposal.pk).version == version
    assert specs_of(proposal, "Sociale ydelser (BIF)")[0][0] == "Kontanthjælp"


def test_the_number_of_rows_is_bounded(central):
    proposal = with_specified_line()
    data = page_data(central, edit_url(proposal))
    too_many = limits.MAX_SPECIFICATION_ROWS + 1
    response = central.post(
        edit_url(proposal), as_post(data, action="save", **{"perm-spec-TOTAL_FORMS": str(too_many)})
    )
    assert response.status_code == 200
    assert f"{limits.MAX_SPECIFICATION_ROWS}" in errors_of(response)
    # a "+ Specifikation" beyond the bound adds nothing
    full = QueryDict(mutable=True)
    full.update({"perm-spec-TOTAL_FORMS": str(limits.MAX_SPECIFICATION_ROWS),
                 "add-spec": "perm-spec:0"})  # fmt: skip
    assert _with_button_actions(full)["perm-spec-TOTAL_FORMS"] == str(limits.MAX_SPECIFICATION_ROWS)
    full["perm-spec-TOTAL_FORMS"] = "3"
    added = _with_button_actions(full)
    assert (added["perm-spec-TOTAL_FORMS"], added["perm-spec-3-line"]) == ("4", "0")


def test_rows_under_the_first_line_are_shown_once(central):
    """A row under line 0 stands under it and nowhere else (it was also listed as a row
    without a line, so the page posted it twice)."""
    proposal = bc01()
    line = Line.objects.get(proposal=proposal, label="Energibesparelse")
    line.specifications = [{"label": "Gadelys", "amounts": {"2021": "-517"}}]
    line.save()
    html = central.get(edit_url(proposal)).content.decode()
    assert html.count("Gadelys</textarea>") == 1
    data = page_data(central, edit_url(proposal))
    response = central.post(edit_url(proposal), as_post(data, action="calculate"))
    assert [len(specs) for _line, specs in response.context["editor"].grid["permanent"]] == [1]


def test_a_forged_line_index_is_named_in_danish(central):
    """Breaker: a forged POST of a specification row's line index ("bogus") was reported
    as "…, Line: Indtast et heltal." (the hidden field had no label)."""
    proposal = with_specified_line()
    data = page_data(central, edit_url(proposal))
    data["perm-spec-0-line"] = "bogus"
    response = central.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 200
    places = [link.place for link in response.context["error_links"]]
    assert "Varige ændringer, specifikation, række 1 “Kontanthjælp”, Linje" in places
    assert not any(place.endswith(", Line") for place in places)
