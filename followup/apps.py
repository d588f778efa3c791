from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from review.signals import proposal_adopted


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from .receivers import freeze_adopted_plan

        proposal_adopted.connect(freeze_adopted_plan, dispatch_uid="followup.freeze_adopted_plan")
