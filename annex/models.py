"""A rendering of a catalogue's annex in the background, with its progress and file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnexJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    catalog = models.ForeignKey(
        "cases.Catalog",
        verbose_name=_("catalogue"),
        on_delete=models.CASCADE,
        related_name="annex_jobs",
    )
    statuses = models.JSONField(_("statuses"), default=list, blank=True)
    # the p/l the annex is printed in; empty: each proposal in its own (the default)
    price_level = models.PositiveSmallIntegerField(_("price level (p/l)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("proposals done"), default=0)
    total = models.PositiveIntegerField(_("proposals"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    file = models.FileField(_("file"), upload_to="annex/jobs/", blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Written when the worker starts and after every proposal it renders: a running job
    # whose heartbeat is older than ANNEX_JOB_TIMEOUT seconds has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("annex rendering")
        verbose_name_plural = _("annex renderings")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.catalog} ({self.get_state_display()})"

    def is_stale(self, now=None) -> bool:
        """Queued or running, and no sign of life for ANNEX_JOB_TIMEOUT seconds: its
        worker died (or none took it). Read-only: `annex.tasks.fail_stale_jobs` marks
        such jobs failed."""
        if self.state not in (self.State.QUEUED, self.State.RUNNING):
            return False
        now = now or timezone.now()
        last = self.heartbeat_at or self.created_at
        return last is not None and (now - last).total_seconds() > settings.ANNEX_JOB_TIMEOUT

    @property
    def shown_state(self) -> str:
        """The state a person is told: a stale job is failed, even before it is marked."""
        return self.State.FAILED if self.is_stale() else self.state

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
