"""Follow-up of a proposal after the decision: the frozen plan, trackable criteria,
registrations, realised figures and reminders. (The printed success criteria are proposal
inputs: `cases.models.SuccessCriterion`.)"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import AppendOnly

# --------------------------------------------------------------------------- after the decision


class FrozenPlanError(PermissionError):
    """The frozen plan of an adopted proposal cannot be changed or deleted."""


class FrozenPlan(AppendOnly):
    """The adopted version of a proposal, kept as it was at the decision: its inputs and
    the engine's figures as a budget-cases/1 proposal document (`cases.exporting`).

    Created once by `followup.services.freeze_plan`; never changed afterwards (`save`,
    `delete` and queryset `update`/`delete` refuse). Later edits of the proposal do not
    touch it.
    """

    append_only_error = FrozenPlanError

    proposal = models.OneToOneField(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="frozen_plan",
    )
    version = models.PositiveIntegerField(_("adopted version"))
    frozen_at = models.DateTimeField(_("adopted"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.JSONField(_("adopted proposal (budget-cases/1)"))

    class Meta:
        verbose_name = _("adopted plan")
        verbose_name_plural = _("adopted plans")
        ordering = ["proposal"]

    def __str__(self):
        return f"{self.proposal} (v{self.version})"


class Schedule(models.TextChoices):
    ONCE = "once", _("Once")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class CriterionStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class TrackedCriterion(models.Model):
    """A success criterion under follow-up: the printed columns as adopted, plus what
    makes it trackable (baseline → target in a unit, a schedule, who is responsible).

    Copied from the adopted version's `SuccessCriterion` rows when the plan is frozen
    (the editor replaces those rows on every save), so registrations stay attached.
    """

    plan = models.ForeignKey(
        FrozenPlan, verbose_name=_("adopted plan"), on_delete=models.CASCADE,
        related_name="criteria",
    )  # fmt: skip
    criterion = models.TextField(_("success criterion"), blank=True)
    how_measured = models.TextField(_("how is it measured?"), blank=True)
    responsible_text = models.TextField(_("who is responsible? (as printed)"), blank=True)
    when_text = models.TextField(_("when? (as printed)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    schedule = models.CharField(
        _("follow-up schedule"), max_length=20, choices=Schedule.choices, blank=True
    )
    first_due = models.DateField(_("first follow-up date"), null=True, blank=True)
    ends_on = models.DateField(_("last follow-up date"), null=True, blank=True)
    responsible_administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("responsible administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followup_criteria",
    )

    class Meta:
        verbose_name = _("tracked success criterion")
        verbose_name_plural = _("tracked success criteria")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(schedule="", first_due__isnull=True)
                | (Q(schedule__in=Schedule.values) & Q(first_due__isnull=False)),
                name="criterion_schedule_has_first_due",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("first_due")),
                name="criterion_ends_after_first_due",
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True)
                | Q(target_year__gte=1900, target_year__lte=2200),
                name="criterion_target_year_plausible",
            ),
        ]

    def __str__(self):
        return self.criterion or self.how_measured or "—"


class Registration(models.Model):
    """One follow-up report on a criterion (append-only: a new report is a new row)."""

    criterion = models.ForeignKey(
        TrackedCriterion, verbose_name=_("success criterion"), on_delete=models.CASCADE,
        related_name="registrations",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=CriterionStatus.choices)
    measured_value = models.DecimalField(
        _("measured value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up registration")
        verbose_name_plural = _("follow-up registrations")
        ordering = ["criterion", "registered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CriterionStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(measured_value__isnull=True) | Q(measured_on__isnull=False),
                name="registration_value_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_status_display()}"


class RealisedLine(models.Model):
    """A row of the realised year grid; one per line of the adopted plan."""

    plan = models.ForeignKey(
        FrozenPlan, verbose_name=_("adopted plan"), on_delete=models.CASCADE,
        related_name="realised_lines",
    )  # fmt: skip
    section = models.CharField(_("section"), max_length=20)
    kind = models.CharField(_("saving or cost"), max_length=10)
    area = models.CharField(_("control area"), max_length=20, blank=True)
    label = models.TextField(_("label"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("realised line")
        verbose_name_plural = _("realised lines")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(section="permanent", kind__in=["saving", "cost"],
                      area__in=["", "service", "transfers", "capital"])
                    | Q(section="implementation", kind__in=["saving", "cost"],
                        area__in=["", "capital", "service", "operating"])
                ),
                name="realised_line_section_kind_area_valid",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.label


class RealisedAmount(models.Model):
    """A filled cell of the realised grid (an empty cell has no row, and is not 0)."""

    line = models.ForeignKey(
        RealisedLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (1,000 kr.)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("realised amount")
        verbose_name_plural = _("realised amounts")
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="realised_amount_one_per_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class EventKind(models.TextChoices):
    ADOPTED = "adopted", _("Plan frozen at the decision")
    REGISTRATION = "registration", _("Follow-up registered")
    REALISED = "realised", _("Realised figures changed")
    TRACKING = "tracking", _("Criterion tracking changed")
    REMINDER = "reminder", _("Reminder sent")
    CHANGED_AFTER = "changed_after", _("Proposal changed after the decision")


class FollowupEvent(AppendOnly):
    """The follow-up history of a proposal: who did what, when (append-only)."""

    plan = models.ForeignKey(
        FrozenPlan, verbose_name=_("adopted plan"), on_delete=models.CASCADE,
        related_name="events",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"))
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        ordering = ["plan", "-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="followup_event_kind_valid"
            ),
        ]

    def __str__(self):
        return self.summary


class ReminderSent(models.Model):
    """Bookkeeping: the reminder for one due date of one criterion has been sent."""

    criterion = models.ForeignKey(
        TrackedCriterion, verbose_name=_("success criterion"), on_delete=models.CASCADE,
        related_name="reminders",
    )  # fmt: skip
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.TextField(_("recipients"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["criterion", "due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "due_date"], name="reminder_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"{self.criterion} ({self.due_date})"
