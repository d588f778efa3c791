"""Daily: mail the people responsible for success criteria whose follow-up is due or
overdue, once per due date. Run it from cron, e.g. `0 7 * * * manage.py
send_followup_reminders`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.reminders import send_reminders


class Command(BaseCommand):
    help = "Send påmindelser om opfølgning, der venter (én gang pr. forfaldsdato)."

    def add_arguments(self, parser):
        parser.add_argument("--dato", help="Kør som om det er denne dato (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--prøv", "--dry-run", dest="dry_run", action="store_true",
            help="Vis hvad der ville blive sendt, uden at sende.",
        )  # fmt: skip

    def handle(self, *args, dato=None, dry_run=False, **options):
        if dato:
            try:
                on = date.fromisoformat(dato)
            except ValueError:
                raise CommandError(f"Ugyldig dato: {dato!r} (brug ÅÅÅÅ-MM-DD)") from None
        else:
            on = timezone.localdate()
        outcome = send_reminders(on, dry_run=dry_run)
        verb = "ville blive påmindet" if dry_run else "påmindet"
        self.stdout.write(
            f"{on.isoformat()}: {outcome.reminded} forfaldne opfølgninger {verb}, "
            f"{outcome.sent} mails sendt, {outcome.already} var påmindet før, "
            f"{outcome.without_recipient} uden modtager med e-mail"
        )
