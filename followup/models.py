"""Follow-up of a proposal after the decision: its success criteria."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuccessCriterion(models.Model):
    """One row of the annex's follow-up table ("Opfølgning")."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="success_criteria",
    )
    criterion = models.TextField(_("success criterion"), blank=True)
    how_measured = models.TextField(_("how is it measured?"), blank=True)
    how_achieved = models.TextField(_("how is it achieved?"), blank=True)
    responsible = models.TextField(_("who is responsible?"), blank=True)
    when = models.TextField(_("when?"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        ordering = ["proposal", "order", "pk"]

    def __str__(self):
        return self.criterion or self.how_measured or "—"
