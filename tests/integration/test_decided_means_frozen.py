"""Issue 11 ("Trust"), finding 3: decided means frozen.

After Indstillet (the print) and Vedtaget, a change of a proposal's inputs (editor,
JSON import, xlsx import, admin) needs a reason. Without one it is refused with a Danish
message and nothing is saved; with one it is recorded as "ændring efter beslutning"
(who, when, why, the changed figures), shown on the case page, listed in the printed
annex's control notes, and the frozen follow-up plan stays as adopted."""

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from annex.pdf import Reference, part_html
from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases.exporting import dumps, export_catalog
from cases.models import LineAmount, Proposal, Status
from cases.selectors import figures_for, proposals_with_inputs
from cases.services import ReasonRequired, import_json
from followup.models import EventKind, FollowupEvent, FrozenPlan
from review import workflow
from review.models import ChangeAfterDecision, ProposalSummary, ProposalVersion
from review.summaries import refresh_summary
from tests.cases.formdata import as_post
from tests.cases.test_editor import edit_url, page_data
from tests.factories import ProposalFactory, add_line

pytestmark = pytest.mark.django_db

SAVING = {2021: -100, 2022: -300, 2023: -500, 2024: -500, 2025: -500, 2026: -500}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decided_proposal(central, status=Status.ADOPTED) -> Proposal:
    """A KFU proposal with -500 in 2025, recommended and (for ADOPTED) adopted through
    the workflow's decision, which freezes the follow-up plan."""
    proposal = ProposalFactory()
    add_line(proposal, "permanent", "saving", "service", "Besparelse", SAVING)
    add_line(proposal, "implementation", "cost", "service", "Investering", {2021: 500})
    refresh_summary(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.RECOMMENDED)
    proposal.refresh_from_db()
    if status == Status.ADOPTED:
        workflow.decide(central, proposal, adopted=True, comment="Vedtaget i budgetaftalen")
        proposal.refresh_from_db()
    return proposal


def amount_2025(proposal) -> Decimal:
    return LineAmount.objects.get(
        line__proposal=proposal, line__label="Besparelse", year=2025
    ).amount


def full_effect(proposal) -> Decimal:
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    return figures_for(full).full_effect["total"]


def stored_full_effect(proposal) -> Decimal:
    return ProposalSummary.objects.get(proposal=proposal).full_effect_service


def editor_post(client, proposal, **changes):
    data = page_data(client, edit_url(proposal))
    return client.post(edit_url(proposal), as_post(data, action="save", **changes))


# ------------------------------------------------------------------ the finding's input


