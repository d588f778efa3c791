"""Bad documents get one clear Danish message naming the JSON path, and change nothing."""

import copy
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from cases.exporting import dumps, export_catalog
from cases.interchange import InterchangeError
from cases.models import Catalog
from cases.services import import_document, import_json


def good_document():
    """A small valid catalogue: three proposals, the third with a saving line."""

    def proposal(number, title):
        return {
            "number": number,
            "title": title,
            "committee": "KFU",
            "presenting_administration": "KFF",
            "affected_administrations": ["KFF"],
            "price_level_year": 2021,
            "years": [2021, 2022, 2023],
            "lines": [
                {
                    "section": "permanent",
                    "kind": "saving",
                    "area": "service",
                    "label": "Besparelse",
                    "amounts": {"2021": -100, "2022": -200, "2023": -200},
                },
                {
                    "section": "implementation",
                    "kind": "cost",
                    "area": "capital",
                    "label": "Anlæg",
                    "amounts": {"2021": 300},
                },
            ],
            "distributions": [
                {
                    "subject": "permanent_saving",
                    "basis": "weights",
                    "rows": [
                        {"committee": "KFU", "unit": "Kultur- og Fritidsudvalget", "weight": 2},
                        {"committee": "BUU", "unit": "Børne- og Ungdomsudvalget", "weight": 1},
                    ],
                }
            ],
            "stated": {"payback_years_total": 3},
        }

    return {
        "format": "budget-cases/1",
        "catalog": {
            "key": "test-2021",
            "title": "Forslag til investeringspuljen",
            "annex": "Bilag 2",
            "pool": "investment",
            "budget_year": 2021,
        },
        "proposals": [proposal("BC01", "Et"), proposal("BC02", "To"), proposal("BC03", "Tre")],
    }


def _set(doc, path, value):
    """Set doc[path...] where path is a list of keys/indexes; value DELETE removes it."""
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    elif isinstance(target, list) and path[-1] == len(target):
        target.append(value)
    else:
        target[path[-1]] = value


DELETE = object()
P2 = ["proposals", 2]
LINE0 = [*P2, "lines", 0]
DIST0 = [*P2, "distributions", 0]

