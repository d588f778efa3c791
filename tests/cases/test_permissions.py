"""Object-level permissions: every role × every view × own/other proposal. A proposal a
user may not read is not found (404); one they may read but not change is 403."""

import pytest
from django.urls import reverse

from cases.models import Proposal
from cases.permissions import can_edit, can_view, visible_proposals
from committees.models import Role
from tests.factories import ProposalFactory, administration, committee, make_user

from .formdata import as_post, form_data

ROLES = ["finance_kff", "finance_tmf", "central", "reviewer_kfu", "admin", "no_profile"]

# For the KFF proposal of committee KFU ("kff") and the TMF proposal of TMU ("tmf"):
# (detail, edit GET, edit POST, preview, copy)
EXPECTED = {
    ("finance_kff", "kff"): (200, 200, 302, 200, 200),
    ("finance_kff", "tmf"): (404, 404, 404, 404, 404),
    ("finance_tmf", "kff"): (404, 404, 404, 404, 404),
    ("finance_tmf", "tmf"): (200, 200, 302, 200, 200),
    ("central", "kff"): (200, 200, 302, 200, 200),
    ("central", "tmf"): (200, 200, 302, 200, 200),
    ("reviewer_kfu", "kff"): (200, 403, 403, 403, 403),
    ("reviewer_kfu", "tmf"): (404, 404, 404, 404, 403),
    ("admin", "kff"): (200, 200, 302, 200, 200),
    ("admin", "tmf"): (200, 200, 302, 200, 200),
    ("no_profile", "kff"): (404, 404, 404, 404, 403),
    ("no_profile", "tmf"): (404, 404, 404, 404, 403),
}


@pytest.fixture
def users(db):
    from tests.factories import UserFactory

    plain = UserFactory(username="ingen")
    plain.save()
    return {
        "finance_kff": make_user("finans", Role.FINANCE_STAFF, administration_code="KFF"),
        "finance_tmf": make_user("tmf", Role.FINANCE_STAFF, administration_code="TMF"),
        "central": make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF"),
        "reviewer_kfu": make_user("udvalg", Role.COMMITTEE_REVIEWER, committee_code="KFU"),
        "admin": make_user("admin", Role.ADMIN, superuser=True),
        "no_profile": plain,
    }


@pytest.fixture
def proposals(db):
    kff = ProposalFactory(number="BC11", title="KFF's forslag")
    tmf = ProposalFactory(
        catalog=kff.catalog,
        number="BC30",
        title="TMF's forslag",
        committee=committee("TMU"),
        presenting_administration=administration("TMF"),
    )
    return {"kff": kff, "tmf": tmf}


def _urls(proposal):
    args = [proposal.catalog.key, proposal.number]
    return {
        "detail": reverse("cases:proposal_detail", args=args),
        "edit": reverse("cases:proposal_edit", args=args),
        "preview": reverse("cases:proposal_preview", args=args),
        "copy": reverse("cases:proposal_new") + f"?kopi={proposal.pk}",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["kff", "tmf"])
def test_permission_matrix(client, users, proposals, central_user_page, role, which):
    proposal = proposals[which]
    urls = _urls(proposal)
    detail, edit_get, edit_post, preview, copy = EXPECTED[(role, which)]
    # a valid, complete form for the proposal, as someone allowed to edit sees it
    data = central_user_page(urls["edit"])
    client.force_login(users[role])

    response = client.get(urls["detail"])
    assert response.status_code == detail
    if detail != 200:
        assert proposal.title.encode() not in response.content

    response = client.get(urls["edit"])
    assert response.status_code == edit_get
    if edit_get != 200:
        assert proposal.title.encode() not in response.content

    version = Proposal.objects.get(pk=proposal.pk).version
    response = client.post(urls["edit"], as_post(data, action="save", title="Overtaget"))
    assert response.status_code == edit_post
    saved = Proposal.objects.get(pk=proposal.pk)
    if edit_post == 302:
        assert saved.title == "Overtaget" and saved.version == version + 1
    else:
        assert saved.title == proposal.title and saved.version == version

    response = client.post(urls["preview"], as_post(data))
    assert response.status_code == preview

    response = client.get(urls["copy"])
    assert response.status_code == copy
    if copy != 200:
        assert proposal.title.encode() not in response.content


@pytest.fixture
def central_user_page(client, db):
    def read(url):
        client.force_login(make_user("reader", Role.CENTRAL_FINANCE, administration_code="ØKF"))
        data = form_data(client.get(url).content)
        client.logout()
        return data

    return read


@pytest.mark.parametrize(
    ("role", "count"),
    [
        ("finance_kff", 1),
        ("finance_tmf", 1),
        ("central", 2),
        ("reviewer_kfu", 1),
        ("admin", 2),
        ("no_profile", 0),
    ],
)
def test_catalogue_lists_only_visible_proposals(client, users, proposals, role, count):
    client.force_login(users[role])
    catalog = proposals["kff"].catalog
    response = client.get(reverse("cases:catalog_detail", args=[catalog.key]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    shown = {row["proposal"].number for row in response.context["rows"]}
    assert shown == {p.number for p in visible_proposals(users[role], Proposal.objects.all())}


def test_new_proposal_needs_a_creating_role(client, users):
    for role, status in [
        ("finance_kff", 200),
        ("central", 200),
        ("admin", 200),
        ("reviewer_kfu", 403),
        ("no_profile", 403),
    ]:
        client.force_login(users[role])
        assert client.get(reverse("cases:proposal_new")).status_code == status, role
        assert client.post(reverse("cases:proposal_new_preview")).status_code in (
            (200,) if status == 200 else (403,)
        ), role


def test_reviewer_sees_proposals_of_units_under_their_committee(users, db):
    ou_reviewer = make_user("oeu", Role.COMMITTEE_REVIEWER, committee_code="ØU")
    proposal = ProposalFactory(committee=committee("ØU"))
    assert can_view(ou_reviewer, proposal)
    assert not can_edit(ou_reviewer, proposal)
    assert not can_view(users["reviewer_kfu"], proposal)


def test_finance_staff_cannot_move_a_proposal_to_another_administration(
    client, users, proposals, central_user_page
):
    proposal = proposals["kff"]
    urls = _urls(proposal)
    data = central_user_page(urls["edit"])
    client.force_login(users["finance_kff"])
    tmf = administration("TMF")
    response = client.post(
        urls["edit"], as_post(data, action="save", presenting_administration=str(tmf.pk))
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert "presenting_administration" in response.context["editor"].header.errors
    assert Proposal.objects.get(pk=proposal.pk).presenting_administration.code == "KFF"


def test_new_proposal_link_only_for_those_who_may_create(client, users, proposals):
    catalog = proposals["kff"].catalog
    link = reverse("cases:proposal_new") + f"?katalog={catalog.key}"
    for role, shown in [("finance_kff", True), ("central", True), ("reviewer_kfu", False)]:
        client.force_login(users[role])
        html = client.get(reverse("cases:catalog_detail", args=[catalog.key])).content.decode()
        assert (f'href="{link}"' in html) is shown, role
