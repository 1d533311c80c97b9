"""Emergency buying, told honestly: why a process was bought without competition (the reasons of
2 CFR 200.320(c), in the city's rationale scheme), the disaster declaration and FEMA Public
Assistance category it names, who funds it, and which documents a federal reimbursement file needs
are published and which are missing. Pure: view-model values and settings in, frozen values out.

The checklist follows 2 CFR 200.317-200.327 as FEMA reviews a file: competition or the documented
exception (200.319, 200.320), a cost or price analysis above the simplified acquisition threshold
(200.324), the affirmative steps for small, minority- and women-owned firms (200.321), the required
contract clauses (200.327 and Appendix II), and, where the city lists their document types, the
exclusion check (2 CFR 180), conflicts of interest (200.318(c)) and the signed contract.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import ClassVar

from generator.inputs.emergency_settings import CHECKLIST_LINES, EmergencySettings
from generator.site.agreements import Classification
from generator.site.contracts import Contract
from generator.site.process import Process
from generator.values import Money

# The ids of the 2 CFR 200.320(c) reasons in the rationale scheme, in the rule's order (c)(1) to (c)(5).
REASONS = ("micro-purchase", "single-source", "emergency", "agency-authorization", "inadequate-competition")
EMERGENCY = "emergency"
CATEGORIES = ("A", "B", "C", "D", "E", "F", "G")  # FEMA Public Assistance categories of work

# What the data shows for one line of the checklist.
SHOWN, MISSING, NOT_NEEDED, ELSEWHERE, UNKNOWN = "shown", "missing", "not-needed", "elsewhere", "unknown"


@dataclass(frozen=True)
class Line:
    """One line of a federal file's checklist: what the data shows for it."""

    key: str  # emergency_settings.CHECKLIST_LINES
    status: str  # SHOWN, MISSING, NOT_NEEDED, ELSEWHERE (in the agreement's file), UNKNOWN
    found: tuple[str, ...] = ()  # the document types published that show it is done
    wanted: tuple[str, ...] = ()  # the document types that would
    # Why, as a code the page words: competed, exception, no-reason, call-off, above-threshold,
    # below-threshold, no-value, not-signed.
    note: str = ""
    value: Money | None = None  # for the cost or price analysis: what the purchase is worth


@dataclass(frozen=True)
class Facts:
    """What a process's data says about emergency buying and its federal file."""

    without_competition: bool  # bought from one supplier without competition (not an order under an agreement)
    call_off: bool  # ordered under a framework agreement or standby contract
    reasons: tuple[Classification, ...]  # in the city's rationale scheme
    declarations: tuple[Classification, ...]  # disaster declarations
    categories: tuple[Classification, ...]  # FEMA Public Assistance categories of work
    funders: tuple[str, ...]
    checklist: tuple[Line, ...]
    reason_codes: ClassVar[tuple[str, ...]] = REASONS  # the ids pages name in plain words (labels "reason_2cfr")
    category_codes: ClassVar[tuple[str, ...]] = CATEGORIES  # (labels "fema_category")

    @property
    def is_emergency(self) -> bool:
        return _emergency(self.without_competition, self.reasons, self.declarations)

    @property
    def missing(self) -> tuple[Line, ...]:
        return tuple(line for line in self.checklist if line.status == MISSING)


def _in(scheme: str, classifications: tuple[Classification, ...]) -> tuple[Classification, ...]:
    return tuple(c for c in classifications if c.scheme.upper() == scheme.upper())


def without_competition(process: Process) -> bool:
    """Bought without competition: a direct award (or tender.competitive false) that is not an
    order under an agreement (whose competition is the agreement's)."""
    if process.relations.agreements:
        return False
    return process.competitive is False or (process.competitive is None and process.method == "direct")


def is_emergency(process: Process, settings: EmergencySettings) -> bool:
    """Bought without competition for an emergency (the reason `emergency` in the rationale scheme,
    or a disaster declaration)."""
    schemes = settings.schemes
    return _emergency(without_competition(process), _in(schemes.reasons, process.rationales),
                      _in(schemes.declarations, process.additional))