def test_finding_3_a_change_after_adoption_without_a_reason_is_refused(central_user):
    """As oekonomi (central finance), after Vedtaget, change 2025 from -500 to -600 and
    save: the reason is asked for, nothing is saved, the full effect is unchanged."""
    proposal = decided_proposal(central_user)
    before = (full_effect(proposal), stored_full_effect(proposal), proposal.version)
    client = logged_in(central_user)

    response = editor_post(client, proposal, **{"perm-0-y2025": "-600"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "kræver en begrundelse" in page
    assert 'id="id_change_reason"' in page
    proposal.refresh_from_db()
    assert amount_2025(proposal) == Decimal("-500")
    assert (full_effect(proposal), stored_full_effect(proposal), proposal.version) == before
    assert proposal.status == Status.ADOPTED
    assert not ChangeAfterDecision.objects.exists()


def test_finding_3_a_change_with_a_reason_is_recorded_shown_and_printed(central_user):
    proposal = decided_proposal(central_user)
    plan = FrozenPlan.objects.get(proposal=proposal)
    plan_document = plan.document
    client = logged_in(central_user)

    response = editor_post(
        client,
        proposal,
        change_reason="Rettet efter budgetaftalen: besparelsen er 600",
        **{"perm-0-y2025": "-600"},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert amount_2025(proposal) == Decimal("-600")
    assert proposal.status == Status.ADOPTED
    change = ChangeAfterDecision.objects.get(proposal=proposal)
    assert (change.user, change.status, change.reason) == (
        central_user,
        Status.ADOPTED,
        "Rettet efter budgetaftalen: besparelsen er 600",
    )
    assert change.version == ProposalVersion.objects.filter(proposal=proposal).latest("number")
    assert change.version.proposal_version == proposal.version
    changed = {row["field"]: (row["before"], row["after"]) for row in change.changes}
    assert changed == {"Varige ændringer: Besparelse, 2025": ("-500", "-600")}

    # the frozen plan stays as adopted; its history says the proposal changed since
    plan = FrozenPlan.objects.get(proposal=proposal)
    assert plan.document == plan_document
    assert plan.version == proposal.version - 1
    event = FollowupEvent.objects.get(plan=plan, kind=EventKind.CHANGED_AFTER)
    assert event.user == central_user
    assert event.details["reason"] == "Rettet efter budgetaftalen: besparelsen er 600"
    followup_page = client.get(
        reverse("followup:proposal", args=[proposal.catalog.key, proposal.number])
    ).content.decode()
    assert 'id="changed-after-decision"' in followup_page
    assert "Rettet efter budgetaftalen" in followup_page

    # the case page shows it
    case_page = client.get(reverse("review:case", args=[proposal.pk])).content.decode()
    assert 'id="changes-after-decision"' in case_page
    assert "Rettet efter budgetaftalen: besparelsen er 600" in case_page
    assert "-600" in case_page

    # the printed annex's control notes list it
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    html = part_html(full, figures_for(full), Reference.load())
    notes = html[html.index('class="control-notes"') :]
    assert "Ændret efter beslutningen" in notes
    assert "Rettet efter budgetaftalen: besparelsen er 600" in notes
    assert "-600" in notes and "-500" in notes


def test_saving_a_decided_proposal_unchanged_needs_no_reason(central_user):
    proposal = decided_proposal(central_user)
    response = editor_post(logged_in(central_user), proposal)
    assert response.status_code == 302
    assert not ChangeAfterDecision.objects.exists()


def test_a_recommended_proposal_is_frozen_for_the_print(central_user):
    proposal = decided_proposal(central_user, Status.RECOMMENDED)
    response = editor_post(logged_in(central_user), proposal, title="Ny titel")
    assert response.status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).title != "Ny titel"


def test_a_draft_changes_without_a_reason(central_user):
    proposal = decided_proposal(central_user, Status.RECOMMENDED)
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.DRAFT)
    proposal.refresh_from_db()
    response = editor_post(logged_in(central_user), proposal, **{"perm-0-y2025": "-600"})
    assert response.status_code == 302
    assert amount_2025(proposal) == Decimal("-600")


# ------------------------------------------------------------------ imports and admin


def changed_document(proposal) -> dict:
    doc = json.loads(dumps(export_catalog(proposal.catalog)))
    entry = next(p for p in doc["proposals"] if p["number"] == proposal.number)
    line = next(ln for ln in entry["lines"] if ln["label"] == "Besparelse")
    line["amounts"]["2025"] = -600
    return doc


def test_json_import_of_a_decided_change_needs_a_reason(central_user):
    proposal = decided_proposal(central_user)
    doc = changed_document(proposal)
    versions = ProposalVersion.objects.count()

    with pytest.raises(ReasonRequired) as refused:
        import_json(json.dumps(doc), user=central_user)
    assert refused.value.path == "proposals[0]"
    assert "vedtaget" in str(refused.value) and "begrundelse" in str(refused.value)
    assert amount_2025(proposal) == Decimal("-500")
    assert ProposalVersion.objects.count() == versions

    # the same document unchanged imports without a reason (idempotent)
    import_json(dumps(export_catalog(proposal.catalog)), user=central_user)
    assert not ChangeAfterDecision.objects.exists()

    import_json(json.dumps(doc), user=central_user, reason="Budgetaftalen")
    assert amount_2025(proposal) == Decimal("-600")
    assert ChangeAfterDecision.objects.get(proposal=proposal).reason == "Budgetaftalen"


def test_import_cases_command_takes_the_reason(central_user, tmp_path):
    from django.core.management import CommandError, call_command

    proposal = decided_proposal(central_user)
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(changed_document(proposal)))
    with pytest.raises(CommandError, match="kræver en begrundelse"):
        call_command("import_cases", str(path), stdout=io.StringIO())
    assert amount_2025(proposal) == Decimal("-500")
    call_command("import_cases", str(path), "--begrundelse", "Rettelse", stdout=io.StringIO())
    change = ChangeAfterDecision.objects.get(proposal=proposal)
    assert (change.user, change.reason) == (None, "Rettelse")


