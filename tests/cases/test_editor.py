"""The case editor: creating, saving, Danish numbers, validation messages, optimistic
locking, live tables, copying, escaping, and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.forms import SUBJECT_LABELS
from cases.models import Line, Proposal
from cases.selectors import figures_for, proposals_with_inputs
from committees.models import PriceIndex
from finance.engine import SUBJECT_NAMES, SUBJECTS
from tests.factories import CatalogFactory, ProposalFactory, add_line, bc01

from .formdata import as_post, form_data

pytestmark = pytest.mark.django_db


def edit_url(proposal):
    return reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])


def preview_url(proposal):
    return reverse("cases:proposal_preview", args=[proposal.catalog.key, proposal.number])


def page_data(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content)


def errors_of(response) -> str:
    """Every error text the editor page shows (cells, fields, formsets)."""
    editor = response.context["editor"]
    texts = []
    for form in editor.all_forms():
        if hasattr(form, "forms"):
            texts += [str(e) for e in form.non_form_errors()]
            for sub in form.forms:
                texts += [str(e) for errs in sub.errors.values() for e in errs]
        else:
            texts += [str(e) for errs in form.errors.values() for e in errs]
    return "\n".join(texts)


@pytest.fixture
def catalog(db):
    return CatalogFactory(key="investment-2021", budget_year=2021)


@pytest.fixture
def finans(client, finance_user):
    client.force_login(finance_user)
    return client


def new_proposal_post(client, catalog, **fields):
    url = reverse("cases:proposal_new") + f"?katalog={catalog.key}"
    data = page_data(client, url)
    return url, as_post(data, **fields)


# --------------------------------------------------------------------------- creating


def test_finance_staff_create_a_proposal_with_danish_numbers(finans, catalog):
    url, data = new_proposal_post(
        finans,
        catalog,
        action="save",
        title="Ny arrangementsafvikling",
        **{
            "perm-0-label": "Besparelse",
            "perm-0-y2021": "-517",
            "perm-0-y2022": "-1.034",
            "perm-0-y2023": "-1.034,5",
            "impl-0-label": "Anlægsinvestering",
            "impl-0-area": "capital",
            "impl-0-y2021": "5.580",
            "fte-y2022": "1,5",
        },
    )
    # the number is suggested and the presenting administration is the user's own
    assert data["number"] == ["1"]
    response = finans.post(url, data)
    assert response.status_code == 302, errors_of(response)
    proposal = proposals_with_inputs().get(catalog=catalog, number="1")
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.presenting_administration.code == "KFF"
    assert proposal.committee.code == "KFU"
    assert proposal.years == (2021, 2022, 2023, 2024, 2025, 2026)
    saving = proposal.lines.get(section="permanent")
    amounts = {a.year: a.amount for a in saving.amounts.all()}
    # empty stays empty: no amount for 2024-2026
    assert amounts == {2021: Decimal("-517"), 2022: Decimal("-1034"), 2023: Decimal("-1034.5")}
    assert {f.year: f.fte for f in proposal.fte_years.all()} == {2022: Decimal("1.5")}
    assert [h.body for h in proposal.hearing.all()][:2] == [
        "Center for Økonomi, Økonomiforvaltningen",
        "Ejendomsfaglig vurdering",
    ]
    figures = figures_for(proposal)
    assert figures.net_total[2021] == Decimal("5063")


def test_saved_numbers_show_again_as_typed(finans, catalog):
    url, data = new_proposal_post(
        finans,
        catalog,
        action="save",
        title="T",
        **{"perm-0-label": "a", "perm-0-y2021": "-1.034,5", "perm-0-y2022": "0"},
    )
    finans.post(url, data)
    proposal = Proposal.objects.get(catalog=catalog)
    data = page_data(finans, edit_url(proposal))
    assert data["perm-0-y2021"] == "-1.034,5"
    assert data["perm-0-y2022"] == "0"  # a printed zero is not an empty cell
    assert data["perm-0-y2023"] == ""


def test_rows_can_be_removed_and_reordered(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    add_line(proposal, "permanent", "cost", "service", "Drift", {2022: 100})
    data = page_data(client, edit_url(proposal))
    response = client.post(
        edit_url(proposal),
        as_post(data, action="save", **{"perm-0-ORDER": "2", "perm-1-ORDER": "1"}),
    )
    assert response.status_code == 302
    labels = list(Line.objects.filter(proposal=proposal).order_by("order", "pk"))
    assert [ln.label for ln in labels if ln.section == "permanent"] == ["Drift", "Energibesparelse"]
    data = page_data(client, edit_url(proposal))
    response = client.post(
        edit_url(proposal), as_post(data, action="save", **{"perm-0-DELETE": "on"})
    )
    assert response.status_code == 302
    assert list(proposal.lines.filter(section="permanent").values_list("label", flat=True)) == [
        "Energibesparelse"
    ]


def test_add_row_without_javascript_shows_an_empty_row_and_saves_nothing(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    response = client.post(edit_url(proposal), as_post(data, add="perm"))
    assert response.status_code == 200
    assert len(response.context["editor"].line_sets["permanent"].forms) == 2
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version


def test_copy_from_an_earlier_proposal(client, central_user):
    client.force_login(central_user)
    source = bc01()
    later = CatalogFactory(key="investment-2022", budget_year=2022)
    url = reverse("cases:proposal_new") + f"?kopi={source.pk}&katalog={later.key}"
    data = page_data(client, url)
    assert data["title"] == "Belysningspakke 2d"
    assert data["perm-0-y2022"] == "-1.034"
    response = client.post(url, as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    copy = proposals_with_inputs().get(catalog=later)
    assert copy.number == "1"
    assert figures_for(copy).payback_years_total == figures_for(source).payback_years_total
    assert Proposal.objects.count() == 2


# --------------------------------------------------------------------------- validation


def _post_invalid(client, proposal, **fields):
    data = page_data(client, edit_url(proposal))
    before = Proposal.objects.get(pk=proposal.pk)
    response = client.post(edit_url(proposal), as_post(data, action="save", **fields))
    assert response.status_code == 200
    after = Proposal.objects.get(pk=proposal.pk)
    assert after.version == before.version and after.title == before.title  # nothing saved
    return response


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"perm-0-y2022": "12a"}, "“12a” er ikke et tal. Skriv fx 1.034, -517, 337,5."),
        ({"perm-0-y2022": "1.5"}, "“1.5” er ikke et tal."),
        ({"perm-0-y2022": "-1,2345"}, "Brug højst 2 decimaler."),
        ({"perm-0-y2022": "10.000.000.000.000"}, "Tallet er for stort."),
        ({"perm-0-y2030": "5"}, "2030 ligger uden for forslagets år (2021–2026)."),
        ({"perm-0-label": ""}, "Linjen skal have en tekst."),
        ({"title": ""}, "Dette felt er påkrævet."),
        ({"number": "BC 1"}, "Brug kun bogstaver, tal, “.”, “-” og “_” (højst 20)."),
        ({"year_count": "31"}, "Denne værdi skal være mindre end eller lig 30."),
        (
            {"section-TOTAL_FORMS": "1", "section-0-text": "Tekst"},
            "Afsnittet skal have en overskrift.",
        ),
        ({"hearing-TOTAL_FORMS": "1", "hearing-0-answer": "yes"}, "Skriv hvem der er hørt."),
    ],
)
def test_a_validation_message_per_mistake(client, central_user, fields, message):
    client.force_login(central_user)
    proposal = bc01()
    response = _post_invalid(client, proposal, **fields)
    assert message in errors_of(response)
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


def test_a_bad_cell_is_marked_next_to_the_cell(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    response = _post_invalid(client, proposal, **{"perm-0-y2022": "12a"})
    html = response.content.decode()
    assert 'name="perm-0-y2022" value="12a"' in html  # the typed text is kept
    assert 'aria-invalid="true"' in html
    assert 'id="id_perm-0-y2022_error"' in html


@pytest.mark.parametrize("typed", ["BC02", "bc02"])
def test_the_number_must_be_unique_in_the_catalogue(client, central_user, typed):
    """Breaker: "bc02" was saved beside "BC02" (two proposals, one number to a reader)."""
    client.force_login(central_user)
    proposal = bc01()
    ProposalFactory(catalog=proposal.catalog, number="BC02")
    response = _post_invalid(client, proposal, number=typed)
    assert "Kataloget har allerede et forslag nummer BC02." in errors_of(response)
    assert sorted(Proposal.objects.values_list("number", flat=True)) == ["BC01", "BC02"]


DIST = "dist-permanent_saving"


def _distribution(**rows):
    fields = {f"{DIST}-rows-TOTAL_FORMS": str(len(rows))}
    for i, (committee, values) in enumerate(rows.items()):
        fields[f"{DIST}-rows-{i}-committee"] = committee
        fields.update({f"{DIST}-rows-{i}-{k}": v for k, v in values.items()})
    return fields


def test_explicit_amounts_that_do_not_add_up_are_an_error(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    response = _post_invalid(
        client,
        proposal,
        **{f"{DIST}-basis": "amounts"},
        **_distribution(BUU={"y2021": "-383"}, SOU={"y2021": "-125"}),
    )
    text = errors_of(response)
    assert (
        "Fordelingen af besparelser (varige) 2021: rækkerne giver -508, men i alt er -517" in text
    )
    assert "2022: rækkerne giver tom, men i alt er -1.034" in text


def test_explicit_amounts_that_add_up_are_saved(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    years = {2021: ("-383", "-125", "-9")} | {y: ("-766", "-250", "-18") for y in range(2022, 2027)}
    rows = {c: {} for c in ("BUU", "SOU", "TMU")}
    for year, values in years.items():
        for committee, value in zip(rows, values, strict=True):
            rows[committee][f"y{year}"] = value
    data = page_data(client, edit_url(proposal))
    response = client.post(
        edit_url(proposal),
        as_post(data, action="save", **{f"{DIST}-basis": "amounts"}, **_distribution(**rows)),
    )
    assert response.status_code == 302, errors_of(response)
    figures = figures_for(proposals_with_inputs().get(pk=proposal.pk))
    assert not [c for c in figures.checks if c.code.startswith("distribution")]
    assert [r.amounts[2022] for r in figures.distributions[0].rows] == [-766, -250, -18]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"basis": "weights", "rows": {"BUU": {}}},
            "Giv rækken en vægt (et vilkårligt ikke-negativt tal).",
        ),
        ({"basis": "weights", "rows": {"BUU": {"weight": "-1"}}}, "En vægt kan ikke være negativ."),
        ({"basis": "weights", "rows": {"": {"weight": "1", "unit": "X"}}}, "Vælg et udvalg."),
        ({"basis": "", "rows": {"BUU": {"weight": "1"}}}, "Vælg om rækkerne er vægte eller beløb."),
    ],
)
def test_distribution_rows_are_validated(client, central_user, fields, message):
    client.force_login(central_user)
    proposal = bc01()
    response = _post_invalid(
        client, proposal, **{f"{DIST}-basis": fields["basis"]}, **_distribution(**fields["rows"])
    )
    assert message in errors_of(response)


def test_weights_allocate_and_equal_split_without_javascript(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    fields = _distribution(
        BUU={"weight": "70.754"}, SOU={"weight": "12.445"}, TMU={"weight": "963"}
    )
    response = client.post(
        edit_url(proposal), as_post(data, action="save", **{f"{DIST}-basis": "weights"}, **fields)
    )
    assert response.status_code == 302, errors_of(response)
    figures = figures_for(proposals_with_inputs().get(pk=proposal.pk))
    assert [r.amounts[2022] for r in figures.distributions[0].rows] == [-869, -153, -12]
    data = page_data(client, edit_url(proposal))
    assert data[f"{DIST}-rows-0-weight"] == "70.754"
    response = client.post(edit_url(proposal), as_post(data, equal=DIST))
    assert response.status_code == 200
    table = response.context["distributions"][0]
    assert [row.cells[1] for row in table.rows] == [Decimal(-345), Decimal(-345), Decimal(-344)]


# --------------------------------------------------------------------------- locking


def test_a_stale_save_is_refused_and_shows_what_the_other_person_changed(central_user, db):
    proposal = bc01()
    first, second = Client(), Client()
    first.force_login(central_user)
    second.force_login(central_user)
    first_data = page_data(first, edit_url(proposal))
    second_data = page_data(second, edit_url(proposal))

    response = first.post(
        edit_url(proposal),
        as_post(first_data, action="save", title="Belysningspakke 2e", **{"perm-0-y2022": "-900"}),
    )
    assert response.status_code == 302

    response = second.post(
        edit_url(proposal), as_post(second_data, action="save", summary="Mit resumé")
    )
    assert response.status_code == 200
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.title == "Belysningspakke 2e" and saved.summary == "Et forslag."
    changes = {c.field: (c.before, c.after) for c in response.context["conflict"]}
    assert changes["Titel"] == ("Belysningspakke 2d", "Belysningspakke 2e")
    assert changes["Varige ændringer, linje 1 »Energibesparelse« 2022"] == ("-1.034", "-900")
    assert len(changes) == 2
    html = response.content.decode()
    assert "Ændret af en anden" in html and "Belysningspakke 2e" in html
    # the second person's input is kept and the other person's changes are merged in
    # (issue 11, finding 6: saving again no longer overwrites them)
    again = form_data(response.content)
    assert again["summary"] == "Mit resumé"
    assert again["title"] == "Belysningspakke 2e"
    assert again["perm-0-y2022"] == "-900"
    response = second.post(edit_url(proposal), as_post(again, action="save"))
    assert response.status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.summary == "Mit resumé" and saved.version == proposal.version + 2
    assert saved.title == "Belysningspakke 2e"


def test_save_service_refuses_a_stale_version(central_user, db):
    from cases import services
    from cases.forms import proposal_data

    proposal = proposals_with_inputs().get(pk=bc01().pk)
    data = proposal_data(proposal)
    services.save_proposal(
        central_user, data, catalog=proposal.catalog, proposal=proposal, expected_version=1
    )
    with pytest.raises(services.StaleProposal):
        services.save_proposal(
            central_user, data, catalog=proposal.catalog, proposal=proposal, expected_version=1
        )
    assert Proposal.objects.get(pk=proposal.pk).version == 2


def test_save_service_checks_permission(reviewer_user, db):
    from django.core.exceptions import PermissionDenied

    from cases import services
    from cases.forms import proposal_data

    proposal = proposals_with_inputs().get(pk=ProposalFactory().pk)
    with pytest.raises(PermissionDenied):
        services.save_proposal(
            reviewer_user,
            proposal_data(proposal),
            catalog=proposal.catalog,
            proposal=proposal,
            expected_version=proposal.version,
        )


# --------------------------------------------------------------------------- live tables


def test_preview_computes_the_tables_from_the_typed_input(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    response = client.post(preview_url(proposal), as_post(data))
    assert response.status_code == 200
    assert response.context["figures"].payback_years_total == 6
    response = client.post(
        preview_url(proposal),
        as_post(data, **{"perm-0-y2022": "-3.000", "perm-0-y2023": "-3.000"}),
    )
    figures = response.context["figures"]
    assert figures.payback_years_total == 3
    assert figures.net_total[2022] == Decimal(-3000)
    html = response.content.decode()
    assert '<dd data-figure="payback-total">3 år</dd>' in html
    assert "-3.000" in html
    assert "<html" not in html  # a fragment
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version  # not saved


def test_preview_with_a_bad_cell_counts_it_as_empty_and_says_so(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    response = client.post(preview_url(proposal), as_post(data, **{"perm-0-y2021": "x"}))
    assert response.status_code == 200
    assert response.context["figures"].permanent_total[2021] is None
    assert "1 felt er endnu ikke gyldigt" in response.content.decode()


def test_calculate_button_without_javascript_renders_the_tables(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    response = client.post(
        edit_url(proposal), as_post(data, action="calculate", **{"year_count": "8"})
    )
    assert response.status_code == 200
    assert response.context["figures"].years == tuple(range(2021, 2029))
    assert 'name="perm-0-y2028"' in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).last_year == 2026


# --------------------------------------------------------------------------- escaping

XSS = '<script>alert("x")</script>'


def test_everything_typed_is_escaped_on_every_page(client, central_user):
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    text_fields = [
        "title",
        "summary",
        "funding_source",
        "background",
        "content",
        "potential",
        "economy_text",
        "implementation_text",
        "partners",
        "effect",
        "risk_text",
        "perm-0-label",
        "impl-0-label",
    ]
    text_fields += [k for k in data if k.startswith("priority_")]
    fields = {name: XSS for name in text_fields}
    fields.update(
        {
            "number": "BC01",
            "section-TOTAL_FORMS": "1",
            "section-0-heading": XSS,
            "section-0-text": XSS,
            "followup-TOTAL_FORMS": "1",
            **{
                f"followup-0-{n}": XSS
                for n in ("criterion", "how_measured", "how_achieved", "responsible", "when")
            },
            "hearing-TOTAL_FORMS": "1",
            "hearing-0-body": XSS[:200],
            "hearing-0-date_text": XSS,
            "admin-TOTAL_FORMS": "1",
            "admin-0-label": XSS,
            "admin-0-y2021": "1",
            f"{DIST}-basis": "weights",
            **_distribution(BUU={"weight": "1", "unit": XSS, "account": XSS}),
        }
    )
    response = client.post(edit_url(proposal), as_post(data, action="save", **fields))
    assert response.status_code == 302, errors_of(response)
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.title == XSS and saved.risk_text == XSS
    pages = [
        client.get(saved.get_absolute_url()),
        client.get(edit_url(saved)),
        client.get(reverse("cases:catalog_detail", args=[saved.catalog.key])),
        client.post(preview_url(saved), as_post(page_data(client, edit_url(saved)))),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
        # no inline script at all: every <script> has a src
        assert html.count("<script") == html.count("<script src=")
    csp = pages[1]["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


# --------------------------------------------------------------------------- query counts


def _count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


def _sized(catalog, number, lines, last_year):
    proposal = ProposalFactory(catalog=catalog, number=number, first_year=2021, last_year=last_year)
    for i in range(lines):
        add_line(
            proposal,
            "permanent",
            "saving",
            "service",
            f"l{i}",
            {y: -i - 1 for y in range(2021, last_year + 1)},
        )
    add_line(proposal, "implementation", "cost", "capital", "inv", {2021: 100})
    return proposal


def test_editor_query_counts_are_constant_in_lines_and_years(client, central_user):
    client.force_login(central_user)
    catalog = CatalogFactory()
    small = _sized(catalog, "S1", 1, 2022)
    large = _sized(catalog, "L1", 25, 2035)
    PriceIndex.cached_levels({})  # the p/l chooser's years kept, as after any earlier page
    counts = {}
    for name, proposal in (("small", small), ("large", large)):
        counts[name] = {
            "page": _count(client, "get", proposal.get_absolute_url()),
            "edit": _count(client, "get", edit_url(proposal)),
        }
        data = as_post(page_data(client, edit_url(proposal)))
        counts[name]["preview"] = _count(client, "post", preview_url(proposal), data)
        counts[name]["save"] = _count(
            client, "post", edit_url(proposal), {**data, "action": ["save"]}
        )
    assert counts["small"] == counts["large"], counts
    print(counts)


def test_check_names_of_subjects_are_the_editors_danish_labels():
    """The engine's checks call a distribution by the label the editor shows (gettext,
    Danish), never by its code."""
    with translation.override("da"):
        labels = {s: str(SUBJECT_LABELS[s]).lower() for s in SUBJECTS}
    assert labels == {s: SUBJECT_NAMES[s] for s in SUBJECTS}


def test_editor_and_proposal_page_query_counts_are_constant_in_proposals(client, central_user):
    """However many proposals the database holds (and however many wait for the user's
    step: the navigation's count), the editor and the proposal page of one proposal ask
    the same number of queries; the editor reads its choices (catalogues,
    administrations, committees) once."""
    client.force_login(central_user)
    catalog = CatalogFactory()
    proposal = _sized(catalog, "S1", 2, 2024)
    # the body rendered and the inputs read, and both kept for this version
    client.get(proposal.get_absolute_url())
    client.get(edit_url(proposal))
    before = {
        "page": _count(client, "get", proposal.get_absolute_url()),
        "edit": _count(client, "get", edit_url(proposal)),
    }
    for i in range(30):
        _sized(catalog if i % 2 else CatalogFactory(), f"M{i}", 1, 2022)
    Proposal.objects.filter(number__startswith="M").update(status="submitted")
    after = {
        "page": _count(client, "get", proposal.get_absolute_url()),
        "edit": _count(client, "get", edit_url(proposal)),
    }
    assert after == before
    # session, user, profile, the proposal's version, its inputs as kept for that
    # version, 3 choices, the waiting count
    assert before["edit"] <= 9, before


def test_error_links_to_radio_and_checkbox_groups_target_their_first_input(client, central_user):
    """Breaker: the error summary linked a radio or checkbox group to its wrapping <div>
    ("id_risk_level"), which cannot take the focus; the link now names the group's first
    input, which exists on the page."""
    client.force_login(central_user)
    proposal = bc01()
    data = page_data(client, edit_url(proposal))
    data["risk_level"] = "bogus"
    data["cross_cutting"] = "bogus"
    data.setlist("affected_administrations", ["bogus"])
    response = client.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 200
    targets = {link.place: link.target for link in response.context["error_links"]}
    assert targets["Risikoniveau"] == "id_risk_level_0"
    assert targets["Tværgående forslag"] == "id_cross_cutting_0"
    assert targets["Berørte forvaltninger"] == "id_affected_administrations_0"
    html = response.content.decode()
    for target in targets.values():
        assert f'id="{target}"' in html and f'href="#{target}"' in html
