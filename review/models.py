"""The review's records: the workflow's steps (who did what when), committee approvals,
reviewers' comments, the proposal's version history, what each user last looked at, the
mails sent, and a stored summary of the engine's figures for sorting and filtering lists.

These models lived in `committees` until the apps were layered (issue 9): their tables
keep the names `committees_*`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Records of what happened are append-only: `AppendOnly` refuses updates and deletes
# through the ORM (instances and querysets); only deleting the proposal itself removes
# them (cascade).


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise self.model.append_only_error(
            f"{self.model.__name__} is append-only: it cannot be changed"
        )

    def delete(self):
        raise self.model.append_only_error(
            f"{self.model.__name__} is append-only: it cannot be deleted"
        )


class AppendOnly(models.Model):
    """Records that are written once and never changed or deleted through the ORM
    (history, log, approvals, the adopted plan). Subclasses may name their own error."""

    append_only_error: type[Exception] = PermissionError
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.append_only_error(
                f"{type(self).__name__} is append-only: it cannot be changed"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.append_only_error(f"{type(self).__name__} is append-only: it cannot be deleted")


class ProposalVersion(AppendOnly):
    """One saved state of a proposal's inputs: the budget-cases/1 export of the proposal
    without its `computed` block, so that every field, line and amount is kept."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    number = models.PositiveIntegerField(_("version number"))
    proposal_version = models.PositiveIntegerField(_("proposal's version counter"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    data = models.JSONField(_("inputs"))

    class Meta:
        db_table = "committees_proposalversion"
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.number}"


class ChangeAfterDecision(AppendOnly):
    """ "Ændring efter beslutning": a change of a proposal's inputs after it was
    recommended or decided (`cases.permissions.DECIDED_STATUSES`), which the services
    refuse without a reason (issue 11, finding 3). Who, when, why, in which status, and
    the readable changes (`history.diff` of the inputs before and after: every changed
    field and amount). Append-only; shown on the case page and in the printed annex's
    control notes."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="changes_after_decision",
    )
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"))
    changes = models.JSONField(
        _("changes"),
        default=list,
        help_text=_('A list of {"group", "field", "before", "after"} as shown.'),
    )

    class Meta:
        verbose_name = _("change after the decision")
        verbose_name_plural = _("changes after the decision")
        ordering = ["proposal", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="change_after_decision_reason"),
        ]

    def __str__(self):
        return f"{self.proposal_id} {self.at:%Y-%m-%d}: {self.reason[:40]}"


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    START_HEARING = "start_hearing", _("Sent to hearing")
    ANSWER_HEARING = "answer_hearing", _("Hearing answered")
    FORWARD = "forward", _("Forwarded to committee")
    APPROVE = "approve", _("Approved by committee")
    RECOMMEND = "recommend", _("Recommended in the annex")
    ADOPT = "adopt", _("Adopted")
    NOT_ADOPT = "not_adopt", _("Not adopted")
    RETURN = "return", _("Returned to the author")
    REJECT = "reject", _("Rejected")


class WorkflowEvent(AppendOnly):
    """One step of the workflow: who, when, with which comment, from which status to
    which (equal when the step does not change the status, e.g. a hearing answer)."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="workflow_events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=20)
    to_status = models.CharField(_("to status"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        db_table = "committees_workflowevent"
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["proposal", "at", "pk"]
        indexes = [models.Index(fields=["proposal", "action", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="workflow_event_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.from_status} → {self.to_status})"


class CommitteeApproval(AppendOnly):
    """A committee's approval of a proposal in one submission round (the round is the
    `submit` step it belongs to: a returned and resubmitted proposal needs new ones)."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="committee_approvals",
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.ForeignKey(
        WorkflowEvent,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    approved_on = models.DateField(_("approved on"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        db_table = "committees_committeeapproval"
        verbose_name = _("committee approval")
        verbose_name_plural = _("committee approvals")
        ordering = ["proposal", "committee__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "committee"], name="committee_approval_once_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.approved_on}"


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation")
    APPROVE = "approve", _("Recommend approval")
    RETURN = "return", _("Recommend returning it")
    REJECT = "reject", _("Recommend rejection")


class ReviewComment(AppendOnly):
    """A reviewer's comment on a case, with an optional recommendation."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("comment"))
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )

    class Meta:
        db_table = "committees_reviewcomment"
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["proposal", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="review_comment_recommendation_valid",
            ),
        ]

    def __str__(self):
        return self.text[:50]


class LastSeen(models.Model):
    """The version of a proposal a user last looked at ("since I last looked")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        "cases.Proposal", verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ProposalVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        db_table = "committees_lastseen"
        verbose_name = _("last seen version")
        verbose_name_plural = _("last seen versions")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="last_seen_one_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.proposal_id}"


class Notification(AppendOnly):
    """A mail sent to a user about a workflow step (bookkeeping: who was told what)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="bilag_notifications",
    )
    event = models.ForeignKey(
        WorkflowEvent,
        verbose_name=_("workflow step"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=300)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        db_table = "committees_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-at", "pk"]

    def __str__(self):
        return self.subject


class ProposalSummary(models.Model):
    """The engine's overview figures of a proposal, stored so that lists sort, filter and
    total in the database. Derived data: `review.summaries.refresh_summary` rewrites
    it from `finance.engine` whenever the proposal's inputs change (`proposal_version`
    says from which version it was computed)."""

    proposal = models.OneToOneField(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
    )
    proposal_version = models.PositiveIntegerField(_("computed from version"))
    # The annex overview, million kroner with one decimal (engine.overview_row).
    investment_service = models.DecimalField(max_digits=12, decimal_places=1)
    investment_capital = models.DecimalField(max_digits=12, decimal_places=1)
    full_effect_service = models.DecimalField(max_digits=12, decimal_places=1)
    full_effect_transfers = models.DecimalField(max_digits=12, decimal_places=1)
    innovation_pool = models.DecimalField(max_digits=12, decimal_places=1)
    payback_years = models.PositiveSmallIntegerField(null=True, blank=True)
    payback_years_total = models.PositiveSmallIntegerField(null=True, blank=True)
    # Thousand kroner.
    investment_total = models.DecimalField(max_digits=16, decimal_places=2)
    full_effect_total = models.DecimalField(max_digits=16, decimal_places=2)
    check_count = models.PositiveIntegerField(default=0)
    # What the case list's search matches in (`review.search.search_text`): folded at
    # write time, so that SQLite and PostgreSQL find the same proposals.
    search_text = models.TextField(_("search text"), blank=True, default="")
    refreshed_at = models.DateTimeField(default=timezone.now)
    # The overview's amounts before rounding (thousand kroner, engine.overview_amounts):
    # what a conversion to another price level starts from. Empty in a summary stored
    # before they were (such a row is computed when converted).
    investment_service_exact = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    investment_capital_exact = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    full_effect_service_exact = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    full_effect_transfers_exact = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    # Present value of the net gain (thousand kroner) and discounted payback at the
    # catalogue's appraisal settings (finance.appraisal.base_scenario); refreshed when
    # the settings change (cases.signals.catalog_settings_changed).
    npv = models.DecimalField(_("present value"), max_digits=16, decimal_places=2, null=True,
                              blank=True)  # fmt: skip
    discounted_payback_years = models.PositiveSmallIntegerField(
        _("discounted payback (years)"), null=True, blank=True
    )

    class Meta:
        db_table = "committees_proposalsummary"
        verbose_name = _("proposal summary")
        verbose_name_plural = _("proposal summaries")
        indexes = [
            models.Index(fields=["payback_years"]),
            models.Index(fields=["investment_capital"]),
            models.Index(fields=["full_effect_service"]),
            models.Index(fields=["npv"]),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.proposal_version}"


class CommitteeShare(models.Model):
    """A committee's share of a proposal's savings, costs and investments in one year
    (thousand kroner), from the engine's allocated distributions; what no distribution
    covers belongs to the owning committee. Derived, like `ProposalSummary`."""

    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="committee_shares",
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    savings = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    costs = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    investments = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        db_table = "committees_committeeshare"
        verbose_name = _("committee share")
        verbose_name_plural = _("committee shares")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "committee", "year"], name="committee_share_unique"
            ),
        ]

    def __str__(self):
        return f"{self.committee_id} {self.year}"


class SavedView(models.Model):
    """A case list view a user saved: its filters, sort and chosen columns, kept as the
    list's query string. Its address opens the same view for anyone who may use the case
    list (shareable); what they see is still only what they may read."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query string"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("review:saved_view", args=[self.pk])


class PendingDecision(models.Model):
    """A budget decision marked now and applied later, together with others (as pretalx
    marks accept/reject before sending them): Vedtaget or Ikke vedtaget, one per proposal."""

    proposal = models.OneToOneField(
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="pending_decision",
    )
    adopted = models.BooleanField(_("adopted"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("pending decision")
        verbose_name_plural = _("pending decisions")

    def __str__(self):
        return f"{self.proposal_id}: {'+' if self.adopted else '-'}"
