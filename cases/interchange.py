"""Reading and checking budget-cases/1 documents (see docs/FORMAT.md).

`parse_document` turns decoded JSON into plain, validated data (`CatalogData`,
`ProposalData`) or raises `InterchangeError` naming the JSON path of the first problem,
in Danish: ``proposals[2].lines[0].amounts["2021"]: "12a" er ikke et tal``.
Nothing here touches the database; `cases.services.import_document` writes the result
in one transaction.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

import ijson

from finance import engine, prices
from finance.formatting import format_amount
from finance.specifications import match_specifications

from . import limits

FORMAT_NAME = "budget-cases/1"
POOLS = ("efficiency", "investment", "innovation")
# The vocabulary of lines and distributions is the engine's.
SECTIONS = engine.SECTIONS
KINDS = engine.KINDS
PERMANENT_AREAS = engine.PERMANENT_AREAS
IMPLEMENTATION_AREAS = engine.IMPLEMENTATION_AREAS
DISTRIBUTION_SUBJECTS = engine.SUBJECTS
DISTRIBUTION_BASES = engine.BASES
RISK_LEVELS = ("low", "medium", "high")
HEARING_ANSWERS = ("yes", "no", "not_relevant")
SECTION_KEYS = (
    "background",
    "content",
    "potential",
    "economy",
    "implementation",
    "partners",
    "effect",
)
STATED_AMOUNT_KEYS = ("permanent_total", "implementation_total", "net_total")
STATED_PAYBACK_KEYS = ("payback_years", "payback_years_service", "payback_years_total")
# The unit a proposal's amounts are written in (FORMAT.md "amount_unit"); stored in 1.000 kr.
AMOUNT_UNITS = tuple(prices.ENTRY_UNITS)
DEFAULT_AMOUNT_UNIT = "t.kr"

MAX_AMOUNT = Decimal("1000000000000")  # thousand kroner: far beyond any municipal budget
MAX_YEARS = limits.MAX_YEARS
YEAR_RE = re.compile(r"^[0-9]{4}$")
NUMBER_RE = re.compile(r"^[0-9A-Za-zÆØÅæøå._-]{1,20}$")


def number_key(number: str) -> str:
    """What makes two proposal numbers the same number in one catalogue: their letters
    without case ("BC01" and "bc01" are one number: printed, read aloud and typed in an
    address they cannot be told apart). str -> str; every check of a number being taken
    (editor, JSON and xlsx import) compares these keys."""
    return number.casefold()


class InterchangeError(ValueError):
    """A document that does not follow the format. `path` is the JSON path."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def _quote(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "…"
        return f'"{text}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "et objekt"
    if isinstance(value, list):
        return "en liste"
    return str(value)


@dataclass
class LineData:
    section: str
    kind: str
    area: str  # "" = not stated
    label: str
    amounts: dict[int, Decimal]
    # Rows that break the line down further: [{"label", "amounts"}]. None = not given
    # (the editor: a save keeps what the line had), [] = none.
    specifications: list[dict] | None = None


@dataclass
class AdminLineData:
    label: str
    amounts: dict[int, Decimal]


@dataclass
class DistributionRowData:
    committee: str
    unit: str
    account: str
    weight: Decimal | None
    amounts: dict[int, Decimal] | None


@dataclass
class DistributionData:
    subject: str
    basis: str
    rows: list[DistributionRowData]


@dataclass
class CriterionData:
    criterion: str
    how_measured: str
    how_achieved: str
    responsible: str
    when: str


@dataclass
class HearingData:
    body: str
    answer: str
    date_text: str


@dataclass
class StatedData:
    permanent_total: dict[int, Decimal] | None = None
    implementation_total: dict[int, Decimal] | None = None
    net_total: dict[int, Decimal] | None = None
    payback_years: int | None = None
    payback_years_service: int | None = None
    payback_years_total: int | None = None


@dataclass
class ProposalData:
    number: str | None
    title: str
    summary: str = ""
    committee: str | None = None
    cross_cutting: bool | None = None
    presenting_administration: str | None = None
    affected_administrations: list[str] = field(default_factory=list)
    funding_source: str = ""
    applies_for_pool_funding: bool | None = None
    productivity_improvement: bool | None = None
    reduced_admin_costs: bool | None = None
    price_level_year: int = 0
    years: list[int] = field(default_factory=list)
    lines: list[LineData] = field(default_factory=list)
    admin_lines: list[AdminLineData] = field(default_factory=list)
    fte: dict[int, Decimal] = field(default_factory=dict)
    followup: list[CriterionData] = field(default_factory=list)
    risk_level: str = ""
    risk_text: str = ""
    hearing: list[HearingData] = field(default_factory=list)
    priority_criteria: dict | None = None
    sections: dict[str, str] = field(default_factory=dict)
    other_sections: list[dict[str, str]] = field(default_factory=list)
    distributions: list[DistributionData] = field(default_factory=list)
    stated: StatedData | None = None
    other_tables: list = field(default_factory=list)
    anomalies: list = field(default_factory=list)
    # the source's section headings as printed ("2. BAGGRUND FOR FORSLAGET"), in order
    printed_headings: list[str] = field(default_factory=list)


