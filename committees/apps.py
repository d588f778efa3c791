from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Committees and administrations")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import PriceIndex, forget_cached_levels

        post_save.connect(forget_cached_levels, sender=PriceIndex, dispatch_uid="pl-levels-save")
        post_delete.connect(
            forget_cached_levels, sender=PriceIndex, dispatch_uid="pl-levels-delete"
        )