# (id, change(s) to the good document, the exact message)
BAD_INPUTS = [
    (
        "amount-not-a-number",
        [([*LINE0, "amounts", "2021"], "12a")],
        'proposals[2].lines[0].amounts["2021"]: "12a" er ikke et tal',
    ),
    (
        "amount-number-as-text",
        [([*LINE0, "amounts", "2021"], "12")],
        'proposals[2].lines[0].amounts["2021"]: "12" er en tekst; '
        "skriv tallet uden anførselstegn",
    ),
    (
        "amount-three-decimals",
        [([*LINE0, "amounts", "2022"], 1.234)],
        'proposals[2].lines[0].amounts["2022"]: 1.234 har mere end 2 decimaler',
    ),
    (
        "amount-boolean",
        [([*LINE0, "amounts", "2022"], True)],
        'proposals[2].lines[0].amounts["2022"]: true er ikke et tal',
    ),
    (
        "amount-absurd",
        [([*LINE0, "amounts", "2022"], 10**13)],
        'proposals[2].lines[0].amounts["2022"]: 10000000000000 er urimeligt stort',
    ),
    (
        "year-key-not-a-year",
        [([*LINE0, "amounts"], {"20x1": -5})],
        'proposals[2].lines[0].amounts["20x1"]: "20x1" er ikke et årstal',
    ),
    (
        "format-wrong",
        [(["format"], "budget-cases/2")],
        'format: skal være "budget-cases/1", ikke "budget-cases/2"',
    ),
    (
        "catalog-missing",
        [(["catalog"], DELETE)],
        "catalog: skal være et objekt, ikke null",
    ),
    (
        "pool-unknown",
        [(["catalog", "pool"], "savings")],
        'catalog.pool: "savings" er ikke en gyldig værdi '
        '(brug "efficiency", "investment", "innovation")',
    ),
    (
        "budget-year-text",
        [(["catalog", "budget_year"], "2021")],
        'catalog.budget_year: "2021" er ikke et årstal',
    ),
    (
        "catalog-key-invalid",
        [(["catalog", "key"], "Invest 2021")],
        'catalog.key: "Invest 2021" må kun indeholde små bogstaver a-z, tal, - og _',
    ),
    (
        "proposals-not-a-list",
        [(["proposals"], {"BC01": {}})],
        "proposals: skal være en liste, ikke et objekt",
    ),
    (
        "title-missing",
        [([*P2, "title"], DELETE)],
        "proposals[2].title: mangler (skal være en tekst)",
    ),
    (
        "number-duplicate",
        [(["proposals", 2, "number"], "BC01")],
        'proposals[2].number: "BC01" står allerede i proposals[0] '
        "(numre skal være entydige i kataloget)",
    ),
    (
        "number-duplicate-other-case",
        [(["proposals", 2, "number"], "bc01")],
        'proposals[2].number: "bc01" står allerede i proposals[0] '
        "(numre skal være entydige i kataloget)",
    ),
    (
        "years-with-gap",
        [([*P2, "years"], [2021, 2023])],
        "proposals[2].years[1]: årene skal følge hinanden uden huller "
        "(2021 efterfølges af 2023)",
    ),
    (
        "years-empty",
        [([*P2, "years"], [])],
        "proposals[2].years: skal indeholde mindst ét år",
    ),
    (
        "section-unknown",
        [([*LINE0, "section"], "temporary")],
        'proposals[2].lines[0].section: "temporary" er ikke en gyldig værdi '
        '(brug "permanent", "implementation")',
    ),
    (
        "area-not-for-section",
        [([*LINE0, "area"], "operating")],
        'proposals[2].lines[0].area: "operating" er ikke et styringsområde for permanent '
        '(brug "service", "transfers", "capital" eller null)',
    ),
    (
        "line-label-missing",
        [([*LINE0, "label"], DELETE)],
        "proposals[2].lines[0].label: mangler (skal være en tekst)",
    ),
    (
        "committee-unknown",
        [([*P2, "committee"], "XYZ")],
        'proposals[2].committee: ukendt udvalg "XYZ" '
        "(kendte: ØU, KFU, BUU, SUD, SOU, TMU, BIU)",
    ),
    (
        "administration-unknown",
        [([*P2, "affected_administrations"], ["KFF", "ABC"])],
        'proposals[2].affected_administrations[1]: ukendt forvaltning "ABC" '
        "(kendte: ØKF, KFF, BUF, SUF, SOF, TMF, BIF)",
    ),
    (
        "weight-negative",
        [([*DIST0, "rows", 1, "weight"], -5)],
        "proposals[2].distributions[0].rows[1].weight: -5 er negativ",
    ),
    (
        "weight-missing",
        [([*DIST0, "rows", 1, "weight"], DELETE)],
        "proposals[2].distributions[0].rows[1].weight: mangler (fordeling efter nøgle)",
    ),
    (
        "amounts-do-not-add-up",
        [
            (
                [*DIST0],
                {
                    "subject": "permanent_saving",
                    "basis": "amounts",
                    "rows": [
                        {"committee": "KFU", "amounts": {"2021": -60, "2022": -120, "2023": -120}},
                        {"committee": "BUU", "amounts": {"2021": -40, "2022": -79, "2023": -80}},
                    ],
                },
            )
        ],
        "proposals[2].distributions[0].rows: rækkerne giver -199 i 2022, "
        "men permanent_saving er i alt -200",
    ),
    (
        "distribution-subject-twice",
        [
            (
                [*P2, "distributions", 1],
                {"subject": "permanent_saving", "basis": "weights",
                 "rows": [{"committee": "KFU", "weight": 1}]},
            )
        ],
        'proposals[2].distributions[1].subject: "permanent_saving" er allerede fordelt '
        "(én fordeling pr. emne)",
    ),
    (
        "stated-payback-text",
        [([*P2, "stated", "payback_years_total"], "3")],
        'proposals[2].stated.payback_years_total: "3" er ikke et antal år',
    ),
    (
        "hearing-answer-unknown",
        [([*P2, "hearing"], [{"body": "IT-kredsen", "answer": "maybe"}])],
        'proposals[2].hearing[0].answer: "maybe" er ikke en gyldig værdi '
        '(brug "yes", "no", "not_relevant" eller null)',
    ),
    (
        "printed-headings-not-a-list",
        [([*P2, "printed_headings"], "2. BAGGRUND FOR FORSLAGET")],
        'proposals[2].printed_headings: skal være en liste, ikke "2. BAGGRUND FOR FORSLAGET"',
    ),
    (
        "printed-heading-not-text",
        [([*P2, "printed_headings"], ["2.1 ØKONOMI", 2.2])],
        "proposals[2].printed_headings[1]: skal være en tekst, ikke 2.2",
    ),
    (
        "risk-level-unknown",
        [([*P2, "risk"], {"level": "extreme", "text": None})],
        'proposals[2].risk.level: "extreme" er ikke en gyldig værdi '
        '(brug "low", "medium", "high" eller null)',
    ),
]


