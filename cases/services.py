"""State changes on catalogues and proposals. Each public function runs in one
transaction: it either does all of its work or none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from committees.models import Administration, Committee

from . import limits, permissions
from .exporting import export_inputs
from .interchange import (
    CatalogData,
    HearingData,
    InterchangeError,
    NotStreamable,
    ProposalData,
    _text,
    decode,
    number_key,
    parse_document,
    stream_document,
)
from .models import (
    Catalog,
    Distribution,
    DistributionRow,
    DistributionRowAmount,
    FteYear,
    HearingAnswer,
    Line,
    LineAmount,
    Proposal,
    Section,
    StatedFigures,
    SuccessCriterion,
)
from .permissions import DECIDED_STATUSES
from .selectors import printed_overview, proposals_with_inputs
from .signals import decided_inputs_changed, inputs_changed


@dataclass
class ImportResult:
    catalog: Catalog
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.catalog.key}: {len(self.created)} forslag oprettet, "
            f"{len(self.updated)} opdateret"
        )


def import_json(raw: bytes | str, *, user=None, reason: str = "") -> ImportResult:
    """Decode, check and import one budget-cases/1 document.

    Bytes are read as a stream (`interchange.stream_document`: one proposal in memory at
    a time); when the streaming reader refuses them, or for text, the whole document is
    decoded first (`decode`, whose messages name line and column).

    `reason`: why proposals already decided are changed (`ReasonRequired` without one
    when the document changes the inputs of a proposal in `DECIDED_STATUSES`)."""
    if isinstance(raw, bytes | bytearray):
        try:
            return _import_stream(bytes(raw), user, reason)
        except NotStreamable:
            pass  # rolled back; the exact decoder says why (or reads what json allows)
    return import_document(decode(raw), user=user, reason=reason)


def import_file(file: BinaryIO, *, user=None, reason: str = "") -> ImportResult:
    """`import_json` of a seekable binary file, read as a stream: the document is never
    held in memory whole (unless the streaming reader refuses it)."""
    try:
        return _import_stream(file, user, reason)
    except NotStreamable:
        file.seek(0)
        return import_document(decode(file.read()), user=user, reason=reason)


@transaction.atomic
def _import_stream(source: bytes | BinaryIO, user, reason: str = "") -> ImportResult:
    catalog, proposals = stream_document(source)
    return _import(catalog, proposals, user, reason)


@transaction.atomic
def import_document(data: Any, *, user=None, reason: str = "") -> ImportResult:
    """Create or update a catalogue and its proposals from a decoded document.

    Idempotent: the catalogue is found by its key and each proposal by its number, so a
    second import of the same file updates in place. Proposals of the catalogue that the
    file does not mention are left alone. Raises `InterchangeError` (`ReasonRequired`
    when it changes a decided proposal and `reason` is empty); then nothing changed.
    """
    doc = parse_document(data)
    return _import(doc, doc.proposals, user, reason)


def _import(
    doc: CatalogData, proposals: Iterable[ProposalData], user, reason: str = ""
) -> ImportResult:
    """Write the catalogue `doc` and `proposals` (consumed once, one at a time: a stream
    is never held whole). Runs inside the caller's transaction."""
    reason = clean_reason(reason)
    committees = {c.code: c for c in Committee.objects.filter(parent__isnull=True)}
    administrations = {a.code: a for a in Administration.objects.all()}

    catalog, _ = Catalog.objects.update_or_create(
        key=doc.key,
        defaults={
            "title": doc.title,
            "annex": doc.annex,
            "pool": doc.pool,
            "budget_year": doc.budget_year,
            "overview": doc.overview,
            "source_file": doc.source_file,
            "introduction": doc.introduction,
        },
    )
    existing = {p.number: p for p in Proposal.objects.select_for_update().filter(catalog=catalog)}
    existing_keys = {number_key(number): number for number in existing}
    result = ImportResult(catalog=catalog)
    written: list[int] = []  # ids only: a proposal's texts are not kept after it is written
    taken = set(existing)
    decided: dict[int, DecidedBefore] = {}
    for index, data_proposal in enumerate(proposals):
        _check_codes(index, data_proposal, committees, administrations)
        number = data_proposal.number or next_number(taken | set(printed_overview(catalog)))
        taken.add(number)
        proposal = existing.get(number)
        if proposal is None and number_key(number) in existing_keys:
            raise InterchangeError(
                f"proposals[{index}].number",
                f"kataloget har allerede forslag nummer {existing_keys[number_key(number)]}"
                f" (store og små bogstaver regnes for ens): skriv {number} som dét",
            )
        fields = _proposal_fields(data_proposal, committees, administrations)
        if proposal is not None and proposal.status in DECIDED_STATUSES:
            decided[proposal.pk] = _decided_before(proposal, f"proposals[{index}]")
        if proposal is None:
            proposal = Proposal.objects.create(catalog=catalog, number=number, **fields)
            result.created.append(number)
        else:
            for name, value in fields.items():
                setattr(proposal, name, value)
            proposal.version = F("version") + 1
            proposal.save()
            proposal.refresh_from_db(fields=["version"])
            _delete_children(proposal)
            result.updated.append(number)
        proposal.affected_administrations.set(
            [administrations[code] for code in data_proposal.affected_administrations]
        )
        _create_children(proposal, data_proposal, committees)
        written.append(proposal.pk)
    changed = _decided_changes(decided, reason)
    for start in range(0, len(written), AFTER_IMPORT_CHUNK):
        chunk = written[start : start + AFTER_IMPORT_CHUNK]
        _after_inputs_changed([Proposal(pk=pk) for pk in chunk], user, "imported")
    _after_decided_changes(changed, user, reason)
    return result


