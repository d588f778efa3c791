from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annex.management.commands.render_annex import get_catalog
from annex.xlsx_import import XlsxImportError, import_xlsx


class Command(BaseCommand):
    help = "Importér en udfyldt Excel-skabelon som ét forslag i et katalog (én transaktion)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.xlsx")
        parser.add_argument("--catalog", required=True, metavar="KEY")
        parser.add_argument(
            "--begrundelse",
            dest="reason",
            default="",
            metavar="TEKST",
            help="Hvorfor et indstillet eller besluttet forslag ændres (kræves for det).",
        )

    def handle(self, *args, file, catalog, reason="", **options):
        obj = get_catalog(catalog)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: kan ikke læses ({exc.strerror})") from None
        try:
            result = import_xlsx(raw, obj, reason=reason)
        except XlsxImportError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(f"{file}: {result.summary()}")
