"""The version history of a proposal and readable differences between two versions.

Each saved state is a `ProposalVersion`: the proposal's budget-cases/1 export without
its `computed` block (`cases.exporting.export_proposal`), i.e. every input field, line,
amount, hearing row and distribution, with who saved it and when. Versions are
append-only (see `committees.models.AppendOnly`).

Why snapshots rather than django-simple-history or django-pghistory: a proposal is one
document spread over eight tables (lines, amounts, distributions, rows, row amounts,
hearing, follow-up, FTE). Row-level history would record each table apart, and the
importer and the editor replace children with `bulk_create` (which simple-history does
not see) and deletes; pghistory would see them, but through PostgreSQL triggers, and
SQLite is the embedded default. A whole-document snapshot per save is taken in the same
transaction as the save, works on both databases, survives `bulk_create`, and two
snapshots diff directly into the words of the annex ("Varige ændringer: Energibesparelse,
2022").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cases.exporting import export_inputs
from cases.models import Proposal
from cases.selectors import proposals_with_inputs
from finance.formatting import format_amount

from .models import LastSeen, ProposalVersion

# ----------------------------------------------------------------------------- versions


_inputs = export_inputs  # a prefetched proposal's inputs as a version stores them


def inputs_of(proposal: Proposal) -> dict[str, Any]:
    """The proposal's inputs as stored in a version (the export minus `computed`)."""
    return _inputs(proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get())


def latest_version(proposal: Proposal) -> ProposalVersion | None:
    return ProposalVersion.objects.filter(proposal=proposal).order_by("-number").first()


def record_version(proposal: Proposal, user=None, reason: str = "") -> ProposalVersion:
    """Store the proposal's current inputs as a new version, unless they equal the latest
    version's (then that one is returned). Call inside the transaction that saved."""
    return record_versions([proposal], user, reason)[0]