# --- decided means frozen (issue 11, finding 3) --------------------------------------------


class ReasonRequired(InterchangeError):
    """A change of the inputs of a proposal in `DECIDED_STATUSES` without a reason: the
    whole save or import is refused and nothing is written. `path` is the JSON path of
    the proposal in an imported document ("" for the editor)."""

    STATUS_WORDS = {
        "recommended": "indstillet",
        "adopted": "vedtaget",
        "not_adopted": "ikke vedtaget",
    }

    def __init__(self, path: str, number: str, status: str):
        self.number = number
        self.status = status
        word = self.STATUS_WORDS.get(status, status)
        super().__init__(
            path,
            f"forslag {number} er {word}: en ændring efter beslutningen kræver en "
            "begrundelse. Intet er gemt.",
        )


def clean_reason(reason: str | None) -> str:
    """The reason for a change after the decision as stored: a multi-line text of at most
    `limits.COMMENT_LENGTH` characters, checked as every imported text
    (`interchange._text`), stripped. Raises `InterchangeError` (path "reason")."""
    return _text(
        reason or "", "reason", max_length=limits.COMMENT_LENGTH, multiline=True, strip=True
    )


@dataclass
class DecidedBefore:
    """A decided proposal's inputs before a save or import changed them."""

    path: str
    status: str
    inputs: dict


@dataclass
class DecidedChange:
    proposal: Proposal
    status: str
    before: dict
    after: dict


def _decided_before(proposal: Proposal, path: str) -> DecidedBefore:
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    return DecidedBefore(path, full.status, export_inputs(full))


def _decided_changes(decided: dict[int, DecidedBefore], reason: str) -> list[DecidedChange]:
    """The decided proposals whose inputs the save changed (compared after writing, in
    the same transaction). Raises `ReasonRequired` for the first one when `reason` is
    empty: the caller's transaction rolls back, nothing is saved."""
    if not decided:
        return []
    changes = []
    for full in proposals_with_inputs(Proposal.objects.filter(pk__in=list(decided))):
        before = decided[full.pk]
        after = export_inputs(full)
        if after != before.inputs:
            changes.append(DecidedChange(full, before.status, before.inputs, after))
    changes.sort(key=lambda c: decided[c.proposal.pk].path)
    if changes and not reason:
        first = changes[0]
        raise ReasonRequired(decided[first.proposal.pk].path, first.proposal.number, first.status)
    return changes


