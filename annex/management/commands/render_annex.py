from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from annex.pdf import check_price_level, render_catalog_annex, render_followup_report
from cases.models import Catalog, Status
from cases.price_levels import choose_price_level


def get_catalog(key: str) -> Catalog:
    try:
        return Catalog.objects.get(key=key)
    except Catalog.DoesNotExist:
        known = ", ".join(Catalog.objects.values_list("key", flat=True)) or "ingen"
        raise CommandError(f'Kataloget "{key}" findes ikke (kendte: {known})') from None


class Command(BaseCommand):
    help = "Dan et katalogs bilag som PDF (forside, oversigt, indhold og forslagene)."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", required=True, metavar="KEY")
        parser.add_argument(
            "--status",
            nargs="+",
            default=[],
            metavar="STATE",
            help=f"kun forslag med disse statusser ({', '.join(Status.values)})",
        )
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--pl",
            default="",
            metavar="YEAR",
            help="udskriv alle forslag i dette pris- og lønniveau (tomt: hvert i sit eget)",
        )
        parser.add_argument(
            "--followup",
            action="store_true",
            help="dan i stedet katalogets opfølgningsrapport (alle vedtagne forslag)",
        )

    def handle(self, *args, catalog, status, output, workers, followup, pl, **options):
        obj = get_catalog(catalog)
        if followup:
            if status:
                raise CommandError("--status gælder ikke opfølgningsrapporten")
            if pl:
                raise CommandError("--pl gælder ikke opfølgningsrapporten")
            data = render_followup_report(obj)
            output.write_bytes(data)
            self.stdout.write(f"{output}: opfølgningsrapport, {len(data) // 1024} KB")
            return
        unknown = [s for s in status if s not in Status.values]
        if unknown:
            raise CommandError(
                f"Ukendt status: {', '.join(unknown)} (kendte: {', '.join(Status.values)})"
            )
        with translation.override("da"):
            choice = choose_price_level(pl)
            error = check_price_level(obj, choice, status)
        if error:
            raise CommandError(error)
        stats = render_catalog_annex(
            obj, output, statuses=status, workers=workers, price_level=choice
        )
        self.stdout.write(
            f"{output}: {stats.pages} sider, {stats.rendered} forslag dannet, "
            f"{stats.cached} fra cachen, {stats.seconds:.1f} s"
        )
