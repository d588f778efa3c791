"""The three real catalogues import unchanged, and the export's computed block reproduces
every printed total and payback, except the printed anomalies, which must be reported."""

import json
from decimal import Decimal

import pytest

from cases.exporting import dumps, export_catalog
from cases.interchange import decode
from cases.models import Catalog, LineAmount, Proposal
from cases.services import import_json

from ..conftest import REFERENCE_FILES

# Every printed figure that differs from the computation, one by one:
# (catalogue, proposal, field, year or None, printed, computed). Each is a fact about the
# printed document (see the reference files' "anomalies"), not a special case of the rule.
ANOMALIES = {
    ("citizen-2018", "1", "net_total", "2016", 2013, 2012),
    ("citizen-2018", "1", "net_total", "2017", 1138, 1137),
    ("citizen-2018", "1", "net_total", "2018", 463, 462),
    ("citizen-2018", "3", "payback_years", None, 6, 5),
    ("citizen-2018", "4", "payback_years", None, 5, 4),
    ("innovation-2020", "BC07", "implementation_total", "2020", 1411, 1412),
    ("innovation-2020", "BC07", "net_total", "2020", 1411, 1412),
    ("investment-2021", "BC11", "permanent_total", "2021", -3529, -3530),
    ("investment-2021", "BC11", "permanent_total", "2022", -3529, -3530),
    ("investment-2021", "BC11", "permanent_total", "2023", -3529, -3530),
    ("investment-2021", "BC11", "permanent_total", "2024", -3529, -3530),
    ("investment-2021", "BC11", "permanent_total", "2025", -3529, -3530),
    ("investment-2021", "BC11", "net_total", "2021", -2379, -2380),
    ("investment-2021", "BC11", "net_total", "2022", -3529, -3530),
    ("investment-2021", "BC11", "net_total", "2023", -3529, -3530),
    ("investment-2021", "BC11", "net_total", "2024", -3529, -3530),
    ("investment-2021", "BC11", "net_total", "2025", -3529, -3530),
}

PAYBACK_FIELDS = {
    # printed field -> computed field (the old efficiency catalogues print one "Break Even",
    # which is the total variant)
    "payback_years": "payback_years_total",
    "payback_years_service": "payback_years_service",
    "payback_years_total": "payback_years_total",
}


def _originals():
    for path in REFERENCE_FILES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        yield doc["catalog"]["key"], doc


def _differences(key, original, exported):
    """Compare printed figures of the ORIGINAL file with the exported computed block."""
    by_number = {p["number"]: p for p in exported["proposals"]}
    found = set()
    for printed in original["proposals"]:
        computed = by_number[printed["number"]]["computed"]
        stated = printed.get("stated") or {}
        for field in ("permanent_total", "implementation_total", "net_total"):
            for year, value in (stated.get(field) or {}).items():
                actual = computed[field].get(year)
                if Decimal(str(value)) != Decimal(str(actual or 0)):
                    found.add((key, printed["number"], field, year, value, actual))
        for field, computed_field in PAYBACK_FIELDS.items():
            value = stated.get(field)
            if value is not None and value != computed[computed_field]:
                found.add((key, printed["number"], field, None, value, computed[computed_field]))
    return found


@pytest.fixture
def exported(reference_catalogs):
    return {c.key: json.loads(dumps(export_catalog(c))) for c in reference_catalogs}


def test_reference_catalogues_import_completely(reference_catalogs):
    for key, original in _originals():
        catalog = Catalog.objects.get(key=key)
        assert catalog.proposals.count() == len(original["proposals"])
        cells = sum(
            len(line["amounts"])
            for p in original["proposals"]
            for line in p["lines"] + p["admin_lines"]
        )
        assert LineAmount.objects.filter(line__proposal__catalog=catalog).count() == cells


def test_every_printed_total_and_payback_equals_the_computation_except_anomalies(exported):
    found = set()
    for key, original in _originals():
        found |= _differences(key, original, exported[key])
    assert found == ANOMALIES


def test_each_anomaly_is_reported_as_a_check(exported):
    for key, number, field, year, printed, computed in ANOMALIES:
        proposal = next(p for p in exported[key]["proposals"] if p["number"] == number)
        expected = {"code": "stated_mismatch", "field": field, "stated": printed,
                    "computed": computed}
        if year is not None:
            expected["year"] = year
        assert expected in proposal["computed"]["checks"], (key, number, field, year)


def test_no_other_stated_mismatch_is_reported(exported):
    reported = set()
    for key, doc in exported.items():
        for p in doc["proposals"]:
            for check in p["computed"]["checks"]:
                if check["code"] == "stated_mismatch":
                    reported.add((key, p["number"], check["field"], check.get("year"),
                                  check.get("stated"), check.get("computed")))
    assert reported == ANOMALIES


