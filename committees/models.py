"""The municipality's organisation: committees and ØU's units, administrations, who works
where and in which role. The bottom Django layer: it imports no other app."""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats
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


def index_text(value: Decimal | None) -> str:
    """An index value as the page's language writes it, without trailing zeros: 100,
    101,3, 128,1343 in Danish (stored with four places: 100.0000). "" for None."""
    if value is None:
        return ""
    plain = value.normalize()
    if plain.as_tuple().exponent > 0:  # 1E+2: back to 100
        plain = plain.quantize(Decimal(1))
    return format(plain, "f").replace(".", formats.get_format("DECIMAL_SEPARATOR"))


class PriceIndex(models.Model):
    """One year of a price and wage index (pris- og lønindeks, p/l) that pages and exports
    convert amounts between price levels with (`finance.prices`). Any base: only the
    ratios between years count. Series "service" (drift) is needed; "anlaeg" (a
    construction cost index) is used for anlæg lines where it covers both years.
    Loaded with a default series by a data migration (`reference_data`), editable in
    the admin."""

    class Series(models.TextChoices):
        SERVICE = "service", _("service (operating)")
        CAPITAL = "anlaeg", _("construction (capital)")

    series = models.CharField(
        _("series"), max_length=10, choices=Series.choices, default=Series.SERVICE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("index"), max_digits=12, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("price and wage index")
        verbose_name_plural = _("price and wage indexes")
        ordering = ["series", "year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="price_index_series_year"),
            models.CheckConstraint(condition=Q(value__gt=0), name="price_index_positive"),
        ]

    def __str__(self):
        return f"{self.get_series_display()} {self.year}: {index_text(self.value)}"

    # Bounds of an index (docs/APPRAISAL.md, "Bounds"): years a budget can concern, a
    # value above 0, and a change from the nearest year of the series of at most ±50 %
    # a year unless confirmed (the published series rose 0,4-4,3 % a year in 2011-2025).
    FIRST_YEAR, LAST_YEAR = 1900, 2100
    MAX_YEARLY_CHANGE_PCT = Decimal(50)

    def clean(self):
        """Refuses a year outside 1900-2100 and a value of 0 or below (Danish messages,
        by field)."""
        errors = {}
        if self.year is not None and not self.FIRST_YEAR <= self.year <= self.LAST_YEAR:
            errors["year"] = _("The year must be between %(first)d and %(last)d.") % {
                "first": self.FIRST_YEAR,
                "last": self.LAST_YEAR,
            }
        if self.value is not None and self.value <= 0:
            errors["value"] = _("The index must be greater than 0.")
        if errors:
            raise ValidationError(errors)

    def jumps(self) -> list[str]:
        """A message (Danish) for each nearest year before and after in the series from
        which this value changes by more than ±50 % a year (compounded over a gap of
        years): such a value is saved only when confirmed. Two queries."""
        if self.year is None or self.value is None or self.value <= 0:
            return []
        others = PriceIndex.objects.filter(series=self.series).exclude(pk=self.pk)
        before = others.filter(year__lt=self.year).order_by("-year").first()
        after = others.filter(year__gt=self.year).order_by("year").first()
        limit = self.MAX_YEARLY_CHANGE_PCT / 100
        messages = []
        for other in (before, after):
            if other is None:
                continue
            early, late = (other, self) if other.year < self.year else (self, other)
            gap = late.year - early.year
            ratio = late.value / early.value
            if (1 - limit) ** gap <= ratio <= (1 + limit) ** gap:
                continue
            change = (ratio - 1) * 100
            messages.append(
                _(
                    "From %(early)d to %(late)d the index changes by %(change)s %% "
                    "(%(a)s → %(b)s): more than ±%(limit)s %% a year. Check the value, or "
                    "confirm that it is right."
                )
                % {
                    "early": early.year,
                    "late": late.year,
                    "change": f"{change:+.1f}".replace(".", ","),
                    "a": f"{early.value:f}".replace(".", ","),
                    "b": f"{late.value:f}".replace(".", ","),
                    "limit": f"{self.MAX_YEARLY_CHANGE_PCT:f}",
                }
            )
        return messages

    @classmethod
    def series_map(cls) -> dict[str, dict[int, Decimal]]:
        """Every series as ``{series: {year: value}}`` (one query)."""
        out: dict[str, dict] = {}
        for series, year, value in cls.objects.values_list("series", "year", "value"):
            out.setdefault(series, {})[year] = value
        return out

    # The years of the service series, kept in Django's cache for the pages' "Vis i 20XX
    # p/l" chooser (`cached_levels`); dropped when an index row is saved or deleted.
    LEVELS_CACHE_KEY = "committees:price-index-levels"
    LEVELS_SECONDS = 300

    @classmethod
    def levels(cls) -> list[int]:
        """The years of the service (drift) series, ascending (one query)."""
        return sorted(cls.objects.filter(series=cls.Series.SERVICE).values_list("year", flat=True))

    @classmethod
    def cached_levels(cls, found: dict) -> list[int]:
        """`levels` from ``found``, the answer of a ``cache.get_many`` that asked for
        ``LEVELS_CACHE_KEY`` together with the page's other keys (so a page reads them in
        one round trip); read from the table and kept when absent. Only for showing the
        chooser: a conversion reads the index itself (`series_map`). Kept at most
        ``LEVELS_SECONDS`` and dropped when a row is saved or deleted
        (`forget_cached_levels`)."""
        levels = found.get(cls.LEVELS_CACHE_KEY)
        if levels is None:
            levels = cls.levels()
            cache.set(cls.LEVELS_CACHE_KEY, levels, cls.LEVELS_SECONDS)
        return levels


def forget_cached_levels(**kwargs):
    """Receiver of PriceIndex's post_save/post_delete: drops `PriceIndex.cached_levels`
    now and again when the transaction commits (a page that read the old rows meanwhile
    cannot keep them)."""
    cache.delete(PriceIndex.LEVELS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PriceIndex.LEVELS_CACHE_KEY))
