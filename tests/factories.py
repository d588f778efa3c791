"""factory_boy factories for the models. Reference data (committees, administrations)
comes from the data migration, so factories look it up instead of creating it."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from cases.models import Catalog, Line, LineAmount, Proposal
from committees.models import Administration, Committee, Profile, Role


def committee(code: str) -> Committee:
    return Committee.objects.get(code=code)


def administration(code: str) -> Administration:
    return Administration.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")


def make_user(
    username: str, role: str, *, administration_code=None, committee_code=None, superuser=False
):
    user = UserFactory(username=username, is_superuser=superuser, is_staff=superuser)
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "role": role,
            "administration": administration(administration_code) if administration_code else None,
            "committee": committee(committee_code) if committee_code else None,
        },
    )
    return user


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"katalog-{n}")
    title = "Forslag til investeringspuljen"
    annex = "Bilag 2"
    pool = "investment"
    budget_year = 2021


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    catalog = factory.SubFactory(CatalogFactory)
    number = factory.Sequence(lambda n: f"BC{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Forslag {n + 1}")
    summary = "Et forslag."
    committee = factory.LazyFunction(lambda: committee("KFU"))
    presenting_administration = factory.LazyFunction(lambda: administration("KFF"))
    price_level_year = 2021
    first_year = 2021
    last_year = 2026


def add_line(proposal, section, kind, area, label, amounts, order=None):
    """A line with {year: amount} (numbers or strings), in thousand kroner."""
    line = Line.objects.create(
        proposal=proposal,
        section=section,
        kind=kind,
        area=area or "",
        label=label,
        order=proposal.lines.count() if order is None else order,
    )
    LineAmount.objects.bulk_create(
        [LineAmount(line=line, year=year, amount=Decimal(str(v))) for year, v in amounts.items()]
    )
    return line


def bc01(catalog=None) -> Proposal:
    """Investment BC01 "Belysningspakke 2d" as printed: -517/-1.034 service saving,
    5.580 capital investment in 2021, payback 6 on both bases."""
    kwargs = {"catalog": catalog} if catalog else {}
    proposal = ProposalFactory(
        number="BC01",
        title="Belysningspakke 2d",
        committee=committee("ØU"),
        presenting_administration=administration("ØKF"),
        **kwargs,
    )
    add_line(
        proposal,
        "permanent",
        "saving",
        "service",
        "Energibesparelse",
        {2021: -517, 2022: -1034, 2023: -1034, 2024: -1034, 2025: -1034, 2026: -1034},
    )
    add_line(proposal, "implementation", "cost", "capital", "Anlægsinvestering", {2021: 5580})
    return proposal


ROLES = Role


# Investment 2021 BC11: "Sociale ydelser (BIF)" -2.512 broken down in three rows.
BIF_SPECIFICATIONS = [
    {"label": "Kontanthjælp", "amounts": {"2021": "-1528", "2022": "-1528"}},
    {"label": "Førtidspension", "amounts": {"2021": "-693", "2022": "-693"}},
    {"label": "Øvrige LAS-ydelser", "amounts": {"2021": "-291", "2022": "-291"}},
]


def add_specified_line(proposal) -> Line:
    """The permanent line "Sociale ydelser (BIF)" -2.512 (2021, 2022) with its three
    specification rows (`BIF_SPECIFICATIONS`)."""
    line = add_line(proposal, "permanent", "saving", "transfers", "Sociale ydelser (BIF)",
                    {2021: -2512, 2022: -2512})  # fmt: skip
    line.specifications = BIF_SPECIFICATIONS
    line.save()
    return line
