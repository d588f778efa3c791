"""Issue 11 ("Trust"): what someone typed is never lost or overwritten silently.

Each test is written from the input of one numbered finding of the issue."""

from decimal import Decimal

import pytest
from django.test import Client

from cases.models import HearingAnswer, Proposal
from cases.selectors import figures_for, proposals_with_inputs
from committees.models import Administration
from review import workflow
from tests.factories import bc01
from tests.review.conftest import kfu_proposal

from .formdata import as_post, form_data
from .test_editor import edit_url, page_data

pytestmark = pytest.mark.django_db

CENTRAL = workflow.CENTRAL_BODY


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def central_row(proposal) -> HearingAnswer:
    return HearingAnswer.objects.get(proposal=proposal, body=CENTRAL)


# ----------------------------------------------------------------- 1. hearing answers


def test_finding_1_author_save_keeps_the_hearing_answer_central_finance_registered(
    finance_user, central_user
):
    proposal = kfu_proposal()
    workflow.submit(finance_user, proposal)
    workflow.start_hearing(central_user, proposal)
    workflow.answer_hearing(central_user, proposal, CENTRAL, "yes", "", "Fint, men se på 2023")
    workflow.return_to_author(central_user, proposal, "Ret resuméet")
    registered = central_row(proposal)

    author = logged_in(finance_user)
    data = page_data(author, edit_url(proposal))
    response = author.post(edit_url(proposal), as_post(data, action="save", summary="Nyt resumé"))

    assert response.status_code == 302
    row = central_row(proposal)
    assert Proposal.objects.get(pk=proposal.pk).summary == "Nyt resumé"
    assert (row.answer, row.comment, row.answered_by_id, row.date_text) == (
        "yes",
        "Fint, men se på 2023",
        central_user.pk,
        registered.date_text,
    )
    assert row.answered_at == registered.answered_at


def test_finding_1_the_editor_cannot_change_or_drop_a_registered_answer(finance_user, central_user):
    """The author's editor shows the registered answer read-only: a post that changes
    it, or removes the row, keeps what central finance registered."""
    proposal = kfu_proposal()
    workflow.submit(finance_user, proposal)
    workflow.start_hearing(central_user, proposal)
    workflow.answer_hearing(central_user, proposal, CENTRAL, "yes", "3. maj 2020", "OK")
    workflow.return_to_author(central_user, proposal, "Ret")

    author = logged_in(finance_user)
    data = page_data(author, edit_url(proposal))
    index = next(
        i
        for i in range(int(data["hearing-TOTAL_FORMS"]))
        if data.get(f"hearing-{i}-body") == CENTRAL
    )
    response = author.post(
        edit_url(proposal),
        as_post(
            data,
            action="save",
            **{f"hearing-{index}-answer": "no", f"hearing-{index}-date_text": "i går"},
        ),
    )
    assert response.status_code == 302
    row = central_row(proposal)
    assert (row.answer, row.date_text, row.comment) == ("yes", "3. maj 2020", "OK")

    data = page_data(author, edit_url(proposal))
    response = author.post(
        edit_url(proposal), as_post(data, action="save", **{f"hearing-{index}-DELETE": "on"})
    )
    assert response.status_code == 302
    row = central_row(proposal)
    assert (row.answer, row.date_text, row.comment) == ("yes", "3. maj 2020", "OK")


# ----------------------------------------------------------------- 2. hearing date


def test_finding_2_an_empty_date_keeps_the_date_the_author_typed(finance_user, central_user):
    proposal = kfu_proposal()
    HearingAnswer.objects.create(proposal=proposal, body=CENTRAL, date_text="9. juni 2020")
    workflow.submit(finance_user, proposal)
    workflow.start_hearing(central_user, proposal)

    workflow.answer_hearing(central_user, proposal, CENTRAL, "yes", "", "")

    assert central_row(proposal).date_text == "9. juni 2020"


