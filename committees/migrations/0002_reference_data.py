from django.db import migrations

from committees.reference_data import ADMINISTRATIONS, COMMITTEES, OU_UNITS


def create_reference_data(apps, schema_editor):
    Committee = apps.get_model("committees", "Committee")
    Administration = apps.get_model("committees", "Administration")
    by_code = {}
    for order, (code, name) in enumerate(COMMITTEES, start=1):
        by_code[code], _ = Committee.objects.update_or_create(
            code=code, defaults={"name": name, "order": order * 10, "parent": None}
        )
    for order, (code, name) in enumerate(OU_UNITS, start=1):
        Committee.objects.update_or_create(
            code=code, defaults={"name": name, "order": 10 + order, "parent": by_code["ØU"]}
        )
    for order, (code, name, committee) in enumerate(ADMINISTRATIONS, start=1):
        Administration.objects.update_or_create(
            code=code,
            defaults={"name": name, "order": order, "committee": by_code[committee]},
        )


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_initial")]
    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
