"""The case list (django-tables2): the columns of the annex overview plus status,
administration, pool, catalogue and last change. Every column sorts in the database:
the computed ones on the stored summary (`ProposalSummary`, joined as `figures`)."""

from __future__ import annotations

from decimal import Decimal
from html import escape as escape_text

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tables2.rows import BoundRows

from cases.models import Pool, Proposal, Status
from cases.paging import KeysFirst
from cases.templatetags.bilag import amount_formatter
from finance.rounding import round_half_up

from .selectors import OVERVIEW_FIELDS, list_rows, rows_in_price_level


def mio(value: Decimal | None) -> str:
    """Million kroner with one decimal, as the annex's overview prints them."""
    return "" if value is None else number_format(value, 1, force_grouping=True)


def footer_label(table):
    from django.utils.translation import gettext

    totals = table.totals or {}
    count = totals.get("count") or 0
    label = gettext("Total (%(count)d proposals)") % {"count": count}
    if totals.get("converted"):
        return (
            label
            + " "
            + gettext("in %(year)d p/l (converted by the price and wage index)")
            % {"year": totals["price_level"]}
        )
    if totals.get("unconverted"):
        return (
            label
            + " "
            + gettext("mixed price levels: no index for %(years)s, not converted")
            % {"years": ", ".join(str(y) for y in totals["unconverted"])}
        )
    return label


class MioColumn(tables.Column):
    def __init__(self, *args, total_key: str, **kwargs):
        kwargs.setdefault(
            "attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}
        )
        super().__init__(*args, **kwargs)
        self.total_key = total_key

    def render(self, value):
        return mio(value)

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        return mio((table.totals or {}).get(self.total_key))


class ThousandColumn(MioColumn):
    """Thousand kroner, whole (the present value, as the appraisal block shows it)."""

    def render(self, value):
        return thousand(value)

    def render_footer(self, bound_column, table):
        return thousand((table.totals or {}).get(self.total_key))


def thousand(value: Decimal | None) -> str:
    return "" if value is None else number_format(round_half_up(value, 0), 0, force_grouping=True)


def nulls_last(field: str):
    """A django-tables2 `order_<column>` method: by `field`, empty values last whichever
    the direction, then by catalogue and number (a stable order)."""

    def order(self, queryset, is_descending):
        expression = (
            F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
        )
        return queryset.order_by(expression, "catalog__key", "number"), True

    return order


# Columns always shown (the column chooser offers the others).
FIXED_COLUMNS = ("select", "number", "title")


