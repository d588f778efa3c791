from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.interchange import InterchangeError
from cases.services import import_file


class Command(BaseCommand):
    help = "Importér kataloger i formatet budget-cases/1 (JSON). Hver fil er én transaktion."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE.json")
        parser.add_argument(
            "--begrundelse",
            dest="reason",
            default="",
            metavar="TEKST",
            help="Hvorfor indstillede eller besluttede forslag ændres (kræves for dem).",
        )

    def handle(self, *args, files, reason="", **options):
        for path in files:
            try:
                file = path.open("rb")
            except OSError as exc:
                raise CommandError(f"{path}: kan ikke læses ({exc.strerror})") from None
            try:
                with file:  # read as a stream: a large catalogue is never in memory whole
                    result = import_file(file, reason=reason)
            except InterchangeError as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"{path}: {result.summary()}")
