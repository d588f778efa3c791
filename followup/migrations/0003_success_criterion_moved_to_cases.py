# The printed success criteria are proposal inputs: `SuccessCriterion` leaves Django's
# state of `followup` here and is created in the state of `cases` by `cases.0005`
# (issue 9). The table keeps its name; no row moves.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0002_followup_after_decision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SuccessCriterion")],
            database_operations=[],
        ),
    ]
