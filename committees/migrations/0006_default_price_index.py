"""The default p/l index: Økonomistyrelsen's general price and wage rise, chained to
2010 = 100 (committees.reference_data; source in docs/APPRAISAL.md). Years already in
the table are left as they are (an administrator may have corrected them)."""

from django.db import migrations

from committees.reference_data import (
    GENERAL_PL_RISE_PCT,
    PRICE_INDEX_BASE_YEAR,
    PRICE_INDEX_SOURCE,
)
from finance.prices import SERVICE_SERIES, chain_index


def load_default_price_index(apps, schema_editor):
    PriceIndex = apps.get_model("committees", "PriceIndex")
    for year, value in chain_index(GENERAL_PL_RISE_PCT, PRICE_INDEX_BASE_YEAR).items():
        PriceIndex.objects.get_or_create(
            series=SERVICE_SERIES,
            year=year,
            defaults={"value": value, "source": PRICE_INDEX_SOURCE},
        )


class Migration(migrations.Migration):
    dependencies = [("committees", "0005_price_index")]
    operations = [migrations.RunPython(load_default_price_index, migrations.RunPython.noop)]
