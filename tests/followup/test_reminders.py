"""send_followup_reminders: due and overdue criteria are mailed to the responsible
people, once per due date (asserted on the mail outbox)."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from followup.models import EventKind, FollowupEvent, Registration, ReminderSent
from followup.services import register_followup, update_tracking

pytestmark = pytest.mark.django_db


def run(day: date) -> str:
    out = StringIO()
    call_command("send_followup_reminders", dato=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def with_email(finance_user, other_finance_user):
    finance_user.email = "finans@kk.dk"
    finance_user.save()
    other_finance_user.email = "tmf@kk.dk"
    other_finance_user.save()
    return finance_user


def test_reminder_sent_once_per_due_date(plan, with_email):
    # plan: criterion 1 once 31.12.2021, criterion 2 quarterly from 31.12.2021 (both KFF)
    assert "0 forfaldne" in run(date(2021, 12, 1))  # more than 14 days before
    assert mail.outbox == []
    run(date(2021, 12, 20))  # both due within the lead time: one mail listing both
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["finans@kk.dk"]
    assert message.subject == "Bilag: 2 opfølgninger venter"
    assert "Færre opkald til borgerservice" in message.body
    assert "31.12.2021" in message.body
    assert "/opfoelgning/katalog/" in message.body
    # the next days, and after the due date (overdue): no second mail for the same dates
    run(date(2021, 12, 21))
    run(date(2022, 1, 5))
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 2
    assert FollowupEvent.objects.filter(kind=EventKind.REMINDER).count() == 2


def test_next_quarter_gets_its_own_reminder_across_the_year_end(plan, with_email, fixed_today):
    run(date(2021, 12, 20))
    quarterly = plan.criteria.get(schedule="quarterly")
    fixed_today(date(2022, 1, 3))
    register_followup(with_email, quarterly, status="on_track")
    Registration.objects.update(registered_at=timezone.make_aware(timezone.datetime(2022, 1, 3)))
    mail.outbox.clear()
    run(date(2022, 3, 20))  # 31.3.2022 is due; the one-off criterion is long overdue
    assert len(mail.outbox) == 1
    assert "31.3.2022" in mail.outbox[0].body
    assert "Færre opkald" not in mail.outbox[0].body  # reminded already for 31.12.2021
    assert set(ReminderSent.objects.values_list("due_date", flat=True)) == {
        date(2021, 12, 31),
        date(2022, 3, 31),
    }


def test_responsible_person_gets_the_mail_and_closed_criteria_none(
    plan, with_email, other_finance_user, central_user, fixed_today
):
    first, second = plan.criteria.all()
    update_tracking(central_user, first, responsible_user=other_finance_user)
    fixed_today(date(2021, 12, 1))
    register_followup(central_user, second, status="met")  # closes the quarterly criterion
    run(date(2021, 12, 20))
    assert [m.to for m in mail.outbox] == [["tmf@kk.dk"]]
    assert "Færre opkald til borgerservice" in mail.outbox[0].body


def test_no_recipient_with_email_is_not_recorded(plan, finance_user):
    out = run(date(2021, 12, 20))
    assert "2 uden modtager" in out
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_dry_run_sends_nothing(plan, with_email):
    out = StringIO()
    call_command("send_followup_reminders", dato="2021-12-20", dry_run=True, stdout=out)
    assert "2 forfaldne opfølgninger ville blive påmindet" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()