def _emergency(uncompeted: bool, reasons: tuple[Classification, ...], declarations: tuple[Classification, ...]) -> bool:
    return uncompeted and (any(r.id == EMERGENCY for r in reasons) or bool(declarations))


def facts(process: Process, settings: EmergencySettings, currency: str) -> Facts | None:
    """None when the process gives no 2 CFR 200.320 reason, declaration or FEMA category."""
    schemes = settings.schemes
    reasons = _in(schemes.reasons, process.rationales)
    declarations = _in(schemes.declarations, process.additional)
    categories = _in(schemes.categories, process.additional)
    if not (reasons or declarations or categories):
        return None
    return Facts(without_competition(process), bool(process.relations.agreements), reasons, declarations, categories,
                 process.funders, checklist(process, settings, currency))


def with_facts(processes: dict[str, Process], settings: EmergencySettings, currency: str) -> dict[str, Process]:
    """Give each process that names a reason, declaration or category its facts."""
    for ocid, process in processes.items():
        found = facts(process, settings, currency)
        if found is not None:
            processes[ocid] = replace(process, emergency=found)
    return processes


def checklist(process: Process, settings: EmergencySettings, currency: str,
              contract: Contract | None = None) -> tuple[Line, ...]:
    """The federal file of a process, or of one of its contracts: every line the city lists document
    types for (competition and the cost or price analysis always), in order."""
    contracts = (contract,) if contract else tuple(c for c in process.contracts if c.status != "cancelled")
    have = set(process.document_types).union(*(c.document_types for c in contracts))
    lines = []
    for key in CHECKLIST_LINES:
        wanted = tuple(settings.documents.get(key, ()))
        found = tuple(t for t in wanted if t in have)
        if key == "competition":
            lines.append(_competition(process, settings, wanted, found))
        elif key == "cost_price_analysis":
            lines.append(_cost_price(value_of(process, contract, currency), settings.threshold, wanted, found))
        elif not wanted:
            continue
        elif key == "signed_contract" and not found and not contracts:
            lines.append(Line(key, NOT_NEEDED, found, wanted, "not-signed"))
        else:
            lines.append(Line(key, SHOWN if found else MISSING, found, wanted))
    return tuple(lines)


def _competition(process: Process, settings: EmergencySettings, wanted, found) -> Line:
    key = "competition"
    if process.relations.agreements:
        return Line(key, ELSEWHERE, found, wanted, "call-off")
    if without_competition(process):
        reasons = _in(settings.schemes.reasons, process.rationales)
        return Line(key, SHOWN if reasons else MISSING, found, wanted, "exception" if reasons else "no-reason")
    return Line(key, SHOWN if found else MISSING, found, wanted, "competed")


def _cost_price(value: Money | None, threshold: Decimal, wanted, found) -> Line:
    key = "cost_price_analysis"
    note = "no-value" if value is None else "above-threshold" if value.amount > threshold else "below-threshold"
    if found:
        return Line(key, SHOWN, found, wanted, note, value)
    return Line(key, {"no-value": UNKNOWN, "above-threshold": MISSING}.get(note, NOT_NEEDED), found, wanted, note, value)


def value_of(process: Process, contract: Contract | None, currency: str) -> Money | None:
    """What the purchase is worth, in `currency` (the threshold's), or None when it is not published
    in it: the contract's value (else its award's, else the estimate); for a whole process, its
    contracts' total, else its active awards', else the estimate."""
    if contract is not None:
        awards = {a.id: a.value for a in process.awards}
        candidates = [contract.value, awards.get(contract.award_id) if contract.award_id else None, process.value]
    else:
        contracts = [c.value for c in process.contracts if c.status != "cancelled"]
        candidates = [_total(contracts, currency), _total([a.value for a in process.active_awards], currency),
                      process.value]
    found = next((v for v in candidates if v is not None), None)
    return found if found is not None and found.currency == currency else None


def _total(values: list[Money | None], currency: str) -> Money | None:
    """The sum of the values when every one is published in `currency`, else None."""
    if not values or any(v is None or v.currency != currency for v in values):
        return None
    return Money(sum((v.amount for v in values), Decimal(0)), currency)

