"""What changed between two states of a proposal's inputs, in words a user reads.

`snapshot` flattens `ProposalData` into {label: text}; `differences` compares two
snapshots. Used when a save is refused because someone else saved first: the editor
shows what that person changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .interchange import ProposalData
from .numbers import format_number

SECTION_NAMES = {
    "permanent": "Varige ændringer",
    "implementation": "Implementeringsomkostninger",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class FieldConflict:
    """A field both people changed after a refused save: the value the user opened,
    theirs now saved, the user's, and the user's choice ("mine", "theirs" or None)."""

    key: str
    label: str
    base: Any
    mine: Any
    theirs: Any
    choice: str | None = None

    @staticmethod
    def _text(value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else str(value or "")

    @property
    def base_text(self) -> str:
        return self._text(self.base)

    @property
    def mine_text(self) -> str:
        return self._text(self.mine)

    @property
    def theirs_text(self) -> str:
        return self._text(self.theirs)


def _bool(value: bool | None) -> str:
    return "" if value is None else ("Ja" if value else "Nej")


def _amounts(out: dict[str, str], prefix: str, amounts) -> None:
    for year, value in sorted((amounts or {}).items()):
        out[f"{prefix} {year}"] = format_number(value)


def snapshot(data: ProposalData) -> dict[str, str]:
    """Every input as text, keyed by a readable name (Danish, as the annex names it)."""
    out: dict[str, str] = {
        "Nummer": data.number or "",
        "Titel": data.title,
        "Kort resumé": data.summary,
        "Udvalg": data.committee or "",
        "Tværgående": _bool(data.cross_cutting),
        "Fremstillende forvaltning": data.presenting_administration or "",
        "Berørte forvaltninger": ", ".join(data.affected_administrations),
        "Finansiering søges fra": data.funding_source,
        "Søger midler fra puljen": _bool(data.applies_for_pool_funding),
        "Produktivitetsforbedring": _bool(data.productivity_improvement),
        "Reducerede administrative omkostninger": _bool(data.reduced_admin_costs),
        "Prisniveau": str(data.price_level_year),
        "År": f"{data.years[0]}–{data.years[-1]}" if data.years else "",
        "Risikoniveau": data.risk_level,
        "Risikovurdering": data.risk_text,
    }
    for key, text in data.sections.items():
        out[f"Afsnit: {key}"] = text
    for i, section in enumerate(data.other_sections, start=1):
        out[f"Andet afsnit {i}: {section.get('heading', '')}"] = section.get("text", "")
    counters: dict[str, int] = {}
    for line in data.lines:
        counters[line.section] = counters.get(line.section, 0) + 1
        name = f"{SECTION_NAMES[line.section]}, linje {counters[line.section]}"
        out[name] = f"{line.label} ({line.kind}, {line.area or '-'})"
        _amounts(out, f"{name} »{line.label}«", line.amounts)
    for i, line in enumerate(data.admin_lines, start=1):
        name = f"Varige ændringer, administration, linje {i}"
        out[name] = line.label
        _amounts(out, f"{name} »{line.label}«", line.amounts)
    _amounts(out, "Årsværk", data.fte)
    for i, c in enumerate(data.followup, start=1):
        out[f"Opfølgning {i}"] = " | ".join(
            (c.criterion, c.how_measured, c.how_achieved, c.responsible, c.when)
        )
    for i, h in enumerate(data.hearing, start=1):
        out[f"Høring {i}"] = " | ".join((h.body, h.answer, h.date_text))
    for key, value in sorted((data.priority_criteria or {}).items()):
        out[f"Kriterier til prioritering: {key}"] = str(value)
    for d in data.distributions:
        for i, row in enumerate(d.rows, start=1):
            name = f"Fordeling {d.subject} ({d.basis}), række {i}"
            weight = format_number(row.weight) if row.weight is not None else ""
            out[name] = " | ".join((row.committee, row.unit, row.account, weight))
            _amounts(out, name, row.amounts)
    return {key: value for key, value in out.items() if value != ""}


def differences(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """The fields whose text differs, in the order of `after` then removed ones."""
    changes = [
        Change(key, before.get(key, ""), value)
        for key, value in after.items()
        if before.get(key, "") != value
    ]
    changes += [Change(key, value, "") for key, value in before.items() if key not in after]
    return changes


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def empty_label() -> str:
    return _("(empty)")
