"""Read-only pages: catalogues, their proposals, one proposal with its tables and checks.
Views stay thin: they fetch with the selectors, let the engine compute, and render."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from committees.models import Administration
from finance import engine

from . import presentation
from .models import Catalog, Proposal
from .selectors import all_checks, figures_for, printed_overview, proposals_with_inputs


def catalog_list(request):
    catalogs = Catalog.objects.annotate(proposal_count=Count("proposals")).order_by(
        "-budget_year", "key"
    )
    return render(request, "cases/catalog_list.html", {"catalogs": catalogs})


def catalog_detail(request, key):
    catalog = get_object_or_404(Catalog, key=key)
    proposals = proposals_with_inputs(catalog.proposals.all()).order_by("number")
    overview = printed_overview(catalog)
    rows = []
    for proposal in proposals:
        figures = figures_for(proposal)
        checks = all_checks(proposal, figures, overview)
        rows.append(
            {
                "proposal": proposal,
                "figures": figures,
                "overview": engine.overview_row(figures),
                "check_count": len(checks),
            }
        )
    return render(
        request,
        "cases/catalog_detail.html",
        {"catalog": catalog, "rows": rows},
    )


def proposal_detail(request, key, number):
    proposal = get_object_or_404(
        proposals_with_inputs(Proposal.objects.filter(catalog__key=key)), number=number
    )
    figures = figures_for(proposal)
    checks = all_checks(proposal, figures)
    affected = {a.code for a in proposal.affected_administrations.all()}
    administrations = [(a, a.code in affected) for a in Administration.objects.order_by("order")]
    return render(
        request,
        "cases/proposal_detail.html",
        {
            "proposal": proposal,
            "figures": figures,
            "checks": checks,
            "economy": presentation.economy_table(proposal, figures),
            "detail_tables": presentation.detail_tables(proposal, figures),
            "admin": presentation.admin_table(proposal, figures),
            "sections": presentation.sections(proposal),
            "distributions": presentation.distribution_tables(figures),
            "administrations": administrations,
            "unit": presentation.unit_label(proposal),
        },
    )