def xlsx_with_2025(proposal, value) -> bytes:
    """The filled-in template of `proposal` with the 2025 amount of "Besparelse" on the
    "Økonomi" sheet (years in row 3, the text in column D) set to `value`."""
    book = load_workbook(io.BytesIO(build_template(proposal.catalog, proposal)))
    grid = book["Økonomi"]
    column = next(c.column for c in grid[3] if c.value == 2025)
    row = next(r for r in range(4, grid.max_row + 1) if grid.cell(r, 4).value == "Besparelse")
    assert grid.cell(row, column).value == -500
    grid.cell(row, column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_upload_of_a_decided_change_needs_a_reason(central_user):
    proposal = decided_proposal(central_user)
    raw = xlsx_with_2025(proposal, -600)
    with pytest.raises(XlsxImportError, match="kræver en begrundelse"):
        import_xlsx(raw, proposal.catalog, user=central_user)
    assert amount_2025(proposal) == Decimal("-500")

    client = logged_in(central_user)
    url = reverse("annex:import", args=[proposal.catalog.key])
    upload = io.BytesIO(raw)
    upload.name = "forslag.xlsx"
    refused = client.post(url, {"file": upload})
    assert refused.status_code == 400
    assert "kræver en begrundelse" in refused.content.decode()
    upload = io.BytesIO(raw)
    upload.name = "forslag.xlsx"
    done = client.post(url, {"file": upload, "reason": "Ny aftale"})
    assert done.status_code == 302
    assert amount_2025(proposal) == Decimal("-600")
    assert ChangeAfterDecision.objects.get(proposal=proposal).reason == "Ny aftale"


def test_admin_change_of_a_decided_proposal_needs_a_reason(central_user, admin_user):
    proposal = decided_proposal(central_user)
    client = logged_in(admin_user)
    url = reverse("admin:cases_proposal_change", args=[proposal.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    post = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            post[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, (dict,)):
            post[name] = json.dumps(value)
        elif hasattr(value, "pk"):
            post[name] = value.pk
        else:
            post[name] = value
    post["title"] = "Ændret i admin"
    refused = client.post(url, post)
    assert refused.status_code == 200
    assert "kræver en begrundelse" in refused.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title != "Ændret i admin"

    done = client.post(url, {**post, "change_reason": "Stavefejl i titlen"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Ændret i admin", Status.ADOPTED)
    change = ChangeAfterDecision.objects.get(proposal=proposal)
    assert change.reason == "Stavefejl i titlen"
    assert {row["field"] for row in change.changes} == {"Titel"}


def test_the_changes_tab_marks_changes_after_the_decision(central_user):
    """The changes tab (version against version) says which versions were changes after
    the decision, with who and why, and marks the diff rows they changed."""
    from review.history import latest_version, record_versions

    proposal = decided_proposal(central_user)
    record_versions([proposal], central_user, "")
    decided_version = latest_version(proposal).number
    client = logged_in(central_user)
    editor_post(
        client, proposal, change_reason="Rettet efter budgetaftalen", **{"perm-0-y2025": "-600"}
    )
    changed_version = latest_version(proposal).number
    assert changed_version == decided_version + 1

    url = reverse("review:case_changes", args=[proposal.pk])
    page = client.get(f"{url}?fra={decided_version}&til={changed_version}").content.decode()
    assert 'id="after-decision-in-range"' in page
    assert "Rettet efter budgetaftalen" in page
    marked = page.split('id="changes"')[1]
    assert 'class="change-changed after-decision"' in marked
    assert "efter beslutningen" in marked.split("after-decision")[1][:400]
    picker = page.split('id="til"')[1].split("</select>")[0]
    assert f'value="{changed_version}"' in picker
    assert (
        picker.split(f'value="{changed_version}"')[1]
        .split("</option>")[0]
        .endswith("ændret efter beslutningen")
    )
    # a range before the change has none of it
    page = client.get(f"{url}?fra=1&til={decided_version}").content.decode()
    assert 'id="after-decision-in-range"' not in page
