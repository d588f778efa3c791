"""A budget round's catalogue of proposals, as the printed annexes hold them.

Models say what is true: inputs only. Every total, net figure and payback is computed by
`finance.engine` from these inputs; the figures a source document printed are kept apart
in `StatedFigures`, for reconciliation.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finance.appraisal import (
    DEFAULT_COST_RISE_PCT,
    DEFAULT_DELAY_YEARS,
    DEFAULT_HORIZON,
    DEFAULT_SAVINGS_CUT_PCT,
)

from . import limits


def max_length_checks(prefix: str, lengths: dict[str, int]) -> list[models.CheckConstraint]:
    """The database's own check of every text field's maximum length (`cases.limits`):
    PostgreSQL enforces varchar(n) but not text, SQLite enforces neither, so both get
    the same CHECK (length(field) <= n) and accept and refuse the same rows."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__length__lte": most}), name=f"{prefix}_{name}_max_length"
        )
        for name, most in lengths.items()
    ]


models.CharField.register_lookup(Length)
models.TextField.register_lookup(Length)


class Pool(models.TextChoices):
    EFFICIENCY = "efficiency", _("Efficiency strategy")
    INVESTMENT = "investment", _("Investment pool")
    INNOVATION = "innovation", _("Innovation pool")


class Catalog(models.Model):
    """One budget round's annex (e.g. "Bilag 2 – Forslag til investeringspuljen")."""

    key = models.SlugField(_("key"), max_length=100, unique=True, allow_unicode=False)
    title = models.CharField(_("title"), max_length=300)
    annex = models.CharField(_("annex label"), max_length=50, blank=True)
    pool = models.CharField(_("pool"), max_length=20, choices=Pool.choices)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    overview = models.JSONField(_("printed overview table"), null=True, blank=True)
    # The text before the overview ("Dette katalog beskriver …"), Markdown.
    introduction = models.TextField(_("introduction"), blank=True)
    source_file = models.CharField(_("source file"), max_length=300, blank=True)
    # Present value and sensitivity (finance.appraisal; docs/APPRAISAL.md)
    discount_rate_pct = models.DecimalField(
        _("discount rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
        help_text=_("Empty: the Ministry of Finance's socio-economic rate (3.5 %, falling)."),
    )
    appraisal_horizon = models.PositiveSmallIntegerField(
        _("horizon (years)"),
        default=DEFAULT_HORIZON,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    sensitivity_savings_cut_pct = models.DecimalField(
        _("sensitivity: savings lower by (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_SAVINGS_CUT_PCT,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    sensitivity_delay_years = models.PositiveSmallIntegerField(
        _("sensitivity: savings later by (years)"),
        default=DEFAULT_DELAY_YEARS,
        validators=[MaxValueValidator(20)],
    )
    print_appraisal = models.BooleanField(
        _("print present value and sensitivity"),
        default=False,
        help_text=_("Off: the printed annex stays the document the committees know."),
    )
    sensitivity_cost_rise_pct = models.DecimalField(
        _("sensitivity: implementation higher by (%)"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_COST_RISE_PCT,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        ordering = ["-budget_year", "key"]
        constraints = [
            models.CheckConstraint(condition=Q(pool__in=Pool.values), name="catalog_pool_valid"),
            models.CheckConstraint(
                condition=Q(budget_year__gte=1900, budget_year__lte=2200),
                name="catalog_budget_year_plausible",
            ),
            *max_length_checks("catalog", {"introduction": limits.LONG_TEXT_LENGTH}),
        ]

    def __str__(self):
        return f"{self.annex} – {self.title}" if self.annex else self.title

    def get_absolute_url(self):
        return reverse("cases:catalog_detail", args=[self.key])


class PoolBudget(models.Model):
    """The pool's budget for one year (investeringspuljens ramme), in 1.000 kr."""

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="pool_budget"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    amount = models.DecimalField(
        _("budget (1,000 kr.)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("pool budget")
        verbose_name_plural = _("pool budget")
        ordering = ["catalog", "year"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "year"], name="pool_budget_year_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pool_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.catalog.key} {self.year}: {self.amount}"


class Status(models.TextChoices):
    """The review workflow (see `review.workflow`)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_HEARING = "in_hearing", _("In hearing")
    COMMITTEE_APPROVED = "committee_approved", _("Approved in committee")
    RECOMMENDED = "recommended", _("Recommended")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Proposal(models.Model):
    """One business case: every input field of the budget-cases/1 format."""

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="proposals"
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    cross_cutting = models.BooleanField(_("cross-cutting"), null=True, blank=True)
    presenting_administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("presenting administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presented_proposals",
    )
    affected_administrations = models.ManyToManyField(
        "committees.Administration",
        verbose_name=_("affected administrations"),
        blank=True,
        related_name="affected_by_proposals",
    )
    funding_source = models.CharField(_("funding sought from"), max_length=200, blank=True)
    applies_for_pool_funding = models.BooleanField(
        _("applies for pool funding"), null=True, blank=True
    )
    productivity_improvement = models.BooleanField(
        _("improves productivity"), null=True, blank=True
    )
    reduced_admin_costs = models.BooleanField(
        _("reduces administrative costs"), null=True, blank=True
    )
    price_level_year = models.PositiveSmallIntegerField(_("price level (year)"))
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    background = models.TextField(_("background and purpose"), blank=True)
    content = models.TextField(_("content of the proposal"), blank=True)
    potential = models.TextField(_("potential"), blank=True)
    economy_text = models.TextField(_("economy"), blank=True)
    implementation_text = models.TextField(_("implementation"), blank=True)
    partners = models.TextField(_("involvement of partners"), blank=True)
    effect = models.TextField(_("effect of the proposal"), blank=True)
    other_sections = models.JSONField(
        _("other sections"),
        default=list,
        blank=True,
        help_text=_('A list of {"heading": …, "text": …} in printed order.'),
    )

    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    risk_text = models.TextField(_("risk"), blank=True)
    priority_criteria = models.JSONField(_("priority criteria"), null=True, blank=True)

    # Printed material that is not an input: kept so that nothing of a source document
    # is lost, and exported again.
    other_tables = models.JSONField(_("other printed tables"), default=list, blank=True)
    anomalies = models.JSONField(_("reader's notes on the source"), default=list, blank=True)
    printed_headings = models.JSONField(
        _("printed section headings"),
        default=list,
        blank=True,
        help_text=_(
            "The source document's section headings as printed (number and wording), in "
            "order: the print numbers its sections as they are."
        ),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["catalog", "number"]
        # "Venter på mig" counts the proposals in a waiting status on every page
        # (review.selectors.waiting_count): an index scan instead of reading every row
        indexes = [
            models.Index(fields=["status"], name="proposal_status_idx"),
            # the case list's totals are grouped by price level (review.selectors.totals):
            # on SQLite the grouping then reads this small index in order instead of
            # every proposal's row and sorting them all (issue 13: the list at 20,000)
            models.Index(fields=["price_level_year"], name="proposal_price_level_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "number"], name="proposal_number_unique_in_catalog"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="proposal_number_not_empty"),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year"))
                & Q(last_year__lte=F("first_year") + 29),
                name="proposal_year_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(first_year__gte=1900, first_year__lte=2200),
                name="proposal_first_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(risk_level="") | Q(risk_level__in=RiskLevel.values),
                name="proposal_risk_level_valid",
            ),
            *max_length_checks(
                "proposal",
                {
                    "number": limits.NUMBER_LENGTH,
                    "title": limits.TITLE_LENGTH,
                    "funding_source": limits.NAME_LENGTH,
                    **{
                        name: limits.LONG_TEXT_LENGTH
                        for name in (
                            "summary",
                            "background",
                            "content",
                            "potential",
                            "economy_text",
                            "implementation_text",
                            "partners",
                            "effect",
                            "risk_text",
                        )
                    },
                },
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("cases:proposal_detail", args=[self.catalog.key, self.number])

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))


class Section(models.TextChoices):
    PERMANENT = "permanent", _("Permanent changes")
    IMPLEMENTATION = "implementation", _("Implementation costs")
    ADMINISTRATION = "administration", _("Permanent changes, administration")


class Kind(models.TextChoices):
    SAVING = "saving", _("Saving")
    COST = "cost", _("Cost")


class Area(models.TextChoices):
    SERVICE = "service", _("Service")
    TRANSFERS = "transfers", _("Transfers")
    CAPITAL = "capital", _("Capital")
    OPERATING = "operating", _("Operating")


PERMANENT_AREAS = (Area.SERVICE, Area.TRANSFERS, Area.CAPITAL)
IMPLEMENTATION_AREAS = (Area.CAPITAL, Area.SERVICE, Area.OPERATING)


class Line(models.Model):
    """One row of the year grid. Administrative-effect rows have no kind and no area."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="lines"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    kind = models.CharField(_("saving or cost"), max_length=10, choices=Kind.choices, blank=True)
    area = models.CharField(_("control area"), max_length=20, choices=Area.choices, blank=True)
    label = models.TextField(_("label"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Rows that break the line down further (printed in the detail tables instead of the
    # line): [{"label": str, "amounts": {"2021": "-1528.00"}}], amounts as exact decimal
    # strings in thousand kroner. The engine checks that they add up to the line.
    specifications = models.JSONField(_("specifications"), default=list, blank=True)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["proposal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        section=Section.PERMANENT,
                        kind__in=Kind.values,
                        area__in=["", *PERMANENT_AREAS],
                    )
                    | Q(
                        section=Section.IMPLEMENTATION,
                        kind__in=Kind.values,
                        area__in=["", *IMPLEMENTATION_AREAS],
                    )
                    | Q(section=Section.ADMINISTRATION, kind="", area="")
                ),
                name="line_section_kind_area_valid",
            ),
            *max_length_checks("line", {"label": limits.LABEL_LENGTH}),
        ]

    def __str__(self):
        return self.label


class LineAmount(models.Model):
    """A filled cell of the year grid. An empty cell has no row (and is not 0)."""

    line = models.ForeignKey(
        Line, verbose_name=_("line"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (1,000 kr.)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("amount")
        verbose_name_plural = _("amounts")
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="line_amount_one_per_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class FteYear(models.Model):
    """Personalemæssige konsekvenser (årsværk) in one year."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="fte_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    fte = models.DecimalField(_("full-time equivalents"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("full-time equivalents")
        verbose_name_plural = _("full-time equivalents")
        ordering = ["proposal", "year"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year"], name="fte_one_per_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.fte}"


class HearingAnswer(models.Model):
    """One row of "Hvem er hørt?"."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="hearing"
    )
    body = models.CharField(_("consulted body"), max_length=200)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    date_text = models.TextField(_("date of approval"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hearing answer")
        verbose_name_plural = _("hearing answers")
        ordering = ["proposal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=["yes", "no", "not_relevant"]),
                name="hearing_answer_valid",
            ),
            *max_length_checks(
                "hearing",
                {
                    "body": limits.NAME_LENGTH,
                    "date_text": limits.DATE_TEXT_LENGTH,
                    "comment": limits.COMMENT_LENGTH,
                },
            ),
        ]

    def __str__(self):
        return self.body


class StatedFigures(models.Model):
    """Totals as PRINTED in a source document, kept apart from the inputs so that the
    checks can show where the print and the computation differ. Amounts are stored as
    {"year": "decimal string"} to stay exact."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="stated"
    )
    permanent_total = models.JSONField(_("printed permanent total"), null=True, blank=True)
    implementation_total = models.JSONField(
        _("printed implementation total"), null=True, blank=True
    )
    net_total = models.JSONField(_("printed net impact"), null=True, blank=True)
    payback_years = models.PositiveSmallIntegerField(
        _("printed payback (break even)"), null=True, blank=True
    )
    payback_years_service = models.PositiveSmallIntegerField(
        _("printed payback, service"), null=True, blank=True
    )
    payback_years_total = models.PositiveSmallIntegerField(
        _("printed payback, total"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("printed figures")
        verbose_name_plural = _("printed figures")

    def __str__(self):
        return f"{self.proposal}"


# --------------------------------------------------------------------------- distributions
# How a proposal's economy is split between committees ("Teknisk bilag"): proposal inputs.
# The tables keep the names they had when these models lived in `committees`.


class DistributionSubject(models.TextChoices):
    PERMANENT_SAVING = "permanent_saving", _("Permanent savings")
    PERMANENT_COST = "permanent_cost", _("Permanent costs")
    PERMANENT = "permanent", _("Permanent changes")
    PERMANENT_SERVICE_SAVING = "permanent_service_saving", _("Permanent savings, service")
    PERMANENT_SERVICE_COST = "permanent_service_cost", _("Permanent costs, service")
    IMPLEMENTATION_CAPITAL = "implementation_capital", _("Capital investment")
    IMPLEMENTATION_SERVICE = "implementation_service", _("Service investment")
    IMPLEMENTATION_OPERATING = "implementation_operating", _("Operating implementation costs")
    IMPLEMENTATION = "implementation", _("Implementation costs")


class DistributionBasis(models.TextChoices):
    WEIGHTS = "weights", _("Keys (weights)")
    AMOUNTS = "amounts", _("Explicit amounts")


class Distribution(models.Model):
    """How one part of a proposal's economy is split between committees."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="distributions",
    )
    subject = models.CharField(_("subject"), max_length=40, choices=DistributionSubject.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=DistributionBasis.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "committees_distribution"
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["proposal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=DistributionSubject.values),
                name="distribution_subject_valid",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=DistributionBasis.values), name="distribution_basis_valid"
            ),
            models.UniqueConstraint(
                fields=["proposal", "subject"], name="distribution_one_per_subject"
            ),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} ({self.get_basis_display()})"


class DistributionRow(models.Model):
    """One committee's (or unit's) row of a distribution: a weight or explicit amounts."""

    distribution = models.ForeignKey(
        Distribution, verbose_name=_("distribution"), on_delete=models.CASCADE, related_name="rows"
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    account = models.CharField(_("account"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "committees_distributionrow"
        verbose_name = _("distribution row")
        verbose_name_plural = _("distribution rows")
        ordering = ["distribution", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="distribution_row_weight_non_negative",
            ),
        ]

    def __str__(self):
        return self.unit or str(self.committee)


class DistributionRowAmount(models.Model):
    row = models.ForeignKey(
        DistributionRow, verbose_name=_("row"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (1,000 kr.)"), max_digits=14, decimal_places=2)

    class Meta:
        db_table = "committees_distributionrowamount"
        verbose_name = _("distributed amount")
        verbose_name_plural = _("distributed amounts")
        ordering = ["row", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "year"], name="distribution_amount_one_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


# --------------------------------------------------------------------------- success criteria


class SuccessCriterion(models.Model):
    """One row of the annex's follow-up table ("Opfølgning"): an input of the proposal.
    After the decision, `followup` copies them into the frozen plan's tracked criteria.
    The table keeps the name it had when the model lived in `followup`."""

    proposal = models.ForeignKey(
        Proposal,
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
        db_table = "followup_successcriterion"
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        ordering = ["proposal", "order", "pk"]

    def __str__(self):
        return self.criterion or self.how_measured or "—"
