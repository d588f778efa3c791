"""Recompute every proposal's stored summary (e.g. after an upgrade that stores new
figures in it: the present value and the exact overview amounts of issue 14)."""

from django.core.management.base import BaseCommand

from cases.models import Proposal
from review.summaries import refresh_summaries


class Command(BaseCommand):
    help = "Recompute the stored summaries of all proposals (or of one catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", help="only this catalogue's key")

    def handle(self, *args, catalog=None, **options):
        proposals = Proposal.objects.all()
        if catalog:
            proposals = proposals.filter(catalog__key=catalog)
        count = refresh_summaries(proposals)
        self.stdout.write(f"{count} summaries refreshed")
