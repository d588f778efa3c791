from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnexConfig(AppConfig):
    name = "annex"
    verbose_name = _("Printed annex")