def database_state():
    """Every row of every model of the project's apps, as comparable tuples."""
    state = {}
    for app in ("cases", "committees", "review", "followup"):
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items()))
                for row in model.objects.values()
            )
    return state


@pytest.fixture
def existing(db):
    """An earlier import of the same catalogue: a bad re-import must leave it as it was."""
    result = import_document(good_document())
    return result.catalog


@pytest.mark.parametrize("as_bytes", [False, True], ids=["text", "bytes-streamed"])
@pytest.mark.parametrize(
    ("changes", "message"),
    [pytest.param(changes, message, id=name) for name, changes, message in BAD_INPUTS],
)
def test_bad_document_is_rejected_with_message_and_changes_nothing(
    existing, changes, message, as_bytes
):
    """Text is decoded whole; bytes are read as a stream (one proposal at a time, see
    test_streaming_import.py): the same message, the same rollback."""
    doc = copy.deepcopy(good_document())
    doc["proposals"][0]["title"] = "Ændret titel, som ikke må gemmes"
    for path, value in changes:
        _set(doc, path, value)
    before = database_state()
    exported_before = dumps(export_catalog(existing))
    raw = json.dumps(doc)

    with pytest.raises(InterchangeError) as excinfo:
        import_json(raw.encode() if as_bytes else raw)

    assert str(excinfo.value) == message
    assert database_state() == before
    assert dumps(export_catalog(Catalog.objects.get(key="test-2021"))) == exported_before


def test_there_are_at_least_twenty_distinct_bad_inputs():
    messages = {message for _, _, message in BAD_INPUTS}
    assert len(messages) == len(BAD_INPUTS) >= 20


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", ": ugyldig JSON i linje 1, kolonne 1: Expecting value"),
        (b'{"format": "budget-cases/1",', ": ugyldig JSON i linje 1, kolonne 29: "
         "Expecting property name enclosed in double quotes"),
        (b"\xff\xfe{}", ": filen er ikke UTF-8 (byte 0)"),
        (b"[]", "$: skal være et objekt, ikke en liste"),
    ],
)
def test_undecodable_input(db, raw, message):
    with pytest.raises(InterchangeError) as excinfo:
        import_json(raw)
    assert f"{excinfo.value.path}: {excinfo.value.message}" == message
    assert Catalog.objects.count() == 0


def test_failure_while_writing_rolls_back_everything(existing, monkeypatch):
    """A failure after some proposals were written (here: the third) leaves nothing."""
    from cases import services

    original = services._create_children
    calls = []

    def failing(proposal, data, committees):
        calls.append(proposal.number)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(proposal, data, committees)

    monkeypatch.setattr(services, "_create_children", failing)
    doc = good_document()
    doc["proposals"][0]["title"] = "Ny titel"
    doc["proposals"].append({**doc["proposals"][0], "number": "BC04"})
    before = database_state()
    with pytest.raises(RuntimeError):
        import_document(doc)
    assert calls == ["BC01", "BC02", "BC03"]
    assert database_state() == before


def test_management_command_reports_path_and_problem(db, tmp_path):
    doc = good_document()
    doc["proposals"][2]["lines"][0]["amounts"]["2021"] = "12a"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_cases", str(path))
    assert str(excinfo.value) == (
        f'{path}: proposals[2].lines[0].amounts["2021"]: "12a" er ikke et tal'
    )
    assert Catalog.objects.count() == 0


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_cases", str(tmp_path / "nope.json"))
    assert "kan ikke læses" in str(excinfo.value)