def test_finding_2_an_empty_date_without_a_stored_one_is_today(finance_user, central_user):
    from django.utils import timezone
    from django.utils.formats import date_format

    proposal = kfu_proposal()
    workflow.submit(finance_user, proposal)
    workflow.start_hearing(central_user, proposal)
    workflow.answer_hearing(central_user, proposal, CENTRAL, "yes", "  ", "")
    assert central_row(proposal).date_text == date_format(timezone.localdate(), "SHORT_DATE_FORMAT")


# ----------------------------------------------------------------- 5. version required


def test_finding_5_a_save_without_version_does_not_overwrite(central_user):
    proposal = bc01()
    first, second = logged_in(central_user), logged_in(central_user)
    second_data = page_data(second, edit_url(proposal))
    first_data = page_data(first, edit_url(proposal))
    response = first.post(
        edit_url(proposal), as_post(first_data, action="save", title="Belysningspakke 2e")
    )
    assert response.status_code == 302

    post = as_post(second_data, action="save", summary="Mit resumé")
    del post["version"]
    response = second.post(edit_url(proposal), post)

    assert response.status_code == 200
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.summary) == ("Belysningspakke 2e", "Et forslag.")


def test_finding_5_the_save_service_requires_the_version(central_user):
    from cases import services
    from cases.forms import proposal_data
    from cases.selectors import proposals_with_inputs

    proposal = proposals_with_inputs().get(pk=bc01().pk)
    with pytest.raises(services.StaleProposal):
        services.save_proposal(
            central_user, proposal_data(proposal), catalog=proposal.catalog, proposal=proposal
        )
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version


# ----------------------------------------------------------------- 10. ambiguous numbers


@pytest.mark.parametrize(
    ("typed", "readings"), [("0.250", "0,25 eller som 250"), ("1,000", "1 eller som 1.000")]
)
def test_finding_10_an_ambiguous_number_is_refused_with_a_question(central_user, typed, readings):
    proposal = bc01()
    client = logged_in(central_user)
    data = page_data(client, edit_url(proposal))
    response = client.post(
        edit_url(proposal), as_post(data, action="save", **{"perm-0-y2022": typed})
    )
    assert response.status_code == 200
    assert f"“{typed}” kan læses som {readings}. Hvilket mente du?" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version


def test_finding_10_danish_numbers_stay_as_they_are():
    from django.utils import translation

    from cases.numbers import parse_number

    with translation.override("da"):
        assert [parse_number(t) for t in ("1.034", "0,25", "-517", "1.034,5")] == [
            1034,
            Decimal("0.25"),
            -517,
            Decimal("1034.5"),
        ]


# ----------------------------------------------------------------- 6. after a conflict


def two_tabs(user, proposal):
    first, second = logged_in(user), logged_in(user)
    return (
        first,
        page_data(first, edit_url(proposal)),
        second,
        page_data(second, edit_url(proposal)),
    )


def test_finding_6_a_second_save_after_a_conflict_keeps_the_other_tabs_changes(central_user):
    proposal = bc01()
    first, first_data, second, second_data = two_tabs(central_user, proposal)
    response = first.post(
        edit_url(proposal),
        as_post(first_data, action="save", title="Ny titel", **{"impl-0-y2021": "6.000"}),
    )
    assert response.status_code == 302

    conflict = second.post(edit_url(proposal), as_post(second_data, action="save", summary="Mit"))
    assert conflict.status_code == 200
    response = second.post(edit_url(proposal), as_post(form_data(conflict.content), action="save"))

    assert response.status_code == 302
    saved = proposals_with_inputs().get(pk=proposal.pk)
    assert (saved.title, saved.summary) == ("Ny titel", "Mit")
    assert figures_for(saved).implementation_total[2021] == Decimal(6000)