@transaction.atomic
def record_versions(proposals, user=None, reason: str = "") -> list[ProposalVersion]:
    """`record_version` for many proposals (an import) with a fixed number of queries
    per 500 proposals. Returns each proposal's current version, in the given order.

    Version numbers cannot collide: the proposals' rows are locked (SELECT ... FOR
    UPDATE, in the order of their ids) before the highest number is read, so that two
    transactions recording a version of one proposal take their turns; the second then
    sees the first one's version (and records nothing when the inputs are the same).
    SQLite's IMMEDIATE transactions serialise writers anyway."""
    ids = [p.pk for p in proposals]
    current: dict[int, ProposalVersion] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        list(
            Proposal.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        latest_numbers = dict(
            ProposalVersion.objects.filter(proposal_id__in=chunk)
            .values_list("proposal_id")
            .annotate(n=Max("number"))
        )
        latest = {
            v.proposal_id: v
            for v in ProposalVersion.objects.filter(
                proposal_id__in=list(latest_numbers), number__in=set(latest_numbers.values())
            )
            if latest_numbers[v.proposal_id] == v.number
        }
        new = []
        for fresh in proposals_with_inputs(Proposal.objects.filter(pk__in=chunk)):
            data = _inputs(fresh)
            previous = latest.get(fresh.pk)
            if previous is not None and previous.data == data:
                current[fresh.pk] = previous
                continue
            new.append(
                ProposalVersion(
                    proposal=fresh,
                    number=(previous.number if previous else 0) + 1,
                    proposal_version=fresh.version,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    reason=reason,
                    data=data,
                )
            )
        for version in ProposalVersion.objects.bulk_create(new):
            current[version.proposal_id] = version
    return [current[pk] for pk in ids]


def mark_seen(user, proposal: Proposal, version: ProposalVersion) -> None:
    LastSeen.objects.update_or_create(user=user, proposal=proposal, defaults={"version": version})


def last_seen(user, proposal: Proposal) -> ProposalVersion | None:
    found = LastSeen.objects.filter(user=user, proposal=proposal).select_related("version").first()
    return found.version if found else None


# ----------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    group: str
    field: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        # A version's data is JSON: an amount with decimals (337,5) comes back as a float.
        # Its shortest repr is the number that was stored, so it is exact as a Decimal.
        return format_amount(Decimal(repr(value)), empty="")
    if isinstance(value, int):
        return format_amount(value, empty="")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _amounts(out: dict, group: str, prefix: str, amounts: dict | None) -> None:
    for year, value in sorted((amounts or {}).items()):
        out[(group, f"{prefix}, {year}")] = _text(value)


def _keyed(rows: list[dict], name) -> list[tuple[str, dict]]:
    """Rows named by `name(row)`, with a counter where names repeat."""
    seen: dict[str, int] = {}
    keyed = []
    for row in rows:
        key = name(row)
        seen[key] = seen.get(key, 0) + 1
        keyed.append((key if seen[key] == 1 else f"{key} ({seen[key]})", row))
    return keyed


def flatten(data: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Every input of a stored version as {(group, readable name): text}. Lines, hearing
    rows and distribution rows are named by what they are (section and label, body,
    committee and unit), not by position, so that inserting a line shows one change."""
    fields, lines, amounts = _("Fields"), _("Lines"), _("Amounts")
    out: dict[tuple[str, str], str] = {}
    simple = [
        ("number", _("Number")),
        ("title", _("Title")),
        ("summary", _("Summary")),
        ("committee", _("Committee")),
        ("cross_cutting", _("Cross-cutting")),
        ("presenting_administration", _("Presenting administration")),
        ("affected_administrations", _("Affected administrations")),
        ("funding_source", _("Funding sought from")),
        ("applies_for_pool_funding", _("Applies for pool funding")),
        ("price_level_year", _("Price level")),
        ("priority_criteria", _("Priority criteria")),
    ]
    for key, label in simple:
        value = data.get(key)
        if key == "affected_administrations":
            value = ", ".join(value or [])
        elif key == "price_level_year" and value is not None:
            value = str(value)
        out[(fields, label)] = _text(value)
    years = data.get("years") or []
    out[(fields, _("Years"))] = f"{years[0]}–{years[-1]}" if years else ""
    productivity = data.get("productivity") or {}
    out[(fields, _("Improves productivity"))] = _text(productivity.get("productivity_improvement"))
    out[(fields, _("Reduces administrative costs"))] = _text(
        productivity.get("reduced_admin_costs")
    )
    risk = data.get("risk") or {}
    out[(fields, _("Risk level"))] = _text(risk.get("level"))
    out[(fields, _("Risk"))] = _text(risk.get("text"))
    sections = data.get("sections") or {}
    for key, value in sections.items():
        if key == "other":
            for heading, text in (value or {}).items():
                out[(fields, _("Section: %(name)s") % {"name": heading})] = _text(text)
        else:
            out[(fields, _("Section: %(name)s") % {"name": key})] = _text(value)

    section_names = {
        "permanent": _("Permanent changes"),
        "implementation": _("Implementation costs"),
    }
    for key, line in _keyed(
        data.get("lines") or [],
        lambda ln: f"{section_names.get(ln.get('section'), ln.get('section'))}: {ln.get('label')}",
    ):
        out[(lines, key)] = f"{line.get('kind') or ''}, {line.get('area') or 'service'}"
        _amounts(out, amounts, key, line.get("amounts"))
    admin = _("Permanent changes, administration")
    for key, line in _keyed(
        data.get("admin_lines") or [], lambda ln: f"{admin}: {ln.get('label')}"
    ):
        out[(lines, key)] = "✓"
        _amounts(out, amounts, key, line.get("amounts"))
    _amounts(out, amounts, _("Full-time equivalents"), data.get("fte"))

    hearing = _("Hearing")
    for key, row in _keyed(data.get("hearing") or [], lambda h: h.get("body") or "?"):
        out[(hearing, key)] = (
            " · ".join(
                part for part in (_answer(row.get("answer")), _text(row.get("date"))) if part
            )
            or "–"
        )
    followup = _("Follow-up")
    for i, row in enumerate(data.get("followup") or [], start=1):
        out[(followup, _("Criterion %(n)d") % {"n": i})] = " | ".join(
            _text(row.get(k)) for k in ("criterion", "how_measured", "responsible", "when")
        )
    distribution = _("Distribution")
    for dist in data.get("distributions") or []:
        name = f"{dist.get('subject')} ({dist.get('basis')})"
        for key, row in _keyed(
            dist.get("rows") or [], lambda r: f"{r.get('committee')} {r.get('unit') or ''}".strip()
        ):
            row_name = f"{name}: {key}"
            if "weight" in row:
                out[(distribution, row_name)] = _text(row.get("weight"))
            else:
                out[(distribution, row_name)] = "✓"
                _amounts(out, distribution, row_name, row.get("amounts"))
    stated = data.get("stated")
    if stated:
        out[(_("Printed figures"), _("Printed figures"))] = _text(stated)
    return {key: value for key, value in out.items() if value != ""}


def _answer(value: str | None) -> str:
    return {"yes": _("Yes"), "no": _("No"), "not_relevant": _("Not relevant")}.get(value or "", "")


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """The readable changes from `before` (a version's data, or None: nothing) to
    `after`, in the order of `after`, removed entries last."""
    old = flatten(before) if before is not None else {}
    new = flatten(after)
    changes = [
        Change(group, field, old.get((group, field), ""), value)
        for (group, field), value in new.items()
        if old.get((group, field), "") != value
    ]
    changes += [
        Change(group, field, value, "")
        for (group, field), value in old.items()
        if (group, field) not in new
    ]
    return changes
