"""A rendering of a catalogue's annex in the background, with its progress and file."""

from django.conf import settings
from django.db import models
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
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("annex rendering")
        verbose_name_plural = _("annex renderings")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.catalog} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
