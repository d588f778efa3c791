"""`review`'s answers to the hooks of the layers below it (connected in `ReviewConfig.ready`)."""

from .history import diff, latest_version, record_versions
from .models import ChangeAfterDecision
from .summaries import refresh_summaries


def record_changed_inputs(sender, *, proposals, user=None, reason="", **kwargs) -> None:
    """`cases.signals.inputs_changed`: a history version and a fresh stored summary for
    every proposal whose inputs changed, in the sender's transaction."""
    record_versions(proposals, user, reason)
    refresh_summaries(proposals)


def refresh_catalog_summaries(sender, *, catalog, **kwargs) -> None:
    """`cases.signals.catalog_settings_changed`: the stored present values and
    discounted paybacks of the catalogue's proposals at the new settings."""
    refresh_summaries(catalog.proposals.all())


def record_change_after_decision(
    sender, *, proposal, user=None, status="", reason="", before=None, after=None, **kwargs
) -> None:
    """`cases.signals.decided_inputs_changed`: "ændring efter beslutning" in the history,
    with who, when, why and every changed field and amount, linked to the version the
    change made (recorded just before by `record_changed_inputs`)."""
    ChangeAfterDecision.objects.create(
        proposal=proposal,
        version=latest_version(proposal),
        status=status,
        user=user if getattr(user, "is_authenticated", False) else None,
        reason=reason,
        changes=[
            {"group": c.group, "field": c.field, "before": c.before, "after": c.after}
            for c in diff(before, after)
        ],
    )