def decided_inputs(proposal: Proposal) -> DecidedBefore | None:
    """The inputs of `proposal` before a change made outside the editor and the importers
    (the admin), when it is in `DECIDED_STATUSES`; else None. Pass it to
    `record_admin_change` after the change is written."""
    if proposal.pk is None or proposal.status not in DECIDED_STATUSES:
        return None
    return _decided_before(proposal, "")


@transaction.atomic
def record_admin_change(user, proposal: Proposal, before: DecidedBefore | None, reason: str):
    """After the admin wrote `proposal`'s fields: the same as any change of inputs (a new
    version counter, a history version and a fresh summary), and for a decided proposal
    whose inputs changed, the reason (`ReasonRequired` without one: the admin's
    transaction rolls back) and "ændring efter beslutning". Raises `PermissionDenied`
    when `user` may not edit the proposal."""
    if not permissions.can_edit(user, proposal):
        raise PermissionDenied
    reason = clean_reason(reason)
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
    proposal.refresh_from_db(fields=["version", "updated_at"])
    changed = _decided_changes({proposal.pk: before} if before else {}, reason)
    _after_inputs_changed([proposal], user, "admin")
    _after_decided_changes(changed, user, reason)


def _after_decided_changes(changes: list[DecidedChange], user, reason: str) -> None:
    """Tell the layers above (`cases.signals.decided_inputs_changed`): `review` records
    "ændring efter beslutning", `followup` notes it next to the frozen plan."""
    for change in changes:
        decided_inputs_changed.send(
            sender=Proposal,
            proposal=change.proposal,
            user=user,
            status=change.status,
            reason=reason,
            before=change.before,
            after=change.after,
        )


# Proposals whose history versions and summaries are made at once after an import: each
# holds its inputs and its version's document in memory until its chunk is stored.
AFTER_IMPORT_CHUNK = 100


def _after_inputs_changed(proposals: list[Proposal], user, reason: str) -> None:
    """What every change of a proposal's inputs must be followed by, in the same
    transaction: a version in the history and the stored summary for the case list.
    Both live in `review`, a layer above: it listens to `cases.signals.inputs_changed`
    (connected in `review.apps.ReviewConfig.ready`)."""
    inputs_changed.send(sender=Proposal, proposals=proposals, user=user, reason=reason)


def next_number(taken: set[str]) -> str:
    """The next free proposal number, following the catalogue's own pattern
    ("BC14" after "BC13", "5" after "4"). ``taken``: every number in use, the printed
    overview's too (`selectors.printed_overview`: investment 2021 lists BC13, BC14, BC30 and
    BC31, whose proposals were not entered): a suggestion that repeats a printed
    number is matched with that row of the overview and fails its checks."""
    best_prefix, best_value, width = "", 0, 0
    for number in taken:
        match = re.fullmatch(r"(.*?)(\d+)", number)
        if match and int(match.group(2)) >= best_value:
            best_prefix, best_value, width = (
                match.group(1),
                int(match.group(2)),
                len(match.group(2)),
            )
    candidate = best_value + 1
    while f"{best_prefix}{candidate:0{width}d}" in taken:
        candidate += 1
    return f"{best_prefix}{candidate:0{width}d}"


