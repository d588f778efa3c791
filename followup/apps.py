from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cases.signals import decided_inputs_changed
from review.signals import proposal_adopted


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from .receivers import freeze_adopted_plan, note_changed_proposal

        proposal_adopted.connect(freeze_adopted_plan, dispatch_uid="followup.freeze_adopted_plan")
        decided_inputs_changed.connect(
            note_changed_proposal, dispatch_uid="followup.note_changed_proposal"
        )