@dataclass
class CatalogData:
    key: str
    title: str
    annex: str
    pool: str
    budget_year: int
    overview: dict | None
    source_file: str
    proposals: list[ProposalData]
    introduction: str = ""  # the catalogue's text before the overview (Markdown)


# --- primitive readers -------------------------------------------------------------------


def _object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise InterchangeError(path, f"skal være et objekt, ikke {_quote(value)}")
    return value


def _list(value: Any, path: str, *, nullable: bool = True) -> list:
    if value is None and nullable:
        return []
    if not isinstance(value, list):
        raise InterchangeError(path, f"skal være en liste, ikke {_quote(value)}")
    return value


def _text(
    value: Any,
    path: str,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
    strip: bool = False,
) -> str:
    """A text field: every one has a maximum length (`cases.limits`). A one-line field's
    line breaks become spaces (`limits.single_line`: it goes into mail subjects and
    table cells); control characters, NUL and lone surrogates are refused, so that
    SQLite and PostgreSQL keep the same documents (issue 11, findings 14-16)."""
    if value is None:
        if required:
            raise InterchangeError(path, "mangler (skal være en tekst)")
        return ""
    if not isinstance(value, str):
        raise InterchangeError(path, f"skal være en tekst, ikke {_quote(value)}")
    if len(value) > max_length:
        raise InterchangeError(path, f"er for lang ({len(value)} tegn, højst {max_length})")
    if not multiline:
        value = limits.single_line(value)
    bad = limits.bad_character(value, multiline=multiline)
    if bad is not None:
        raise InterchangeError(
            path, f"indeholder et tegn, der ikke kan gemmes ({bad[1]} på plads {bad[0] + 1})"
        )
    value = value.strip() if strip else value
    if required and not value.strip():
        raise InterchangeError(path, "må ikke være tom")
    return value


def _bounded(items: list, path: str, most: int, what: str) -> list:
    if len(items) > most:
        raise InterchangeError(path, f"højst {most} {what} (filen har {len(items)})")
    return items


def _blob(value: Any, path: str) -> Any:
    """Printed tables and notes kept as JSON: bounded in size, and no string in them
    that a database cannot store (PostgreSQL's jsonb refuses NUL)."""
    if len(json.dumps(value, default=str)) > limits.JSON_BLOB_LENGTH:
        raise InterchangeError(path, f"er for stor (højst {limits.JSON_BLOB_LENGTH} tegn)")
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            bad = limits.bad_character(item, multiline=True)
            if bad is not None:
                raise InterchangeError(path, f"indeholder et tegn, der ikke kan gemmes ({bad[1]})")
    return value


