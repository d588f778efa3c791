from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases.signals import catalog_settings_changed, decided_inputs_changed, inputs_changed


class ReviewConfig(AppConfig):
    """The review: workflow and hearing, case list, stored summaries, history, changes,
    notifications, committee dashboard. Above `cases`, below `followup`."""

    name = "review"
    verbose_name = _("Review")

    def ready(self):
        from .receivers import (
            record_change_after_decision,
            record_changed_inputs,
            refresh_catalog_summaries,
        )

        inputs_changed.connect(record_changed_inputs, dispatch_uid="review.record_changed_inputs")
        catalog_settings_changed.connect(
            refresh_catalog_summaries, dispatch_uid="review.refresh_catalog_summaries"
        )
        decided_inputs_changed.connect(
            record_change_after_decision, dispatch_uid="review.record_change_after_decision"
        )
