"""Importing bytes reads the document as a stream (one proposal at a time) and gives
exactly what the whole-document reader gives: the same data, the same messages, the
same rollback."""

import json
from pathlib import Path

import pytest

from cases.exporting import dumps, export_catalog
from cases.interchange import (
    InterchangeError,
    NotStreamable,
    decode,
    parse_document,
    stream_document,
)
from cases.services import import_json

from .test_import_errors import (  # noqa: F401  (the fixture `existing`)
    database_state,
    existing,
    good_document,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "catalogs"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_the_stream_reads_what_the_whole_document_reader_reads(path):
    raw = path.read_bytes()
    catalog, proposals = stream_document(raw)
    catalog.proposals = list(proposals)
    assert catalog == parse_document(decode(raw))


def test_a_byte_order_mark_and_repeated_members_read_as_before():
    doc = good_document()
    text = json.dumps(doc)
    # a repeated member: the last one counts in both readers
    text = text.replace('"format": "budget-cases/1"', '"format": "x", "format": "budget-cases/1"')
    raw = b"\xef\xbb\xbf" + text.encode()
    catalog, proposals = stream_document(raw)
    catalog.proposals = list(proposals)
    assert catalog == parse_document(decode(raw))
    assert [p.number for p in catalog.proposals] == ["BC01", "BC02", "BC03"]


def test_proposals_are_read_one_at_a_time():
    """The first proposals come out before the reader has looked at the third (here:
    one that breaks the format)."""
    doc = good_document()
    doc["proposals"][2]["years"] = "2021"
    _catalog, proposals = stream_document(json.dumps(doc).encode())
    assert next(proposals).number == "BC01"
    assert next(proposals).number == "BC02"
    with pytest.raises(InterchangeError) as excinfo:
        next(proposals)
    assert excinfo.value.path == "proposals[2].years"


def test_a_document_that_is_not_json_is_refused_by_the_stream():
    raw = json.dumps(good_document()).encode()
    with pytest.raises(NotStreamable):
        stream_document(raw[: raw.index(b'"Tre"')])


def test_a_cut_off_document_changes_nothing_and_names_line_and_column(existing):  # noqa: F811
    """The stream has written two proposals when it meets the end of the file: the
    transaction is rolled back and the whole-document reader names the fault."""
    doc = good_document()
    doc["proposals"][0]["title"] = "Ændret"
    raw = json.dumps(doc).encode()
    cut = raw[: raw.index(b'"Tre"')]
    before = database_state()

    with pytest.raises(InterchangeError) as excinfo:
        import_json(cut)

    assert excinfo.value.message.startswith("ugyldig JSON i linje 1, kolonne ")
    assert database_state() == before


def test_imported_bytes_and_text_give_the_same_catalogue(db):
    raw = (FIXTURES / "investment-2021-part1.json").read_bytes()
    first = import_json(raw)
    exported = dumps(export_catalog(first.catalog))
    again = import_json(raw.decode())
    assert again.updated == first.created
    assert dumps(export_catalog(again.catalog)) == exported


def test_a_file_is_read_as_a_stream_and_a_bad_one_named_as_before(db, tmp_path):
    from cases.services import import_file

    path = tmp_path / "katalog.json"
    path.write_bytes((FIXTURES / "citizen-2018.json").read_bytes())
    with path.open("rb") as file:
        result = import_file(file)
    assert len(result.created) == 4
    path.write_bytes(b'{"format": "budget-cases/1",')
    with path.open("rb") as file, pytest.raises(InterchangeError) as excinfo:
        import_file(file)
    assert excinfo.value.message.startswith("ugyldig JSON i linje 1, kolonne 29")
