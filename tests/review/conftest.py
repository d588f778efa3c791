"""Fixtures for the review tests: users with mail addresses, and KFU proposals."""

import pytest

from cases.models import Status
from committees.models import Role
from review.summaries import refresh_summary
from tests.factories import ProposalFactory, add_line, committee, make_user

YEARS = {2021: -100, 2022: -200, 2023: -200, 2024: -200, 2025: -200, 2026: -200}


def with_mail(user):
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def finance(finance_user):
    return with_mail(finance_user)


@pytest.fixture
def central(central_user):
    return with_mail(central_user)


@pytest.fixture
def reviewer(reviewer_user):
    return with_mail(reviewer_user)


@pytest.fixture
def other_reviewer(db):
    """Reviewer of the Teknik- og Miljøudvalg."""
    return with_mail(make_user("tmu-udvalg", Role.COMMITTEE_REVIEWER, committee_code="TMU"))


@pytest.fixture
def admin(admin_user):
    return with_mail(admin_user)


@pytest.fixture
def users(finance, other_finance_user, central, reviewer, other_reviewer, admin):
    return {
        "finance": finance,
        "other_finance": other_finance_user,
        "central": central,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "admin": admin,
    }


def kfu_proposal(**kwargs):
    """A KFF/KFU investment proposal: 500 service investment, -200 a year service saving,
    with its stored summary (as the services store it when they write a proposal; the
    lists read it and never compute it). No history version is recorded."""
    proposal = ProposalFactory(**kwargs)
    add_line(proposal, "permanent", "saving", "service", "Besparelse", YEARS)
    add_line(proposal, "implementation", "cost", "service", "Investering", {2021: 500})
    refresh_summary(proposal)
    return proposal


@pytest.fixture
def proposal(db):
    return kfu_proposal()


@pytest.fixture
def tmu_proposal(db):
    from tests.factories import administration

    return kfu_proposal(committee=committee("TMU"), presenting_administration=administration("TMF"))


def set_status(proposal, status: Status):
    proposal.status = status
    proposal.save(update_fields=["status"])
    return proposal


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created in every test: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