def _check_codes(index: int, p: ProposalData, committees: dict, administrations: dict) -> None:
    """The committee and administration codes of `proposals[index]` exist."""
    known_committees = ", ".join(committees)
    known_admins = ", ".join(administrations)
    path = f"proposals[{index}]"
    if p.committee is not None and p.committee not in committees:
        raise InterchangeError(
            f"{path}.committee", f'ukendt udvalg "{p.committee}" (kendte: {known_committees})'
        )
    if p.presenting_administration is not None and p.presenting_administration not in (
        administrations
    ):
        raise InterchangeError(
            f"{path}.presenting_administration",
            f'ukendt forvaltning "{p.presenting_administration}" (kendte: {known_admins})',
        )
    for j, code in enumerate(p.affected_administrations):
        if code not in administrations:
            raise InterchangeError(
                f"{path}.affected_administrations[{j}]",
                f'ukendt forvaltning "{code}" (kendte: {known_admins})',
            )
    for j, dist in enumerate(p.distributions):
        for k, row in enumerate(dist.rows):
            if row.committee not in committees:
                raise InterchangeError(
                    f"{path}.distributions[{j}].rows[{k}].committee",
                    f'ukendt udvalg "{row.committee}" (kendte: {known_committees})',
                )


def _proposal_fields(p: ProposalData, committees: dict, administrations: dict) -> dict:
    return {
        "title": p.title,
        "summary": p.summary,
        "committee": committees.get(p.committee) if p.committee else None,
        "cross_cutting": p.cross_cutting,
        "presenting_administration": (
            administrations.get(p.presenting_administration)
            if p.presenting_administration
            else None
        ),
        "funding_source": p.funding_source,
        "applies_for_pool_funding": p.applies_for_pool_funding,
        "productivity_improvement": p.productivity_improvement,
        "reduced_admin_costs": p.reduced_admin_costs,
        "price_level_year": p.price_level_year,
        "first_year": p.years[0],
        "last_year": p.years[-1],
        "background": p.sections.get("background", ""),
        "content": p.sections.get("content", ""),
        "potential": p.sections.get("potential", ""),
        "economy_text": p.sections.get("economy", ""),
        "implementation_text": p.sections.get("implementation", ""),
        "partners": p.sections.get("partners", ""),
        "effect": p.sections.get("effect", ""),
        "other_sections": p.other_sections,
        "risk_level": p.risk_level,
        "risk_text": p.risk_text,
        "priority_criteria": p.priority_criteria,
        "other_tables": p.other_tables,
        "anomalies": p.anomalies,
        "printed_headings": p.printed_headings,
    }


def _delete_children(proposal: Proposal, *, keep_stated: bool = False) -> None:
    # Rows of the year grid and everything hanging off the proposal are replaced whole:
    # the document is the complete statement of the proposal.
    Line.objects.filter(proposal=proposal).delete()
    FteYear.objects.filter(proposal=proposal).delete()
    HearingAnswer.objects.filter(proposal=proposal).delete()
    SuccessCriterion.objects.filter(proposal=proposal).delete()
    Distribution.objects.filter(proposal=proposal).delete()
    if not keep_stated:
        StatedFigures.objects.filter(proposal=proposal).delete()


def specifications_json(specifications: list[dict] | None) -> list[dict]:
    """Specification rows as stored (`Line.specifications`): amounts as decimal strings."""
    return [
        {"label": s["label"], "amounts": _amounts_to_json(s["amounts"]) or {}}
        for s in specifications or []
    ]


