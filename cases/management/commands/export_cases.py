from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.exporting import dumps, export_catalog
from cases.models import Catalog


class Command(BaseCommand):
    help = "Eksportér et katalog i formatet budget-cases/1 (JSON) med beregnede tal."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", required=True, metavar="KEY")
        parser.add_argument("-o", "--output", type=Path, metavar="FILE")

    def handle(self, *args, catalog, output, **options):
        try:
            obj = Catalog.objects.get(key=catalog)
        except Catalog.DoesNotExist:
            known = ", ".join(Catalog.objects.values_list("key", flat=True)) or "ingen"
            raise CommandError(f'Kataloget "{catalog}" findes ikke (kendte: {known})') from None
        text = dumps(export_catalog(obj))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"{obj.key}: {obj.proposals.count()} forslag skrevet til {output}")