def test_finding_6_fields_both_changed_are_saved_only_as_the_user_chose(central_user):
    proposal = bc01()
    first, first_data, second, second_data = two_tabs(central_user, proposal)
    first.post(
        edit_url(proposal),
        as_post(first_data, action="save", title="Deres titel", **{"perm-0-y2022": "-900"}),
    )
    conflict = second.post(
        edit_url(proposal),
        as_post(
            second_data,
            action="save",
            title="Min titel",
            summary="Mit",
            **{"perm-0-y2022": "-800"},
        ),
    )
    html = conflict.content.decode()
    choices = {c.key: c for c in conflict.context["choices"]}
    assert set(choices) == {"title", "perm-0-y2022"}
    assert (choices["title"].theirs, choices["title"].mine) == ("Deres titel", "Min titel")
    assert "Varige ændringer, linje 1: 2022" in html and "Deres titel" in html

    # Saving without choosing saves nothing.
    again = form_data(conflict.content)
    refused = second.post(edit_url(proposal), as_post(again, action="save"))
    assert refused.status_code == 200
    assert "Vælg for hvert felt" in refused.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title == "Deres titel"

    # Theirs for the title, mine for the amount; my summary is kept.
    response = second.post(
        edit_url(proposal),
        as_post(again, action="save", **{"choose:title": "theirs", "choose:perm-0-y2022": "mine"}),
    )
    assert response.status_code == 302
    saved = proposals_with_inputs().get(pk=proposal.pk)
    assert (saved.title, saved.summary) == ("Deres titel", "Mit")
    assert figures_for(saved).permanent_total[2022] == Decimal(-800)


def test_finding_6_a_forged_choice_cannot_bring_in_other_text(central_user):
    """The other person's values come from the signed list, not from the post."""
    proposal = bc01()
    first, first_data, second, second_data = two_tabs(central_user, proposal)
    first.post(edit_url(proposal), as_post(first_data, action="save", title="Deres"))
    conflict = second.post(edit_url(proposal), as_post(second_data, action="save", title="Min"))
    again = form_data(conflict.content)
    again["conflicts"] = "forfalsket"
    response = second.post(edit_url(proposal), as_post(again, action="save"))
    assert response.status_code == 302  # no pending choice: the form posts "Min"
    assert Proposal.objects.get(pk=proposal.pk).title == "Min"


def test_finding_6_a_conflict_without_affected_administrations_shows_no_error(central_user):
    """No administration ticked under "Berørte forvaltninger": the merged form posts none,
    not an empty choice ("“” er ikke en gyldig værdi" above an untouched field)."""
    proposal = bc01()
    proposal.affected_administrations.clear()
    first, first_data, second, second_data = two_tabs(central_user, proposal)
    first.post(edit_url(proposal), as_post(first_data, action="save", summary="Deres"))
    conflict = second.post(edit_url(proposal), as_post(second_data, action="save", title="Min"))

    assert conflict.status_code == 200
    assert conflict.context["error_links"] == []
    assert "er ikke en gyldig værdi" not in conflict.content.decode()


def test_finding_6_choosing_their_empty_affected_administrations_saves_none(central_user):
    """The other person unticked every administration, the user ticked another: choosing
    theirs saves none (not the invalid empty choice)."""
    proposal = bc01()
    one, another = Administration.objects.all()[:2]
    proposal.affected_administrations.set([one])
    first, first_data, second, second_data = two_tabs(central_user, proposal)
    assert second_data.getlist("affected_administrations") == [str(one.pk)]
    ticked, others = [str(one.pk)], [str(another.pk)]
    first.post(edit_url(proposal), as_post(first_data, action="save", affected_administrations=[]))
    conflict = second.post(
        edit_url(proposal),
        as_post(second_data, action="save", affected_administrations=[*ticked, *others]),
    )
    assert [c.key for c in conflict.context["choices"]] == ["affected_administrations"]

    again = as_post(form_data(conflict.content), action="save")
    again["choose:affected_administrations"] = ["theirs"]
    response = second.post(edit_url(proposal), again)

    assert response.status_code == 302
    assert list(Proposal.objects.get(pk=proposal.pk).affected_administrations.all()) == []
