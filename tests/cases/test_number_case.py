"""Breaker: proposal numbers that differ only in case ("BC01" and "bc01") were two
proposals of one catalogue: the editor saved "bc01" beside "BC01", and a JSON import
with "bc01" created a second proposal instead of updating or refusing. Printed, read
aloud and typed in an address they cannot be told apart: one number (number_key)."""

import pytest

from cases.interchange import InterchangeError
from cases.models import Proposal
from cases.services import import_document
from tests.cases.test_import_errors import good_document

pytestmark = pytest.mark.django_db


def test_an_import_of_a_number_in_other_case_is_refused_and_changes_nothing():
    import_document(good_document())
    doc = good_document()
    doc["proposals"][1]["number"] = "bc02"
    doc["proposals"][1]["title"] = "Ændret"
    with pytest.raises(InterchangeError) as refused:
        import_document(doc)
    assert str(refused.value.path) == "proposals[1].number"
    assert "kataloget har allerede forslag nummer BC02" in refused.value.message
    assert sorted(Proposal.objects.values_list("number", flat=True)) == ["BC01", "BC02", "BC03"]
    assert Proposal.objects.get(number="BC02").title == "To"
