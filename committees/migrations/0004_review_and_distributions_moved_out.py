# The review's models move to the new app `review` and the distributions to `cases`
# (issue 9): they leave Django's state of `committees` here and are created in the
# state of their new apps by `cases.0005` and `review.0001`. No table changes.

from django.db import migrations

MOVED = [
    # dependents first
    "CommitteeApproval",
    "Notification",
    "LastSeen",
    "WorkflowEvent",
    "ReviewComment",
    "ProposalVersion",
    "ProposalSummary",
    "CommitteeShare",
    "DistributionRowAmount",
    "DistributionRow",
    "Distribution",
]


class Migration(migrations.Migration):

    dependencies = [
        ("committees", "0003_review_history_summaries"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
            database_operations=[],
        ),
    ]