def row_cells() -> dict:
    """Column name -> a function proposal -> its cell (<td>…</td>, escaped) of the case
    list, in the active language: what `CaseTable`'s columns render, without a
    template. One reverse() and one lookup of the labels a page, not one a cell."""
    marker = 999999999
    before, after = reverse("review:case", args=[marker]).split(str(marker))
    pending = {
        True: escape_text(str(_("Pending: Adopted"))),
        False: escape_text(str(_("Pending: Not adopted"))),
    }
    statuses = {value: escape_text(str(label)) for value, label in Status.choices}
    pools = {value: escape_text(str(label)) for value, label in Pool.choices}
    mio_text = amount_formatter(1)
    thousand_text = amount_formatter(0)

    converted_text = escape_text(str(_("converted from %(year)s p/l")))

    def converted_from(r) -> str:
        """A row shown in the totals' p/l (`rows_in_price_level`) says its own."""
        level = getattr(r, "converted_from", None)
        if level is None:
            return ""
        return f' <small class="converted-from">{converted_text % {"year": level}}</small>'

    def code(related) -> str:
        """A committee's or administration's code; "—" for none."""
        return f"<td>{escape_text(related.code) if related is not None else '—'}</td>"

    def figure(name):
        def cell(r):
            f = getattr(r, "figures", None)
            return f'<td class="num">{"" if f is None else mio_text(getattr(f, name))}</td>'

        return cell

    def years(field: str):
        def cell(r):
            f = getattr(r, "figures", None)
            value = getattr(f, field) if f is not None else ""
            return f'<td class="num">{"—" if value is None else value}</td>'

        return cell

    def npv(r):
        f = getattr(r, "figures", None)
        value = f.npv if f is not None else None
        return f'<td class="num">{"" if value is None else thousand_text(value)}</td>'

    def status(r):
        label = statuses.get(r.status) or escape_text(r.status)
        cell = f'<span class="status status-{escape_text(r.status)}">{label}</span>'
        decision = getattr(r, "pending_decision", None)
        if decision is not None:
            cell += f' <span class="pending">{pending[decision.adopted]}</span>'
        return f"<td>{cell}</td>"

    def changed(r):
        return f"<td>{date_format(timezone.localtime(r.updated_at), 'SHORT_DATE_FORMAT')}</td>"

    return {
        "select": lambda r: f'<td><input type="checkbox" name="select" value="{r.pk:d}"></td>',
        "committee": lambda r: code(r.committee),
        "number": lambda r: (
            f'<td><a href="{before}{r.pk:d}{after}">{escape_text(r.number)}</a></td>'
        ),
        "title": lambda r: (
            f'<td class="title">{escape_text(r.title)}{" *" if r.cross_cutting else ""}'
            f"{converted_from(r)}</td>"
        ),
        **{name: figure(name) for name in OVERVIEW_FIELDS},
        "payback": years("payback_years"),
        "npv": npv,
        "discounted_payback": years("discounted_payback_years"),
        "status": status,
        "administration": lambda r: code(r.presenting_administration),
        "pool": lambda r: f"<td>{pools.get(r.catalog.pool) or escape_text(r.catalog.pool)}</td>",
        "catalog": lambda r: f"<td>{escape_text(r.catalog.annex or r.catalog.key)}</td>",
        "updated_at": changed,
    }


class CaseTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk", attrs={"th__input": {"aria-label": _("Select all")}}, orderable=False
    )
    committee = tables.Column(
        verbose_name=_("Committee"), accessor="committee__code", order_by=("committee__order",)
    )
    number = tables.Column(verbose_name=_("No."), order_by=("number",))
    title = tables.Column(
        verbose_name=_("Proposal"),
        footer=footer_label,
        attrs={"td": {"class": "title"}, "th": {"class": "title"}},
    )
    investment_service = MioColumn(
        verbose_name=_("Investment, service"),
        accessor="figures__investment_service",
        total_key="investment_service",
    )
    investment_capital = MioColumn(
        verbose_name=_("Investment, capital"),
        accessor="figures__investment_capital",
        total_key="investment_capital",
    )
    full_effect_service = MioColumn(
        verbose_name=_("Efficiency at full phase-in, service"),
        accessor="figures__full_effect_service",
        total_key="full_effect_service",
    )
    full_effect_transfers = MioColumn(
        verbose_name=_("Efficiency at full phase-in, transfers etc."),
        accessor="figures__full_effect_transfers",
        total_key="full_effect_transfers",
    )
    payback = tables.Column(
        verbose_name=_("Payback (years)"),
        accessor="figures__payback_years",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    npv = ThousandColumn(
        verbose_name=_("Present value (1,000 kr.)"), accessor="figures__npv", total_key="npv"
    )
    discounted_payback = tables.Column(
        verbose_name=_("Discounted payback, total economy (years)"),
        accessor="figures__discounted_payback_years",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    status = tables.Column(verbose_name=_("Status"))
    administration = tables.Column(
        verbose_name=pgettext_lazy("organisation", "Administration"),
        accessor="presenting_administration__code",
        order_by=("presenting_administration__order",),
    )
    pool = tables.Column(verbose_name=_("Pool"), accessor="catalog__pool")
    catalog = tables.Column(verbose_name=_("Catalogue"), accessor="catalog__key")
    updated_at = tables.DateTimeColumn(verbose_name=_("Last changed"), format="SHORT_DATE_FORMAT")

    class Meta:
        model = Proposal
        fields = ()
        sequence = (
            "select",
            "committee",
            "number",
            "title",
            "investment_service",
            "investment_capital",
            "full_effect_service",
            "full_effect_transfers",
            "payback",
            "npv",
            "discounted_payback",
            "status",
            "administration",
            "pool",
            "catalog",
            "updated_at",
        )
        # the rows are written by `CaseTable.body` (see _case_table.html)
        template_name = "review/_case_table.html"
        attrs = {"class": "table case-list", "id": "case-list"}
        order_by = ("catalog", "number")
        empty_text = _("No proposals match the filter.")

    def __init__(self, *args, totals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.totals = totals
        # the columns `body` writes (the column chooser hides the others)
        self.shown = set(self.sequence) - set(kwargs.get("exclude") or ())
        self.selectable = "select" in self.shown

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        """The page's rows are chosen before anything is joined: their keys by the
        filtered, ordered list alone, then those rows with what they show (`list_rows`)
        (django-tables2 would slice the list with every join on every row)."""
        rows = KeysFirst(
            self.data.data, lambda keys: list_rows(Proposal.objects.filter(pk__in=keys))
        )
        self.paginator = paginator_class(
            BoundRows(data=rows, table=self), per_page or self._meta.per_page, *args, **kwargs
        )
        self.page = self.paginator.page(page)
        return self

    def body(self) -> SafeString:
        """The rows of the current page as HTML, written in one pass from each proposal
        and its stored summary: the cells CaseTable's columns render (`render_*`), but
        without a template node or a column renderer per cell (that was three quarters of
        a list request). Rows without a summary show empty figures."""
        records = rows_in_price_level(
            [row.record for row in self.paginated_rows], self.totals or {}
        )
        if not records:
            columns = len(self.columns)
            return format_html('<tr><td colspan="{}">{}</td></tr>', columns, self.empty_text)
        cells = row_cells()
        shown = [cells[name] for name in self.sequence if name in self.shown]
        rows = (
            f'<tr class="{"odd" if index % 2 else "even"}">{"".join(c(r) for c in shown)}</tr>'
            for index, r in enumerate(records)
        )
        return mark_safe("\n".join(rows))  # every value in a cell is escaped

    # A column that can be empty ("no payback", no committee, no summary yet) sorts its
    # empty rows last in both directions, on SQLite and PostgreSQL alike (SQLite puts
    # NULL first ascending, PostgreSQL last). Issue 11, finding 23.
    order_committee = nulls_last("committee__order")
    order_administration = nulls_last("presenting_administration__order")
    order_payback = nulls_last("figures__payback_years")
    order_investment_service = nulls_last("figures__investment_service")
    order_investment_capital = nulls_last("figures__investment_capital")
    order_full_effect_service = nulls_last("figures__full_effect_service")
    order_full_effect_transfers = nulls_last("figures__full_effect_transfers")
    order_npv = nulls_last("figures__npv")
    order_discounted_payback = nulls_last("figures__discounted_payback_years")

    def render_number(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("review:case", args=[record.pk]), record.number
        )

    def render_title(self, value, record):
        marker = " *" if record.cross_cutting else ""
        return f"{value}{marker}"

    def render_status(self, record):
        status = format_html(
            '<span class="status status-{}">{}</span>', record.status, record.get_status_display()
        )
        pending = getattr(record, "pending_decision", None)
        if pending is None:
            return status
        label = _("Pending: Adopted") if pending.adopted else _("Pending: Not adopted")
        return format_html('{} <span class="pending">{}</span>', status, label)

    def render_pool(self, record):
        return record.catalog.get_pool_display()

    def render_catalog(self, record):
        return record.catalog.annex or record.catalog.key

    def value_status(self, record):
        return record.status

    def value_title(self, value):
        return value

    def value_number(self, value):
        return value

    def value_pool(self, value):
        return value

    def value_catalog(self, value):
        return value