def _bool(value: Any, path: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InterchangeError(path, f"skal være true, false eller null, ikke {_quote(value)}")


def _choice(value: Any, path: str, choices: tuple[str, ...], *, nullable: bool) -> str:
    if value is None and nullable:
        return ""
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(f'"{c}"' for c in choices)
        suffix = " eller null" if nullable else ""
        raise InterchangeError(
            path, f"{_quote(value)} er ikke en gyldig værdi (brug {allowed}{suffix})"
        )
    return value


def _year(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise InterchangeError(path, f"{_quote(value)} er ikke et årstal")
    return value


def _number(value: Any, path: str, *, places: int = 2) -> Decimal:
    """A JSON number (parsed as int or Decimal) with at most `places` decimals."""
    if isinstance(value, bool) or value is None:
        raise InterchangeError(path, f"{_quote(value)} er ikke et tal")
    if isinstance(value, str):
        try:
            Decimal(value.strip())
        except InvalidOperation:
            raise InterchangeError(path, f"{_quote(value)} er ikke et tal") from None
        raise InterchangeError(
            path, f"{_quote(value)} er en tekst; skriv tallet uden anførselstegn"
        )
    if isinstance(value, float):  # only when a caller parsed without parse_float=Decimal
        value = Decimal(repr(value))
    if not isinstance(value, (int, Decimal)):
        raise InterchangeError(path, f"{_quote(value)} er ikke et tal")
    number = Decimal(value)
    if not number.is_finite():
        raise InterchangeError(path, f"{_quote(str(value))} er ikke et tal")
    if abs(number) >= MAX_AMOUNT:
        raise InterchangeError(path, f"{number} er urimeligt stort")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InterchangeError(path, f"{number} har mere end {places} decimaler")
    return number


def _money(value: Any, path: str, unit: str) -> Decimal:
    """An amount typed in ``unit`` (FORMAT.md ``amount_unit``) in 1.000 kr., exactly: at
    most two decimals once in 1.000 kr. (kr.: whole tens of kroner), never rounded."""
    if unit == DEFAULT_AMOUNT_UNIT:
        return _number(value, path)
    number = _number(value, path, places=2 + 3 * (unit == "mio.kr"))
    try:
        return prices.to_thousands(number, unit)
    except prices.UnitError as error:
        raise InterchangeError(path, str(error)) from None


def _amounts(
    value: Any, path: str, *, nullable: bool = False, unit: str = "t.kr"
) -> dict[int, Decimal] | None:
    if value is None:
        if nullable:
            return None
        return {}
    obj = _object(value, path)
    amounts: dict[int, Decimal] = {}
    for key, amount in obj.items():
        key_path = f'{path}["{key}"]'
        if not isinstance(key, str) or not YEAR_RE.match(key) or not 1900 <= int(key) <= 2200:
            raise InterchangeError(key_path, f"{_quote(key)} er ikke et årstal")
        if amount is None:  # null is an empty cell, like an absent year
            continue
        amounts[int(key)] = _money(amount, key_path, unit)
    return dict(sorted(amounts.items()))


# --- the document --------------------------------------------------------------------------


def decode(raw: bytes | str) -> Any:
    """JSON text -> Python, with every non-integer number as an exact Decimal."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InterchangeError("", f"filen er ikke UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            "", f"ugyldig JSON i linje {exc.lineno}, kolonne {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InterchangeError("", "ugyldig JSON: for dybt indlejret") from None


def parse_document(data: Any) -> CatalogData:
    doc = _object(data, "$")
    catalog = parse_header(doc)
    proposals_raw = _list(doc.get("proposals"), "proposals", nullable=False)
    catalog.proposals = list(parse_proposals(proposals_raw))
    return catalog


def parse_header(doc: dict) -> CatalogData:
    """The document's format and catalogue (`proposals` left empty: see
    `parse_proposals`)."""
    fmt = doc.get("format")
    if fmt != FORMAT_NAME:
        raise InterchangeError("format", f'skal være "{FORMAT_NAME}", ikke {_quote(fmt)}')
    catalog = _object(doc.get("catalog"), "catalog")
    title = _text(catalog.get("title"), "catalog.title", required=True, max_length=300, strip=True)
    pool = _choice(catalog.get("pool"), "catalog.pool", POOLS, nullable=False)
    budget_year = _year(catalog.get("budget_year"), "catalog.budget_year")
    key = _text(catalog.get("key"), "catalog.key", max_length=100, strip=True)
    if key:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
            raise InterchangeError(
                "catalog.key",
                f"{_quote(key)} må kun indeholde små bogstaver a-z, tal, - og _",
            )
    else:
        key = derive_catalog_key(title, budget_year)
    overview = catalog.get("overview")
    if overview is not None:
        _overview_rows(_object(overview, "catalog.overview"))
        overview = _blob(plain_json(overview), "catalog.overview")
    return CatalogData(
        key=key,
        title=title,
        annex=_text(catalog.get("annex"), "catalog.annex", max_length=50, strip=True),
        pool=pool,
        budget_year=budget_year,
        overview=overview,
        source_file=_text(doc.get("source_file"), "source_file", max_length=300, strip=True),
        proposals=[],
        introduction=_text(
            catalog.get("introduction"),
            "catalog.introduction",
            max_length=limits.LONG_TEXT_LENGTH,
            multiline=True,
        ),
    )


def parse_proposals(proposals_raw: Iterable[Any]) -> Iterator[ProposalData]:
    """The checked proposals of `proposals_raw`, one at a time (a number must not repeat
    an earlier proposal's)."""
    seen: dict[str, int] = {}
    for index, raw in enumerate(proposals_raw):
        proposal = _proposal(raw, f"proposals[{index}]")
        if proposal.number is not None:
            key = number_key(proposal.number)
            if key in seen:
                raise InterchangeError(
                    f"proposals[{index}].number",
                    f"{_quote(proposal.number)} står allerede i proposals[{seen[key]}]"
                    " (numre skal være entydige i kataloget)",
                )
            seen[key] = index
        yield proposal


class NotStreamable(Exception):
    """The streaming reader refused the document (not UTF-8, not JSON, not an object, no
    list of proposals, ...): `decode` + `parse_document` say exactly why."""


# Bytes per read of the streaming parser and per step of the UTF-8 check.
STREAM_CHUNK = 1 << 20


def stream_document(source: bytes | BinaryIO) -> tuple[CatalogData, Iterator[ProposalData]]:
    """A budget-cases/1 document read as a stream (ijson): the checked header at once,
    the proposals one at a time as the returned iterator is consumed. `source` is the
    document's bytes or a seekable binary file (then the document is never in memory
    whole; a catalogue of 5,400 proposals is 150 MB of JSON and several times that as
    Python objects).

    Numbers are read as `decode` reads them (integers as int, others as exact Decimal).
    Raises `InterchangeError` for a document that reads but breaks the format (also
    from the iterator, naming the proposal's path), and `NotStreamable` for anything
    the streaming reader refuses, either at once or from the iterator; the caller then
    falls back to `decode`, which names the fault as precisely as before (line and
    column) or accepts what Python's JSON reader allows beyond the standard."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    origin = stream.tell()
    start = origin + (len(codecs.BOM_UTF8) if stream.read(3) == codecs.BOM_UTF8 else 0)
    stream.seek(start)
    checker = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(STREAM_CHUNK):
            checker.decode(chunk)
        checker.decode(b"", final=True)
    except UnicodeDecodeError:
        raise NotStreamable("not UTF-8") from None

    def rewound():
        stream.seek(start)
        return stream

    def member(name: str) -> Any:
        # a repeated member: the last one counts, as in `decode`
        last = deque(ijson.items(rewound(), name, buf_size=STREAM_CHUNK), maxlen=1)
        return last[0] if last else None

    try:
        events = ijson.parse(rewound(), buf_size=STREAM_CHUNK)
        if next(events, (None, None, None))[1] != "start_map":
            raise NotStreamable("not an object")
        kind = None
        for prefix, event, value in events:
            if prefix == "" and event == "map_key" and value == "proposals":
                kind = next(events)[1]
                break
        if kind != "start_array":
            raise NotStreamable("no list of proposals")
        header = {name: member(name) for name in ("format", "catalog", "source_file")}
    except ijson.JSONError:
        raise NotStreamable("not JSON") from None
    catalog = parse_header(header)

    def proposals() -> Iterator[Any]:
        try:
            yield from ijson.items(rewound(), "proposals.item", buf_size=STREAM_CHUNK)
        except ijson.JSONError:
            raise NotStreamable("not JSON") from None

    return catalog, parse_proposals(proposals())


def _printed_tables(tables: list, path: str) -> None:
    """Printed tables are kept as they came, but the printed distribution tables become
    distributions and checks (`distributions_from_printed`, the engine's
    `check_printed_distribution`): their rows must have the shape those read."""
    for i, table in enumerate(tables):
        if not isinstance(table, dict) or table.get("kind") != "distribution":
            continue
        table_path = f"{path}[{i}]"
        for key in ("caption", "distribution_subject"):
            if table.get(key) is not None and not isinstance(table.get(key), str):
                raise InterchangeError(f"{table_path}.{key}", "skal være en tekst")
        for j, row in enumerate(_list(table.get("rows"), f"{table_path}.rows")):
            row_path = f"{table_path}.rows[{j}]"
            row_obj = _object(row, row_path)
            for key in ("label", "row_kind", "account", "unit_code"):
                value = row_obj.get(key)
                if value is not None and not isinstance(value, str):
                    raise InterchangeError(
                        f"{row_path}.{key}", f"skal være en tekst, ikke {_quote(value)}"
                    )
            if row_obj.get("key_pct") is not None:
                _number(row_obj["key_pct"], f"{row_path}.key_pct", places=28)
            amounts = row_obj.get("amounts")
            if amounts is not None:
                for year, value in _object(amounts, f"{row_path}.amounts").items():
                    if value is not None:
                        _number(value, f'{row_path}.amounts["{year}"]', places=28)


def _overview_rows(overview: dict) -> None:
    """The printed overview is informational, but the checks compare its figures with
    the engine's: each row an object, its figures numbers (payback a whole number of
    years) or null."""
    rows = _list(overview.get("rows"), "catalog.overview.rows")
    for i, row in enumerate(rows):
        row_obj = _object(row, f"catalog.overview.rows[{i}]")
        for key in engine.OVERVIEW_KEYS:
            value = row_obj.get(key)
            path = f"catalog.overview.rows[{i}].{key}"
            if value is None:
                continue
            if key == "payback_years":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                    raise InterchangeError(path, f"{_quote(value)} er ikke et antal år")
            else:
                _number(value, path, places=28)


def derive_catalog_key(title: str, budget_year: int) -> str:
    from django.utils.text import slugify

    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    slug = slugify(title.translate(table))[:80].strip("-") or "katalog"
    return f"{slug}-{budget_year}"


def _proposal(raw: Any, path: str) -> ProposalData:
    obj = _object(raw, path)
    number = obj.get("number")
    if number is not None:
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        number = _text(
            number, f"{path}.number", required=True, max_length=limits.NUMBER_LENGTH, strip=True
        )
        if not NUMBER_RE.match(number):
            raise InterchangeError(
                f"{path}.number", f"{_quote(number)} må kun indeholde bogstaver, tal, ., - og _"
            )
    years = _years(obj.get("years"), f"{path}.years")
    unit = _choice(obj.get("amount_unit"), f"{path}.amount_unit", AMOUNT_UNITS, nullable=True)
    unit = unit or DEFAULT_AMOUNT_UNIT
    price_level = obj.get("price_level_year")
    price_level_year = (
        years[0] if price_level is None else _year(price_level, f"{path}.price_level_year")
    )
    proposal = ProposalData(
        number=number,
        title=_text(
            obj.get("title"),
            f"{path}.title",
            required=True,
            max_length=limits.TITLE_LENGTH,
            strip=True,
        ),
        summary=_text(
            obj.get("summary"),
            f"{path}.summary",
            max_length=limits.LONG_TEXT_LENGTH,
            multiline=True,
        ),
        committee=_code(obj.get("committee"), f"{path}.committee"),
        cross_cutting=_bool(obj.get("cross_cutting"), f"{path}.cross_cutting"),
        presenting_administration=_code(
            obj.get("presenting_administration"), f"{path}.presenting_administration"
        ),
        funding_source=_text(
            obj.get("funding_source"),
            f"{path}.funding_source",
            max_length=limits.NAME_LENGTH,
            strip=True,
        ),
        applies_for_pool_funding=_bool(
            obj.get("applies_for_pool_funding"), f"{path}.applies_for_pool_funding"
        ),
        price_level_year=price_level_year,
        years=years,
    )
    affected = _bounded(
        _list(obj.get("affected_administrations"), f"{path}.affected_administrations"),
        f"{path}.affected_administrations",
        limits.MAX_ADMINISTRATIONS,
        "forvaltninger",
    )
    for i, code in enumerate(affected):
        code_path = f"{path}.affected_administrations[{i}]"
        code = _code(code, code_path)
        if code is None:
            raise InterchangeError(code_path, "må ikke være null")
        if code in proposal.affected_administrations:
            raise InterchangeError(code_path, f"{_quote(code)} står to gange")
        proposal.affected_administrations.append(code)
    productivity = obj.get("productivity")
    if productivity is not None:
        prod = _object(productivity, f"{path}.productivity")
        proposal.productivity_improvement = _bool(
            prod.get("productivity_improvement"), f"{path}.productivity.productivity_improvement"
        )
        proposal.reduced_admin_costs = _bool(
            prod.get("reduced_admin_costs"), f"{path}.productivity.reduced_admin_costs"
        )
    lines = _bounded(
        _list(obj.get("lines"), f"{path}.lines"), f"{path}.lines", 2 * limits.MAX_LINES, "linjer"
    )
    for i, line in enumerate(lines):
        proposal.lines.append(_line(line, f"{path}.lines[{i}]", unit))
    for section in ("permanent", "implementation"):
        in_section = [ln for ln in proposal.lines if ln.section == section]
        _bounded(in_section, f"{path}.lines", limits.MAX_LINES, f"linjer i afsnittet {section}")
    admin_lines = _bounded(
        _list(obj.get("admin_lines"), f"{path}.admin_lines"),
        f"{path}.admin_lines",
        limits.MAX_LINES,
        "linjer",
    )
    for i, line in enumerate(admin_lines):
        line_path = f"{path}.admin_lines[{i}]"
        line_obj = _object(line, line_path)
        proposal.admin_lines.append(
            AdminLineData(
                label=_text(
                    line_obj.get("label"),
                    f"{line_path}.label",
                    required=True,
                    max_length=limits.LABEL_LENGTH,
                ),
                amounts=_amounts(line_obj.get("amounts"), f"{line_path}.amounts", unit=unit),
            )
        )
    proposal.fte = _amounts(obj.get("fte"), f"{path}.fte") or {}
    followup = _bounded(
        _list(obj.get("followup"), f"{path}.followup"),
        f"{path}.followup",
        limits.MAX_FOLLOWUP_ROWS,
        "rækker",
    )
    for i, row in enumerate(followup):
        row_path = f"{path}.followup[{i}]"
        row_obj = _object(row, row_path)
        proposal.followup.append(
            CriterionData(
                **{
                    key: _text(
                        row_obj.get(key),
                        f"{row_path}.{key}",
                        max_length=limits.CELL_TEXT_LENGTH,
                        multiline=True,
                    )
                    for key in ("criterion", "how_measured", "how_achieved", "responsible", "when")
                }
            )
        )
    risk = obj.get("risk")
    if risk is not None:
        risk_obj = _object(risk, f"{path}.risk")
        proposal.risk_level = _choice(
            risk_obj.get("level"), f"{path}.risk.level", RISK_LEVELS, nullable=True
        )
        proposal.risk_text = _text(
            risk_obj.get("text"),
            f"{path}.risk.text",
            max_length=limits.LONG_TEXT_LENGTH,
            multiline=True,
        )
    hearing = _bounded(
        _list(obj.get("hearing"), f"{path}.hearing"),
        f"{path}.hearing",
        limits.MAX_HEARING_ROWS,
        "rækker",
    )
    for i, row in enumerate(hearing):
        row_path = f"{path}.hearing[{i}]"
        row_obj = _object(row, row_path)
        proposal.hearing.append(
            HearingData(
                body=_text(
                    row_obj.get("body"),
                    f"{row_path}.body",
                    required=True,
                    max_length=limits.NAME_LENGTH,
                    strip=True,
                ),
                answer=_choice(
                    row_obj.get("answer"), f"{row_path}.answer", HEARING_ANSWERS, nullable=True
                ),
                date_text=_text(
                    row_obj.get("date"), f"{row_path}.date", max_length=limits.DATE_TEXT_LENGTH
                ),
            )
        )
    priority = obj.get("priority_criteria")
    if priority is not None:
        proposal.priority_criteria = _blob(
            plain_json(_object(priority, f"{path}.priority_criteria")),
            f"{path}.priority_criteria",
        )
    sections = obj.get("sections")
    if sections is not None:
        sections_obj = _object(sections, f"{path}.sections")
        for key in SECTION_KEYS:
            proposal.sections[key] = _text(
                sections_obj.get(key),
                f"{path}.sections.{key}",
                max_length=limits.LONG_TEXT_LENGTH,
                multiline=True,
            )
        other = sections_obj.get("other")
        if other is not None:
            other_obj = _object(other, f"{path}.sections.other")
            _bounded(
                list(other_obj),
                f"{path}.sections.other",
                limits.MAX_OTHER_SECTIONS,
                "afsnit",
            )
            for i, (heading, text) in enumerate(other_obj.items()):
                text_path = f'{path}.sections.other["{heading[:40]}"]'
                proposal.other_sections.append(
                    {
                        "heading": _text(
                            heading,
                            f"{path}.sections.other (overskrift {i + 1})",
                            max_length=limits.NAME_LENGTH,
                        ),
                        "text": _text(
                            text, text_path, max_length=limits.LONG_TEXT_LENGTH, multiline=True
                        ),
                    }
                )
    for i, dist in enumerate(_list(obj.get("distributions"), f"{path}.distributions")):
        proposal.distributions.append(_distribution(dist, f"{path}.distributions[{i}]", unit))
    subjects = [d.subject for d in proposal.distributions]
    for i, subject in enumerate(subjects):
        if subject in subjects[:i]:
            raise InterchangeError(
                f"{path}.distributions[{i}].subject",
                f"{_quote(subject)} er allerede fordelt (én fordeling pr. emne)",
            )
    stated = obj.get("stated")
    if stated is not None:
        proposal.stated = _stated(stated, f"{path}.stated", unit)
    other_tables = _list(obj.get("other_tables"), f"{path}.other_tables")
    _printed_tables(other_tables, f"{path}.other_tables")
    proposal.other_tables = _blob(plain_json(other_tables), f"{path}.other_tables")
    proposal.anomalies = _blob(
        plain_json(_list(obj.get("anomalies"), f"{path}.anomalies")), f"{path}.anomalies"
    )
    headings = _list(obj.get("printed_headings"), f"{path}.printed_headings")
    _bounded(headings, f"{path}.printed_headings", limits.MAX_OTHER_SECTIONS, "overskrifter")
    proposal.printed_headings = [
        _text(h, f"{path}.printed_headings[{i}]", max_length=limits.NAME_LENGTH, strip=True)
        for i, h in enumerate(headings)
    ]
    _check_distribution_amounts(proposal, path)
    specifications_from_printed(proposal.lines, proposal.other_tables)
    given = {d.subject for d in proposal.distributions}
    proposal.distributions += [
        d
        for d in distributions_from_printed(proposal.other_tables, proposal.years)
        if d.subject not in given
    ]
    return proposal


# The printed "Fordeling … mellem udvalg" tables of a transcription (other_tables of kind
# "distribution") name their subject in the transcription's words; those the engine
# distributes become real distributions. The Måltalseffekt and Bevillingsmæssig effekt
# tables are not inputs: the engine computes them (finance.technical_annex).
PRINTED_SUBJECTS = {
    "capital": "implementation_capital",
    "implementation_capital": "implementation_capital",
    "implementation_operating": "implementation_operating",
    "service_investment": "implementation_service",
    "implementation_service": "implementation_service",
    "implementation": "implementation",
}
PRINTED_POTENTIAL = "potential"  # savings rows and costs rows in one table
# The subjects of a "potential" table's savings and costs rows. The investment form's
# "Effektivisering samt varige driftsomkostninger, service" covers the service lines only
# (investment 2021 BC11: BUU -1.772 of the -4.815 savings): its caption ends in "service".
POTENTIAL_SUBJECTS = {"saving": "permanent_saving", "cost": "permanent_cost"}
SERVICE_POTENTIAL_SUBJECTS = {
    "saving": "permanent_service_saving",
    "cost": "permanent_service_cost",
}
SERVICE_CAPTION_RE = re.compile(r",\s*service\s*$", re.IGNORECASE)


def potential_subjects(table: dict) -> dict[str, str]:
    """The subjects of a printed "potential" table, by row kind: the service-only
    subjects when its caption says ", service", else all permanent savings and costs."""
    caption = str(table.get("caption") or "").strip()
    return SERVICE_POTENTIAL_SUBJECTS if SERVICE_CAPTION_RE.search(caption) else POTENTIAL_SUBJECTS


TOTAL_LABELS = {"total", "i alt"}


def _printed_row_amounts(row: dict, years) -> dict[int, Decimal]:
    """A printed row's amounts (only ``years``, unless None)."""
    out = {}
    for year, value in (row.get("amounts") or {}).items():
        if value is None or not YEAR_RE.match(str(year)):
            continue
        if years is not None and int(year) not in years:
            continue
        try:
            out[int(year)] = Decimal(str(value))
        except InvalidOperation:
            continue
    return out


def printed_subjects(other_tables: list) -> set[str]:
    """The distribution subjects a transcription's printed tables hold."""
    subjects = set()
    for table in other_tables or []:
        if not isinstance(table, dict) or table.get("kind") != "distribution":
            continue
        printed = table.get("distribution_subject")
        if printed == PRINTED_POTENTIAL:
            subjects |= set(potential_subjects(table).values())
        elif printed in PRINTED_SUBJECTS:
            subjects.add(PRINTED_SUBJECTS[printed])
    return subjects


def distributions_from_printed(other_tables: list, years) -> list[DistributionData]:
    """Real distributions from the printed tables of a transcription: explicit amounts
    per committee and printed year (a year outside ``years`` too: the engine leaves it
    out of every figure, the editor shows it as outside the span) where the table prints amounts
    (the printed key, if any, is kept as the row's weight for the print), weights where
    it prints keys only. Rows
    without a committee code, total rows and rows with neither amount nor key nor
    account are left out. A printed table that does not add up is kept as printed: the
    engine reports it (``distribution_amounts_mismatch``); `_check_distribution_amounts`
    does not refuse it."""
    out: dict[str, DistributionData] = {}
    for table in other_tables or []:
        if not isinstance(table, dict) or table.get("kind") != "distribution":
            continue
        printed = table.get("distribution_subject")
        for row in table.get("rows") or []:
            if not isinstance(row, dict):
                continue
            label = str(row.get("label") or "").strip()
            code = row.get("unit_code")
            if row.get("bold_total") or label.casefold() in TOTAL_LABELS or not code:
                continue
            if printed == PRINTED_POTENTIAL:
                subject = potential_subjects(table).get(row.get("row_kind"))
            else:
                subject = PRINTED_SUBJECTS.get(printed)
            if subject is None:
                continue
            # every printed year, also one outside the proposal's years: the editor shows
            # it and refuses to save until it is removed or the years widened (never lost)
            amounts = _printed_row_amounts(row, None)
            key = row.get("key_pct")
            weight = Decimal(str(key)) if isinstance(key, (int, float)) and key >= 0 else None
            account = str(row.get("account") or "").strip()[:200]
            if not amounts and weight is None and not account:
                continue
            dist = out.setdefault(subject, DistributionData(subject, "amounts", []))
            dist.rows.append(
                DistributionRowData(
                    committee=str(code),
                    unit=label[:200],
                    account=account,
                    weight=weight,
                    amounts=amounts,
                )
            )
    for dist in out.values():
        if all(not r.amounts for r in dist.rows) and all(r.weight for r in dist.rows):
            dist.basis = "weights"
            for r in dist.rows:
                r.amounts = None
    return [out[s] for s in DISTRIBUTION_SUBJECTS if s in out]  # the editor's order


def _check_distribution_amounts(proposal: ProposalData, path: str) -> None:
    """Explicit amounts must add up to the subject's total in every year (FORMAT.md): a
    validation error, never a silent fix. The engine decides what "adds up" means."""
    lines = [
        engine.Line(section=ln.section, kind=ln.kind, area=ln.area or None, amounts=ln.amounts)
        for ln in proposal.lines
    ]
    printed = printed_subjects(proposal.other_tables)
    for i, dist in enumerate(proposal.distributions):
        if dist.basis != "amounts" or dist.subject in printed:
            continue
        distribution = engine.Distribution(
            subject=dist.subject,
            basis=dist.basis,
            rows=tuple(
                engine.DistributionRow(committee=r.committee, unit=r.unit, amounts=r.amounts)
                for r in dist.rows
            ),
        )
        totals = engine.subject_total(lines, dist.subject, proposal.years)
        _, checks = engine.allocate_distribution(distribution, totals, proposal.years)
        for check in checks:
            if check.code == "distribution_amounts_mismatch":
                raise InterchangeError(
                    f"{path}.distributions[{i}].rows",
                    f"rækkerne giver {format_amount(check.stated)} i {check.year}, "
                    f"men {dist.subject} er i alt {format_amount(check.computed)}",
                )


def plain_json(value: Any) -> Any:
    """Informational blobs (printed tables, notes) are stored as JSON as they came: exact
    decimals become plain JSON numbers again (int when whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value


def _code(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InterchangeError(path, f"{_quote(value)} er ikke en gyldig kode")
    return value.strip()


def _years(value: Any, path: str) -> list[int]:
    items = _list(value, path, nullable=False)
    if not items:
        raise InterchangeError(path, "skal indeholde mindst ét år")
    years = [_year(item, f"{path}[{i}]") for i, item in enumerate(items)]
    for i in range(1, len(years)):
        if years[i] != years[i - 1] + 1:
            raise InterchangeError(
                f"{path}[{i}]",
                f"årene skal følge hinanden uden huller ({years[i - 1]} efterfølges af {years[i]})",
            )
    if len(years) > MAX_YEARS:
        raise InterchangeError(path, f"højst {MAX_YEARS} år (filen har {len(years)})")
    return years


def _line(raw: Any, path: str, unit: str = "t.kr") -> LineData:
    obj = _object(raw, path)
    section = _choice(obj.get("section"), f"{path}.section", SECTIONS, nullable=False)
    kind = _choice(obj.get("kind"), f"{path}.kind", KINDS, nullable=False)
    areas = PERMANENT_AREAS if section == "permanent" else IMPLEMENTATION_AREAS
    area = obj.get("area")
    if area is not None and area not in areas:
        allowed = ", ".join(f'"{a}"' for a in areas)
        raise InterchangeError(
            f"{path}.area",
            f"{_quote(area)} er ikke et styringsområde for {section} (brug {allowed} eller null)",
        )
    return LineData(
        section=section,
        kind=kind,
        area=area or "",
        label=_text(
            obj.get("label"), f"{path}.label", required=True, max_length=limits.LABEL_LENGTH
        ),
        amounts=_amounts(obj.get("amounts"), f"{path}.amounts", unit=unit),
        specifications=_specifications(obj.get("specifications"), f"{path}.specifications", unit),
    )


def _specifications(value: Any, path: str, unit: str) -> list[dict]:
    out = []
    rows = _bounded(_list(value, path), path, limits.MAX_SPECIFICATIONS, "specifikationer")
    for i, raw in enumerate(rows):
        obj = _object(raw, f"{path}[{i}]")
        out.append(
            {
                "label": _text(
                    obj.get("label"),
                    f"{path}[{i}].label",
                    required=True,
                    max_length=limits.LABEL_LENGTH,
                ),
                "amounts": _amounts(obj.get("amounts"), f"{path}[{i}].amounts", unit=unit),
            }
        )
    return out


DETAIL_KINDS = {"permanent_detail": "permanent", "implementation_detail": "implementation"}


def specifications_from_printed(lines: list[LineData], other_tables: list) -> None:
    """The printed detail tables of a transcription (other_tables of kind
    permanent_detail / implementation_detail) as specification rows of the lines they
    add up to (`finance.specifications.match_specifications`); a line that already has
    specifications, or that no rows add up to, is left as it is."""
    for table in other_tables or []:
        if not isinstance(table, dict) or table.get("kind") not in DETAIL_KINDS:
            continue
        section = DETAIL_KINDS[table["kind"]]
        rows = []
        for row in table.get("rows") or []:
            if not isinstance(row, dict) or row.get("bold_total"):
                continue
            label = str(row.get("label") or "").strip()
            amounts = _printed_row_amounts(row, None)
            if label and amounts and label.casefold() not in TOTAL_LABELS:
                rows.append((label, amounts))
        candidates = [ln for ln in lines if ln.section == section and not ln.specifications]
        found = match_specifications([ln.amounts for ln in candidates], [a for _l, a in rows])
        for i, indexes in found.items():
            candidates[i].specifications = [
                {"label": rows[j][0][: limits.LABEL_LENGTH], "amounts": dict(rows[j][1])}
                for j in indexes
            ]


def _distribution(raw: Any, path: str, unit: str = "t.kr") -> DistributionData:
    obj = _object(raw, path)
    subject = _choice(obj.get("subject"), f"{path}.subject", DISTRIBUTION_SUBJECTS, nullable=False)
    basis = _choice(obj.get("basis"), f"{path}.basis", DISTRIBUTION_BASES, nullable=False)
    rows_raw = _bounded(
        _list(obj.get("rows"), f"{path}.rows", nullable=False),
        f"{path}.rows",
        limits.MAX_DISTRIBUTION_ROWS,
        "rækker",
    )
    if not rows_raw:
        raise InterchangeError(f"{path}.rows", "skal have mindst én række")
    rows = []
    for i, row in enumerate(rows_raw):
        row_path = f"{path}.rows[{i}]"
        row_obj = _object(row, row_path)
        committee = _code(row_obj.get("committee"), f"{row_path}.committee")
        if committee is None:
            raise InterchangeError(f"{row_path}.committee", "mangler")
        weight = None
        amounts = None
        if basis == "weights":
            if row_obj.get("weight") is None:
                raise InterchangeError(f"{row_path}.weight", "mangler (fordeling efter nøgle)")
            weight = _number(row_obj["weight"], f"{row_path}.weight", places=6)
            if weight < 0:
                raise InterchangeError(f"{row_path}.weight", f"{weight} er negativ")
        else:
            if row_obj.get("amounts") is None:
                raise InterchangeError(f"{row_path}.amounts", "mangler (fordeling efter beløb)")
            amounts = _amounts(row_obj["amounts"], f"{row_path}.amounts", unit=unit)
            if row_obj.get("weight") is not None:  # the printed key, kept for the print
                weight = _number(row_obj["weight"], f"{row_path}.weight", places=6)
                if weight < 0:
                    raise InterchangeError(f"{row_path}.weight", f"{weight} er negativ")
        rows.append(
            DistributionRowData(
                committee=committee,
                unit=_text(
                    row_obj.get("unit"),
                    f"{row_path}.unit",
                    max_length=limits.NAME_LENGTH,
                    strip=True,
                ),
                account=_text(
                    row_obj.get("account"),
                    f"{row_path}.account",
                    max_length=limits.NAME_LENGTH,
                    strip=True,
                ),
                weight=weight,
                amounts=amounts,
            )
        )
    return DistributionData(subject=subject, basis=basis, rows=rows)


def _stated(raw: Any, path: str, unit: str = "t.kr") -> StatedData:
    obj = _object(raw, path)
    stated = StatedData()
    for key in STATED_AMOUNT_KEYS:
        setattr(stated, key, _amounts(obj.get(key), f"{path}.{key}", nullable=True, unit=unit))
    for key in STATED_PAYBACK_KEYS:
        value = obj.get(key)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise InterchangeError(f"{path}.{key}", f"{_quote(value)} er ikke et antal år")
        setattr(stated, key, value)
    return stated
