from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Bilag: health endpoint, task-worker heartbeats, session and cache policy.
    Below every domain app: it imports none of them."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="ops.start_idle_clock")
