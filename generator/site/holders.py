"""Who holds a contract, until when, with how many renewals left; who holds the work an opportunity
would take over, as the data links it; and, where nothing links it, similar past contracts. Pure.

Who holds it now comes only from links (`relatedProcesses`: the new process names the prior one,
or the old contract names its `renewalProcess` or `replacementProcess`; site.relations gives them
to both ends). A department and a category are no evidence that two processes are the same work:
where no link exists, an opportunity gets at most its "similar past contracts", which pages label
as a guess and never as who holds it now.

Similar past contracts: the awards of other processes of the same department whose first item of
the UNSPSC scheme is in the same UNSPSC class as the opportunity's (the first 6 of the 8 digits:
segment, family and class; not the whole family, nor only the same commodity), newest award first, at most SIMILAR_SHOWN. A code that names no class (a family code
such as 72150000, whose class digits are 00) gets none, as does data classified in another scheme,
whose codes' levels are not known here: a family is too broad to call two contracts similar (a
yard's fencing and a garage's concrete repairs share one).

Renewals left (`renewals_left`) are counted from what a contract publishes, never assumed. The
Renewal extension's `renewal.period` is "the period over which the contract can be renewed" (all
renewals together, not one renewal's length), so how many renewals are left is known only in these
cases:

- None left: `hasRenewal` false, `maximumRenewals` 0, or the end date already on (or after)
  `maxExtentDate`, the latest the contract may run.
- All `maximumRenewals` left: the renewal period starts after the contract's end date (no
  renewal has moved the end date into it yet).
- With the end date inside the renewal period (its start and end published), the renewals are
  taken as equal ("up to two one-year renewals"): one is the period's length divided by
  `maximumRenewals`, and those left are how many fit between the end date and `maxExtentDate`
  (else the period's end), when that is a whole number of them within SLACK.
- Otherwise "up to `maximumRenewals`"; without that number, "may be renewed"; with no renewal
  published at all, "not published".

Processes here are site.process.Process values (which hold these results, so this module names
them only in words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from generator.site.contracts import Award, Contract
from generator.site.parties import OrgRef
from generator.site.texts import Name
from generator.values import Money

SIMILAR_SHOWN = 3
UNSPSC = "UNSPSC"
CLASS_DIGITS = 6  # UNSPSC: segment (2), family (4), class (6), commodity (8)
NOT_HELD = ("cancelled", "unsuccessful")  # process stages whose contracts are not held (process.STAGES)

# Kinds of RenewalsLeft.
NONE, EXACT, UP_TO, UNSTATED, UNKNOWN = "none", "exact", "up-to", "unstated", "unknown"


@dataclass(frozen=True)
class RenewalsLeft:
    kind: str  # NONE, EXACT (count left), UP_TO (at most count), UNSTATED (may be renewed), UNKNOWN (not published)
    count: int = 0


def renewals_left(contract: Contract) -> RenewalsLeft:
    """How many more times the contract may be renewed (the rule is in the module's docstring)."""
    renewal = contract.renewal
    if renewal is None:
        return RenewalsLeft(NONE if contract.renewable is False else UNKNOWN)
    maximum, end, latest = renewal.maximum, contract.end, contract.max_extent
    if maximum == 0 or (end and latest and latest.date() <= end.date()):
        return RenewalsLeft(NONE)
    if maximum is None:
        return RenewalsLeft(UNSTATED)
    window = renewal.period
    if end and window.start and window.start.date() > end.date():
        return RenewalsLeft(EXACT, maximum)  # the renewals' period is still ahead: none used yet
    left = _equal_renewals_left(maximum, window, end, latest)
    if left is None:
        return RenewalsLeft(UP_TO, maximum)
    return RenewalsLeft(EXACT, left) if left else RenewalsLeft(NONE)


SLACK = 0.1  # of one renewal's length: months and years differ by a few days


def _equal_renewals_left(maximum: int, window, end: dt.datetime | None, latest: dt.datetime | None) -> int | None:
    """With the end date inside the renewals' period (start and end published): the renewals of
    equal length (the period divided by `maximum`) that fit between the end date and the latest the
    contract may run, when that is a whole number of them (within SLACK); else None."""
    if not (end and window.start and window.end) or not window.start.date() <= end.date() <= window.end.date():
        return None
    one = ((window.end.date() - window.start.date()).days + 1) / maximum
    last = min(latest.date(), window.end.date()) if latest else window.end.date()
    fits = (last - end.date()).days / one
    whole = round(fits)
    return whole if abs(fits - whole) <= SLACK and 0 <= whole <= maximum else None


@dataclass(frozen=True)
class Holding:
    """One contract (or, with none published, one active award) as a vendor weighing the next bid
    reads it: who holds it, for how much, until when, and how many renewals it has left."""

    name: Name  # the contract's name (its title, its award's or its process's)
    suppliers: tuple[OrgRef, ...]
    value: Money | None  # the contract's value, else its award's
    ends: dt.datetime | None  # the latest it may run (Contract.last_day)
    term_ends: dt.datetime | None  # its end date, when the contract may run past it (renewals, options)
    renewals: RenewalsLeft
    contract_id: str = ""  # "" for an award without a published contract


def holding(process, contract: Contract) -> Holding:
    award = next((a for a in process.awards if a.id == contract.award_id), None)
    if award is None and len(process.active_awards) == 1:
        award = process.active_awards[0]  # one award, one contract: the contract implements it
    ends = contract.last_day
    return Holding(contract.name, award.suppliers if award else (), contract.value or (award.value if award else None),
                   ends, contract.end if contract.end and ends and contract.end < ends else None,
                   renewals_left(contract), contract.id)


def _award_holding(award: Award) -> Holding:
    return Holding(award.name, award.suppliers, award.value, None, None, RenewalsLeft(UNKNOWN))


def holdings(process) -> tuple[Holding, ...]:
    """What the process's contracts hold: each contract not cancelled or terminated; with no
    contract published, each active award."""
    if process.stage in NOT_HELD:
        return ()
    held = tuple(holding(process, c) for c in process.contracts if not c.ended)
    if held or any(c.ended for c in process.contracts):
        return held
    return tuple(_award_holding(a) for a in process.active_awards)


@dataclass(frozen=True)
class Incumbent:
    """A process an opportunity renews or replaces, as the data links them: who holds the work now."""

    kind: str  # related.FOLLOW_ON (prior), RENEWAL or REPLACEMENT
    process_name: Name
    process_path: str  # "" when it is not in the data (named by another scheme, or an unknown ocid)
    uri: str  # its page elsewhere, when the link gives one
    holdings: tuple[Holding, ...]  # its contracts; () when none is published or it is not in the data


@dataclass(frozen=True)
class Similar:
    """An award of another process of the same department and UNSPSC class: a guess, labelled so."""

    name: Name  # the award's
    process_path: str
    suppliers: tuple[OrgRef, ...]
    value: Money | None
    date: dt.datetime | None  # awarded on
    ends: dt.datetime | None  # the latest its contract may run, when one is published


def unspsc_class(process) -> str:
    """The UNSPSC class (first 6 digits) of the process's first item classified in UNSPSC, or ""
    when that code names no class (a family or segment code: 72150000 has class digits 00)."""
    code = next((c.code for c in process.categories if c.scheme == UNSPSC), "")
    head = code[:CLASS_DIGITS]
    return head if len(head) == CLASS_DIGITS and head.isdigit() and not head.endswith("00") else ""


def incumbents(process, processes: Mapping) -> tuple[Incumbent, ...]:
    """The contracts the opportunity renews or replaces, as the data links them."""
    found = []
    for n in process.relations.prior:
        held = processes.get(n.ocid) if n.in_data else None
        found.append(Incumbent(n.kind, n.name, n.path, n.link.uri if n.link.source == process.ocid else "",
                               holdings(held) if held else ()))
    return tuple(found)


def similar(processes: Mapping) -> dict[str, tuple[Similar, ...]]:
    """Each opportunity's similar past contracts (by ocid), for those that have any."""
    by_key: dict[tuple[str, str], list[tuple[tuple, Similar]]] = {}
    for p in processes.values():
        key = (p.buyer.key if p.buyer else "", unspsc_class(p))
        if p.is_opportunity or p.stage in NOT_HELD or not all(key):
            continue
        ends = {c.award_id: c.last_day for c in p.contracts if c.award_id and not c.ended}
        for a in p.active_awards:
            rank = (-(a.date.timestamp()) if a.date else float("inf"), p.ocid, a.id)
            by_key.setdefault(key, []).append(
                (rank, Similar(a.name, p.path, a.suppliers, a.value, a.date, ends.get(a.id))))
    for rows in by_key.values():
        rows.sort(key=lambda r: r[0])
    found = {}
    for p in processes.values():
        key = (p.buyer.key if p.buyer else "", unspsc_class(p))
        if p.is_opportunity and all(key) and key in by_key:
            rows = [s for rank, s in by_key[key] if rank[1] != p.ocid][:SIMILAR_SHOWN]
            if rows:
                found[p.ocid] = tuple(rows)
    return found


def with_incumbents(processes: dict) -> dict:
    """Give each opportunity who holds the work now (when the data links the processes), else its
    similar past contracts."""
    guesses = similar(processes)
    for ocid, p in list(processes.items()):
        if not p.is_opportunity:
            continue
        linked = incumbents(p, processes)
        if linked:
            processes[ocid] = replace(p, incumbents=linked)
        elif ocid in guesses:
            processes[ocid] = replace(p, similar=guesses[ocid])
    return processes
