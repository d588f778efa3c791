"""The municipality's organisation (committees, administrations, who works where) and the
distribution of a proposal's economy between committees ("Teknisk bilag")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Committee(models.Model):
    """A political committee (udvalg), or a unit under one that the annexes print on its
    own row (the ØU units Koncernservice, Koncern IT, Københavns Ejendomme, Byggeri
    København)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.parent_id is not None


class Administration(models.Model):
    """A forvaltning (ØKF, KFF, …)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    FINANCE_STAFF = "finance_staff", _("Finance staff")
    CENTRAL_FINANCE = "central_finance", _("Central finance")
    COMMITTEE_REVIEWER = "committee_reviewer", _("Committee reviewer")
    ADMIN = "admin", _("Administrator")


class Profile(models.Model):
    """Where a user works and in which role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="profile_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class DistributionSubject(models.TextChoices):
    PERMANENT_SAVING = "permanent_saving", _("Permanent savings")
    PERMANENT_COST = "permanent_cost", _("Permanent costs")
    PERMANENT = "permanent", _("Permanent changes")
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
        "cases.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="distributions",
    )
    subject = models.CharField(_("subject"), max_length=40, choices=DistributionSubject.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=DistributionBasis.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
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
    distribution = models.ForeignKey(
        Distribution, verbose_name=_("distribution"), on_delete=models.CASCADE, related_name="rows"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    account = models.CharField(_("account"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
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
