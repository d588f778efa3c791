from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.interchange import InterchangeError
from cases.services import import_json


class Command(BaseCommand):
    help = "Importér kataloger i formatet budget-cases/1 (JSON). Hver fil er én transaktion."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE.json")

    def handle(self, *args, files, **options):
        for path in files:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: kan ikke læses ({exc.strerror})") from None
            try:
                result = import_json(raw)
            except InterchangeError as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"{path}: {result.summary()}")