def _create_children(
    proposal: Proposal, p: ProposalData, committees: dict, kept: dict | None = None
) -> None:
    """``kept``: specifications of the lines before an editor save, by (section, label):
    the editor does not show them, so a line it says nothing about keeps them."""
    kept = kept or {}
    grid = [
        (
            Line(
                proposal=proposal,
                section=ln.section,
                kind=ln.kind,
                area=ln.area,
                label=ln.label,
                order=i,
                specifications=(
                    specifications_json(ln.specifications)
                    if ln.specifications is not None
                    else kept.get((ln.section, ln.label), [])
                ),
            ),
            ln.amounts,
        )
        for i, ln in enumerate(p.lines)
    ] + [
        (
            Line(
                proposal=proposal,
                section=Section.ADMINISTRATION,
                kind="",
                area="",
                label=ln.label,
                order=i,
            ),
            ln.amounts,
        )
        for i, ln in enumerate(p.admin_lines)
    ]
    created = Line.objects.bulk_create([line for line, _ in grid])
    LineAmount.objects.bulk_create(
        [
            LineAmount(line=line, year=year, amount=amount)
            for line, (_, amounts) in zip(created, grid, strict=True)
            for year, amount in amounts.items()
        ]
    )
    FteYear.objects.bulk_create(
        [FteYear(proposal=proposal, year=year, fte=value) for year, value in p.fte.items()]
    )
    HearingAnswer.objects.bulk_create(
        [
            HearingAnswer(
                proposal=proposal, body=h.body, answer=h.answer, date_text=h.date_text, order=i
            )
            for i, h in enumerate(p.hearing)
        ]
    )
    SuccessCriterion.objects.bulk_create(
        [
            SuccessCriterion(
                proposal=proposal,
                criterion=c.criterion,
                how_measured=c.how_measured,
                how_achieved=c.how_achieved,
                responsible=c.responsible,
                when=c.when,
                order=i,
            )
            for i, c in enumerate(p.followup)
        ]
    )
    for i, dist in enumerate(p.distributions):
        distribution = Distribution.objects.create(
            proposal=proposal, subject=dist.subject, basis=dist.basis, order=i
        )
        rows = DistributionRow.objects.bulk_create(
            [
                DistributionRow(
                    distribution=distribution,
                    committee=committees[r.committee],
                    unit=r.unit,
                    account=r.account,
                    weight=r.weight,
                    order=k,
                )
                for k, r in enumerate(dist.rows)
            ]
        )
        DistributionRowAmount.objects.bulk_create(
            [
                DistributionRowAmount(row=row, year=year, amount=amount)
                for row, data_row in zip(rows, dist.rows, strict=True)
                for year, amount in (data_row.amounts or {}).items()
            ]
        )
    if p.stated is not None:
        StatedFigures.objects.create(
            proposal=proposal,
            permanent_total=_amounts_to_json(p.stated.permanent_total),
            implementation_total=_amounts_to_json(p.stated.implementation_total),
            net_total=_amounts_to_json(p.stated.net_total),
            payback_years=p.stated.payback_years,
            payback_years_service=p.stated.payback_years_service,
            payback_years_total=p.stated.payback_years_total,
        )


def _amounts_to_json(amounts: dict[int, Decimal] | None) -> dict[str, str] | None:
    if amounts is None:
        return None
    return {str(year): str(amount) for year, amount in amounts.items()}


# --- the case editor ---------------------------------------------------------------------


