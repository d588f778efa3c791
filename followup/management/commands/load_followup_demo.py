"""Demo follow-up for `make run`: call after `load_demo` (which imports the reference
catalogues and the demo users)."""

from django.core.management.base import BaseCommand

from followup.demo import load_followup_demo


class Command(BaseCommand):
    help = "Vedtag nogle af referenceforslagene med realiserede tal og opfølgninger (demo)."

    def handle(self, *args, **options):
        for note in load_followup_demo():
            self.stdout.write(note)
