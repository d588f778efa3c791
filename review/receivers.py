"""`review`'s answers to the hooks of the layers below it (connected in `ReviewConfig.ready`)."""

from .history import record_versions
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