def test_printed_detail_tables_are_checked_as_printed(exported):
    """The detail tables the sources print ("Tabel 1. Serviceinvesteringer i forslaget",
    …) against their own total and the lines: only what the anomalies describe."""
    found = set()
    for key, doc in exported.items():
        for p in doc["proposals"]:
            for check in p["computed"]["checks"]:
                if check["code"].startswith("printed_detail"):
                    found.add((key, p["number"], check["code"], check["year"],
                               check.get("stated"), check.get("computed")))
    assert found == {
        # BC07: 1.157 + 255 = 1.412, printed 1.411 (also in table 1.1)
        ("innovation-2020", "BC07", "printed_detail_mismatch", "2020", 1411, 1412),
        # BC11: 300 + 150 + 200 = 650, printed 550; its KEID row is not table 1.1's
        ("innovation-2020", "BC11", "printed_detail_mismatch", "2020", 550, 650),
        ("innovation-2020", "BC11", "printed_detail_row_unmatched", "2020", 150, None),
        ("innovation-2020", "BC11", "printed_detail_row_unmatched", "2021", 150, None),
        ("innovation-2020", "BC11", "printed_detail_row_unmatched", "2022", 75, None),
    }


def test_overview_rows_are_checked_against_the_computation(reference_catalogs):
    from cases.selectors import all_checks, figures_for, proposals_with_inputs

    found = set()
    for proposal in proposals_with_inputs(Proposal.objects.all()):
        for check in all_checks(proposal, figures_for(proposal)):
            if check.code == "overview_mismatch":
                found.add((proposal.catalog.key, proposal.number, check.field,
                           str(check.stated), str(check.computed)))
    # The innovation overview prints 4,1 and 0,7 mio. kr.; the proposals sum to
    # 4.235 and 750 t.kr. (4,2 and 0,8 rounded half up). The investment overview agrees.
    assert found == {
        ("innovation-2020", "BC07", "innovation_pool", "4.1", "4.2"),
        ("innovation-2020", "BC09", "innovation_pool", "0.7", "0.8"),
    }


def test_computed_figures_of_bc01(exported):
    bc01 = next(p for p in exported["investment-2021"]["proposals"] if p["number"] == "BC01")
    computed = bc01["computed"]
    assert computed["permanent_total"] == {
        "2021": -517, "2022": -1034, "2023": -1034, "2024": -1034, "2025": -1034, "2026": -1034,
    }
    assert computed["implementation_total"] == {
        "2021": 5580, "2022": None, "2023": None, "2024": None, "2025": None, "2026": None,
    }
    assert computed["net_total"]["2021"] == 5063
    assert computed["cumulative_net"] == {
        "2021": 5063, "2022": 4029, "2023": 2995, "2024": 1961, "2025": 927, "2026": -107,
    }
    assert computed["payback_years_service"] == computed["payback_years_total"] == 6
    assert computed["full_effect"] == {"service": -1034, "transfers": 0, "total": -1034}
    assert computed["investment"] == {"service": 0, "capital": 5580, "total": 5580}
    assert computed["checks"] == []


def test_export_import_export_is_identical(reference_catalogs, tmp_path):
    for catalog in reference_catalogs:
        first = dumps(export_catalog(catalog))
        import_json(first)
        second = dumps(export_catalog(Catalog.objects.get(key=catalog.key)))
        assert second == first


def test_reimport_updates_in_place(reference_catalogs):
    counts = (Catalog.objects.count(), Proposal.objects.count(), LineAmount.objects.count())
    versions = dict(Proposal.objects.values_list("pk", "version"))
    for path in REFERENCE_FILES:
        result = import_json(path.read_bytes())
        assert result.created == []
    assert (Catalog.objects.count(), Proposal.objects.count(),
            LineAmount.objects.count()) == counts
    for pk, version in Proposal.objects.values_list("pk", "version"):
        assert version == versions[pk] + 1


def test_export_keeps_input_fields(exported):
    """Every input field of the original file survives import -> export."""
    for key, original in _originals():
        by_number = {p["number"]: p for p in exported[key]["proposals"]}
        for printed in original["proposals"]:
            out = by_number[printed["number"]]
            for field in ("title", "summary", "committee", "cross_cutting",
                          "presenting_administration", "funding_source",
                          "applies_for_pool_funding", "price_level_year", "years",
                          "followup", "other_tables", "anomalies", "priority_criteria"):
                assert decode(json.dumps(out[field])) == decode(json.dumps(printed[field])), (
                    key, printed["number"], field)
            assert sorted(out["affected_administrations"]) == sorted(
                printed["affected_administrations"])
            # + the specifications the importer read off the printed detail tables
            assert [
                {k: v for k, v in ln.items() if k != "specifications"} for ln in out["lines"]
            ] == printed["lines"]
            assert out["hearing"] == printed["hearing"]
            assert out["risk"] == printed["risk"]
            assert out["stated"] == printed["stated"]
            assert out.get("printed_headings", []) == printed.get("printed_headings", [])
