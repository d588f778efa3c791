"""A hearing answer, a comment or a workflow step that does not validate shows the case
page again with what the user typed and the field's own error, instead of redirecting
to an empty form (issue 11: nothing typed is lost). Reported: a hearing date of more than
100 characters gave only "Vælg en høringspart og et svar." and the typed comment was gone."""

import pytest
from django.urls import reverse
from django.utils import translation

from cases.models import HearingAnswer, Status
from review import workflow
from review.models import ReviewComment

from ..factories import bc01

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_hearing():
    proposal = bc01()
    proposal.status = Status.IN_HEARING
    proposal.save()
    return proposal


def test_a_hearing_answer_with_a_too_long_date_keeps_the_typed_comment(
    client, central_user, in_hearing
):
    client.force_login(central_user)
    comment = "Center for Økonomi har ingen bemærkninger til beregningen."
    with translation.override("da"):
        response = client.post(
            reverse("review:hearing_answer", args=[in_hearing.pk]),
            {
                "body": workflow.CENTRAL_BODY,
                "answer": "yes",
                "date_text": "9" * 101,
                "comment": comment,
            },
            HTTP_ACCEPT_LANGUAGE="da",
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert comment in page  # the typed comment is shown again
    form = response.context["hearing_form"]
    assert form.errors["date_text"] == ["Denne værdi må højst have 100 tegn (den har 101)."]
    assert not HearingAnswer.objects.filter(proposal=in_hearing, comment=comment).exists()


def test_an_empty_comment_shows_the_page_again_and_saves_nothing(client, central_user, in_hearing):
    client.force_login(central_user)
    response = client.post(reverse("review:comment", args=[in_hearing.pk]), {"text": "   "})
    assert response.status_code == 400
    assert response.context["comment_form"].is_bound
    assert ReviewComment.objects.filter(proposal=in_hearing).count() == 0


def test_a_valid_comment_still_goes_back_to_the_case(client, central_user, in_hearing):
    client.force_login(central_user)
    response = client.post(reverse("review:comment", args=[in_hearing.pk]), {"text": "Fint."})
    assert response.status_code == 302
    assert list(
        ReviewComment.objects.filter(proposal=in_hearing).values_list("text", flat=True)
    ) == ["Fint."]


def said(client, url: str, data: dict) -> list[str]:
    """The messages above the case page a refused post shows again (status 400)."""
    with translation.override("da"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    return [str(m) for m in response.context["messages"]]


TOO_LONG = ["Kommentar: Denne værdi må højst have 5000 tegn (den har 6000)."]


def test_a_too_long_comment_says_so_and_not_that_it_is_empty(client, central_user, in_hearing):
    """Reported (breaker session 4): a comment of 6.000 characters was refused with
    "Kommentaren er tom." above the page."""
    client.force_login(central_user)
    url = reverse("review:comment", args=[in_hearing.pk])
    assert said(client, url, {"text": "x" * 6000}) == TOO_LONG


def test_a_step_with_a_too_long_comment_does_not_ask_to_check_the_date(
    client, central_user, in_hearing
):
    client.force_login(central_user)
    url = reverse("review:step", args=[in_hearing.pk, "return"])
    assert said(client, url, {"comment": "x" * 6000}) == TOO_LONG


def test_an_empty_comment_and_an_impossible_date_keep_their_own_messages(
    client, central_user, in_hearing
):
    client.force_login(central_user)
    comment = reverse("review:comment", args=[in_hearing.pk])
    approve = reverse("review:step", args=[in_hearing.pk, "approve"])
    assert said(client, comment, {"text": "  "}) == ["Kommentaren er tom."]
    assert said(client, approve, {"approved_on": "2021-02-31"}) == ["Kontrollér datoen."]


@pytest.mark.parametrize("typed", ["31-02-2021", "30. februar 2020", "2021-13-01"])
def test_a_hearing_date_that_is_no_day_is_refused(client, central_user, in_hearing, typed):
    """Breaker: "31-02-2021" was accepted as a hearing date and printed; the approval
    date refused the same value. A date text may be free ("maj 2020") but a day must be
    a real one."""
    client.force_login(central_user)
    with translation.override("da"):
        response = client.post(
            reverse("review:hearing_answer", args=[in_hearing.pk]),
            {"body": workflow.CENTRAL_BODY, "answer": "yes", "date_text": typed, "comment": ""},
            HTTP_ACCEPT_LANGUAGE="da",
        )
    assert response.status_code == 400
    assert response.context["hearing_form"].errors["date_text"] == [
        f"{typed.lower()} er ikke en dag i kalenderen. Skriv en rigtig dato, fx 28-05-2020."
    ]
    assert not HearingAnswer.objects.filter(proposal=in_hearing, date_text=typed).exists()


@pytest.mark.parametrize("typed", ["28-02-2021", "maj 2020", "9. juni 2020", ""])
def test_a_real_or_free_hearing_date_is_taken(client, central_user, in_hearing, typed):
    client.force_login(central_user)
    response = client.post(
        reverse("review:hearing_answer", args=[in_hearing.pk]),
        {"body": workflow.CENTRAL_BODY, "answer": "yes", "date_text": typed, "comment": ""},
    )
    assert response.status_code == 302


def test_the_editors_hearing_row_refuses_a_date_that_is_no_day():
    from cases.forms import HearingForm

    form = HearingForm(
        data={"body": "Center for Økonomi", "answer": "yes", "date_text": "31-02-2021"}
    )
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["date_text"]] == ["impossible_day"]
    ok = HearingForm(data={"body": "Center for Økonomi", "answer": "yes", "date_text": "maj 2020"})
    assert ok.is_valid(), ok.errors
