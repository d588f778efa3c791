"""Issue 11 ("Trust"): fuzzing of `import_cases` and of the xlsx upload.

Hypothesis mutates a real document (a reference catalogue) and a real filled-in
template: values replaced by odd JSON or cell values, keys dropped, bytes of the file
flipped. Every mutant is either imported or refused with the importer's own error
(a Danish message): no other exception, and a refused one changes nothing. The suite
runs on SQLite and on PostgreSQL, so both databases see the same mutants."""

import copy
import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases.exporting import _plain, export_catalog
from cases.interchange import InterchangeError
from cases.models import (
    Catalog,
    Distribution,
    DistributionRow,
    HearingAnswer,
    Line,
    LineAmount,
    Proposal,
    SuccessCriterion,
)
from cases.services import import_json
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same mutants on every run and on both databases
)

ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\u0000",
            "\ud800",
            "a\nb",
            "=1+1",
            "0.250",
            "1,000",
            "2021",
            "x" * 600,
            "ÆØÅ æøå",
            "\u202e",
            "💡",
            "null",
        ]
    ),
)
ODD_NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, max_value=10**13, min_value=-(10**13)
    ),
    st.sampled_from([0, -1, 32767, 32768, 2**31, 10**12, Decimal("0.001"), Decimal("1E+5")]),
)
ODD_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), ODD_NUMBER, ODD_TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(ODD_TEXT, inner, max_size=3)
    ),
    max_leaves=6,
)


def state() -> tuple:
    """Everything an import writes, counted and exported."""
    counts = tuple(
        model.objects.count()
        for model in (
            Catalog,
            Proposal,
            Line,
            LineAmount,
            HearingAnswer,
            SuccessCriterion,
            Distribution,
            DistributionRow,
        )
    )
    exported = [
        json.dumps(export_catalog(c), sort_keys=True, default=str)
        for c in Catalog.objects.order_by("key")
    ]
    return counts, exported


def paths(value, prefix=()):
    """Every (path) to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(document, path, value):
    document = copy.deepcopy(document)
    if not path:
        return value
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is DROP and isinstance(target, dict):
        del target[path[-1]]
    elif value is DROP:
        target.pop(path[-1])
    else:
        target[path[-1]] = value
    return document


DROP = object()
SOURCE = json.loads((FIXTURES / "investment-2021-part1.json").read_text(), parse_float=Decimal)
SOURCE_PATHS = list(paths(SOURCE))[1:]  # not the document itself


@FUZZ
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(SOURCE_PATHS), st.one_of(ODD_VALUE, st.just(DROP))),
        min_size=1,
        max_size=3,
    )
)
def test_fuzzed_documents_are_imported_or_refused_with_a_message(mutations):
    document = SOURCE
    for path, value in mutations:
        try:
            document = replaced(document, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the place
    raw = json.dumps(_plain(document), ensure_ascii=True)
    before = state()
    try:
        import_json(raw)
    except InterchangeError as error:
        assert str(error)  # a message, in Danish, naming the place
        assert state() == before  # nothing half-saved


@FUZZ
@given(cut=st.integers(min_value=0, max_value=400), garbage=st.binary(min_size=1, max_size=20))
def test_fuzzed_json_bytes_are_refused_with_a_message(cut, garbage):
    raw = json.dumps(_plain(SOURCE)).encode()
    position = cut * len(raw) // 400
    mutant = raw[:position] + garbage + raw[position + len(garbage) :]
    before = state()
    try:
        import_json(mutant)
    except InterchangeError as error:
        assert str(error)
        assert state() == before


# ------------------------------------------------------------------ the xlsx upload

SHEETS = {
    "Forslag": [(r, 2) for r in range(4, 26)],
    "Økonomi": [(r, c) for r in (3, 4, 5) for c in range(1, 11)],
    "Hørt": [(r, c) for r in (2, 3) for c in (1, 2, 3)],
    "Opfølgning": [(2, c) for c in range(1, 6)],
    "Fordeling": [(r, c) for r in (1, 2) for c in range(1, 9)],
    "Andre afsnit": [(2, 1), (2, 2)],
}
CELLS = [(sheet, r, c) for sheet, places in SHEETS.items() for r, c in places]
CELL_VALUE = st.one_of(
    st.none(),
    ODD_TEXT.filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t) and "\ud800" not in t),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.datetimes(),
    st.sampled_from(["=1/0", "=E4*2", "=SUM(E4:F4)", "=Forslag!B5", "=NOPE()", "=1+"]),
)


TEMPLATE: list[bytes] = []


def filled_template() -> bytes:
    """BC11 of investment 2021 as a filled-in template (made once per run)."""
    if not TEMPLATE:
        proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC11")
        TEMPLATE.append(build_template(proposal.catalog, proposal))
    return TEMPLATE[0]


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(CELLS), CELL_VALUE), min_size=1, max_size=4))
def test_fuzzed_templates_are_imported_or_refused_with_a_message(reference_catalogs, changes):
    book = openpyxl.load_workbook(io.BytesIO(filled_template()))
    for (sheet, row, column), value in changes:
        book[sheet].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    catalog = Catalog.objects.get(key="investment-2021")
    before = state()
    try:
        import_xlsx(out.getvalue(), catalog)
    except XlsxImportError as error:
        assert str(error)
        assert state() == before


@FUZZ
@given(
    member=st.integers(min_value=0, max_value=30),
    cut=st.integers(min_value=0, max_value=100),
    garbage=st.binary(min_size=1, max_size=12),
)
def test_fuzzed_template_bytes_are_refused_with_a_message(reference_catalogs, member, cut, garbage):
    """A byte-level mutant of one part of the xlsx (sheet XML, shared strings, styles …),
    zipped again so that it reaches the XML parser."""
    source = zipfile.ZipFile(io.BytesIO(filled_template()))
    names = source.namelist()
    name = names[member % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                position = cut * len(data) // 100
                data = data[:position] + garbage + data[position + len(garbage) :]
            target.writestr(item, data)
    catalog = Catalog.objects.get(key="investment-2021")
    before = state()
    try:
        import_xlsx(out.getvalue(), catalog)
    except XlsxImportError as error:
        assert str(error)
        assert state() == before
