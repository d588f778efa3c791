"""Mark annex renderings whose worker died as failed (run from cron, e.g. every 5 min)."""

from django.core.management.base import BaseCommand

from annex.tasks import fail_stale_jobs


class Command(BaseCommand):
    help = "Mark annex renderings without a sign of life for ANNEX_JOB_TIMEOUT s as failed."

    def handle(self, *args, **options):
        count = fail_stale_jobs()
        self.stdout.write(f"{count} kørsel(er) markeret som fejlet")
