"""The appraisal block (nutidsværdi, følsomhed, skifteværdier) as the proposal page, the
PDF and the Excel export show it: one arrangement of `finance.appraisal`'s figures, so
every medium shows the same numbers.

The settings are the catalogue's (discount rate, horizon, sensitivity); nothing here
computes a figure, it only labels and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finance import appraisal as fa
from finance.engine import Figures
from finance.formatting import format_amount

__all__ = [
    "AppraisalSettings",
    "SummaryRow",
    "appraisal_for",
    "appraisal_settings",
    "base_for",
    "block_context",
    "scenario_label",
    "summary_rows",
    "switching_rows",
]


@dataclass(frozen=True)
class AppraisalSettings:
    """A catalogue's appraisal settings (defaults: Finansministeriet's rate, 10 years,
    savings 25 % lower, 1 year later, implementation 25 % higher)."""

    rate_pct: Decimal | None = None  # None: Finansministeriet's schedule
    horizon: int = fa.DEFAULT_HORIZON
    savings_cut_pct: Decimal = fa.DEFAULT_SAVINGS_CUT_PCT
    delay_years: int = fa.DEFAULT_DELAY_YEARS
    cost_rise_pct: Decimal = fa.DEFAULT_COST_RISE_PCT

    @property
    def schedule(self) -> fa.RateSchedule:
        return fa.schedule_for(self.rate_pct)

    @property
    def rate_label(self) -> str:
        if self.rate_pct is None:
            return _("the Ministry of Finance's socio-economic rate (3.5 %, from year 36 2.5 %)")
        return _("%(rate)s %% a year") % {"rate": _pct(self.rate_pct)}


def _pct(value: Decimal) -> str:
    return format_amount(value)


def appraisal_settings(catalog) -> AppraisalSettings:
    """The catalogue's settings (``cases.models.Catalog``)."""
    return AppraisalSettings(
        rate_pct=catalog.discount_rate_pct,
        horizon=catalog.appraisal_horizon,
        savings_cut_pct=catalog.sensitivity_savings_cut_pct,
        delay_years=catalog.sensitivity_delay_years,
        cost_rise_pct=catalog.sensitivity_cost_rise_pct,
    )


def appraisal_for(figures: Figures, settings: AppraisalSettings) -> fa.Appraisal | None:
    """The appraisal of a proposal's figures, or ``None`` when it has no years."""
    if not figures.years:
        return None
    return fa.appraise(
        figures,
        settings.schedule,
        settings.horizon,
        settings.savings_cut_pct,
        settings.delay_years,
        settings.cost_rise_pct,
    )


def base_for(figures: Figures, settings: AppraisalSettings) -> fa.Scenario | None:
    """Present value, payback and discounted payback of the proposal as entered at the
    catalogue's settings (`finance.appraisal.base_scenario`: the first row of the
    block), or ``None`` when it has no years. For lists and stored summaries."""
    if not figures.years:
        return None
    return fa.base_scenario(figures, settings.schedule, settings.horizon)


def scenario_label(appraisal: fa.Appraisal, key: str) -> str:
    """The label of a sensitivity scenario, with its setting (Danish: "Besparelser 25 %
    lavere")."""
    if key == "savings_lower":
        return _("Savings %(pct)s %% lower") % {"pct": _pct(appraisal.savings_cut_pct)}
    if key == "savings_later":
        years = appraisal.delay_years
        return ngettext("Savings %(years)d year later", "Savings %(years)d years later", years) % {
            "years": years
        }
    if key == "costs_higher":
        return _("Implementation %(pct)s %% higher") % {"pct": _pct(appraisal.cost_rise_pct)}
    return _("As entered")


@dataclass(frozen=True)
class SummaryRow:
    """One row of the sensitivity table: payback, discounted payback (years, None =
    never) and present value (1.000 kr.)."""

    key: str
    label: str
    payback_years: int | None
    discounted_payback_years: int | None
    npv: Decimal


def summary_rows(appraisal: fa.Appraisal) -> list[SummaryRow]:
    """The proposal as entered, then each scenario, in a fixed order."""
    return [
        SummaryRow(
            s.key,
            scenario_label(appraisal, s.key),
            s.payback_years,
            s.discounted_payback_years,
            s.npv,
        )
        for s in appraisal.scenarios
    ]


def switching_rows(appraisal: fa.Appraisal) -> list[tuple[str, Decimal | None]]:
    """The four switching values (percent, one decimal; None = none)."""
    horizon = {"years": appraisal.horizon}
    return [
        (_("Savings may fall by (present value turns negative)"),
         appraisal.switch_savings_npv_pct),
        (_("Implementation may rise by (present value turns negative)"),
         appraisal.switch_costs_npv_pct),
        (_("Savings may fall by (not paid back within %(years)d years)") % horizon,
         appraisal.switch_savings_payback_pct),
        (_("Implementation may rise by (not paid back within %(years)d years)") % horizon,
         appraisal.switch_costs_payback_pct),
    ]  # fmt: skip


def block_context(catalog, figures: Figures) -> dict:
    """The template context of the appraisal block (page and print alike): the
    appraisal at the catalogue's settings, its rows and switching values;
    ``{"appraisal": None}`` when there is nothing to appraise."""
    settings = appraisal_settings(catalog)
    appraisal = appraisal_for(figures, settings)
    if appraisal is None:
        return {"appraisal": None}
    return {
        "appraisal": appraisal,
        "appraisal_settings": settings,
        "appraisal_rows": summary_rows(appraisal),
        "switching_rows": switching_rows(appraisal),
    }
