"""The case list's search text on the stored summary (issue 11, finding 22), filled for
the summaries that exist (`review.search.search_text`)."""

from django.db import migrations, models

from review.search import search_text


def fill_search_text(apps, schema_editor):
    ProposalSummary = apps.get_model("review", "ProposalSummary")
    summaries = ProposalSummary.objects.select_related(
        "proposal__committee", "proposal__presenting_administration"
    ).prefetch_related("proposal__affected_administrations")
    batch = []
    for summary in summaries.iterator(chunk_size=500):
        summary.search_text = search_text(summary.proposal)
        batch.append(summary)
        if len(batch) == 500:
            ProposalSummary.objects.bulk_update(batch, ["search_text"])
            batch = []
    ProposalSummary.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_change_after_decision"),
        ("cases", "0009_catalog_print_appraisal"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposalsummary",
            name="search_text",
            field=models.TextField(blank=True, default="", verbose_name="search text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