class StaleProposal(Exception):
    """Someone saved the proposal after the user opened it (optimistic locking)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(f"the proposal is at version {current_version}")


class NumberTaken(Exception):
    def __init__(self, number: str):
        self.number = number
        super().__init__(number)


@transaction.atomic
def save_proposal(
    user,
    data: ProposalData,
    *,
    catalog: Catalog,
    proposal: Proposal | None = None,
    expected_version: int | None = None,
    change_reason: str = "",
) -> Proposal:
    """Create a proposal, or replace every input of `proposal`, from the editor's data.

    One transaction. Checks the user's permission (`PermissionDenied`) and, for an
    existing proposal, that nobody saved since `expected_version` was read
    (`StaleProposal`; nothing is written). The version is required: a save that does not
    say which version it started from is refused as stale (issue 11, finding 5). What a
    source document printed (`StatedFigures`, `other_tables`, `anomalies`,
    `printed_headings`) is kept: it is not an input. Hearing answers registered by
    central finance (`answer_hearing`) belong to that step: the editor cannot change or
    drop them (`keep_registered_hearing`).
    A proposal in `DECIDED_STATUSES` whose inputs the save changes needs
    `change_reason` (`ReasonRequired`, nothing written; issue 11, finding 3).
    """
    change_reason = clean_reason(change_reason)
    committees = {c.code: c for c in Committee.objects.filter(parent__isnull=True)}
    administrations = {a.code: a for a in Administration.objects.all()}
    _check_codes(0, data, committees, administrations)
    fixed = permissions.fixed_administration(user)
    if fixed is not None and data.presenting_administration != fixed.code:
        raise PermissionDenied("finance staff present proposals of their own administration")
    fields = _proposal_fields(data, committees, administrations)
    registered: list[HearingAnswer] = []
    kept: dict = {}
    decided: dict[int, DecidedBefore] = {}
    if proposal is None:
        if not permissions.can_create(user):
            raise PermissionDenied
        taken = set(Proposal.objects.filter(catalog=catalog).values_list("number", flat=True))
        number = data.number or next_number(taken | set(printed_overview(catalog)))
        if number_key(number) in {number_key(other) for other in taken}:
            raise NumberTaken(number)
        proposal = Proposal.objects.create(catalog=catalog, number=number, **fields)
    else:
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=proposal.pk)
        )
        if not permissions.can_edit(user, locked):
            raise PermissionDenied
        if expected_version is None or locked.version != expected_version:
            raise StaleProposal(locked.version)
        if locked.status in DECIDED_STATUSES:
            decided[locked.pk] = _decided_before(locked, "")
        number = data.number or locked.number
        others = Proposal.objects.filter(catalog=catalog).exclude(pk=locked.pk)
        if number_key(number) in {number_key(n) for n in others.values_list("number", flat=True)}:
            raise NumberTaken(number)
        for name in ("other_tables", "anomalies", "printed_headings"):
            fields.pop(name)
        updated = Proposal.objects.filter(pk=locked.pk, version=locked.version).update(
            catalog=catalog, number=number, version=F("version") + 1, **fields
        )
        if updated != 1:  # pragma: no cover - the row lock above makes this impossible
            raise StaleProposal(locked.version)
        proposal = Proposal.objects.get(pk=locked.pk)
        registered = list(
            HearingAnswer.objects.filter(proposal=proposal, answered_by__isnull=False)
        )
        data = replace(data, hearing=keep_registered_hearing(data.hearing, registered))
        kept = {
            (ln.section, ln.label): ln.specifications
            for ln in Line.objects.filter(proposal=proposal).exclude(specifications=[])
        }
        _delete_children(proposal, keep_stated=True)
    proposal.affected_administrations.set(
        [administrations[code] for code in data.affected_administrations]
    )
    _create_children(proposal, replace(data, stated=None), committees, kept)
    _restore_registrations(proposal, registered)
    changed = _decided_changes(decided, change_reason)
    _after_inputs_changed([proposal], user, "saved")
    _after_decided_changes(changed, user, change_reason)
    return proposal


def keep_registered_hearing(
    rows: list[HearingData], registered: list[HearingAnswer]
) -> list[HearingData]:
    """The hearing rows of an editor save, with every answer central finance registered
    put back as registered: same body, answer and date, at its place in the user's order
    (or at the end if the user removed the row). Rows are matched by body.

    Shape: the user's rows in, the rows to store out. Rule: issue 11, finding 1 (the
    registered answer has one owner, the `answer_hearing` step)."""
    by_body = {row.body: row for row in registered}
    out: list[HearingData] = []
    seen: set[str] = set()
    for row in rows:
        kept = by_body.get(row.body)
        if kept is None:
            out.append(row)
        elif row.body not in seen:
            seen.add(row.body)
            out.append(HearingData(kept.body, kept.answer, kept.date_text))
    out += [
        HearingData(kept.body, kept.answer, kept.date_text)
        for kept in registered
        if kept.body not in seen
    ]
    return out


def _restore_registrations(proposal: Proposal, registered: list[HearingAnswer]) -> None:
    """Who registered each kept answer, when, and their comment (not editor inputs)."""
    if not registered:
        return
    by_body = {row.body: row for row in registered}
    rows = [r for r in HearingAnswer.objects.filter(proposal=proposal) if r.body in by_body]
    for row in rows:
        kept = by_body[row.body]
        row.comment, row.answered_by_id, row.answered_at = (
            kept.comment,
            kept.answered_by_id,
            kept.answered_at,
        )
    HearingAnswer.objects.bulk_update(rows, ["comment", "answered_by", "answered_at"])
