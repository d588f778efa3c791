from pathlib import Path

from django.core.management.base import BaseCommand

from annex.management.commands.render_annex import get_catalog
from annex.xlsx_export import export_catalog_xlsx


class Command(BaseCommand):
    help = "Eksportér et katalog som Excel-projektmappe med levende formler."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", required=True, metavar="KEY")
        parser.add_argument("--status", nargs="+", default=[], metavar="STATE")
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")

    def handle(self, *args, catalog, status, output, **options):
        count = export_catalog_xlsx(get_catalog(catalog), output, statuses=status)
        self.stdout.write(f"{output}: {count} forslag")
