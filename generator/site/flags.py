"""Red flags: the questions a process's data raises, as procurement monitors ask them. Pure.

A flag is a question, not a finding: many have a legitimate reason (specialised equipment, an
emergency, work that grew on purpose). Four kinds, each with its threshold in the city's
`performance.flags` settings (inputs.performance_settings.FlagSettings):

- SINGLE_BID, Cardinal R018: one tenderer in a competitive procedure (statistics.COMPETITIVE: bought
  openly or by selective tender, never a direct, limited, emergency or cooperative purchase or an
  order under an agreement, which have one supplier by design).
- SHORT_PERIOD, Cardinal R003: an open procedure (procurementMethod open, no order under an agreement)
  whose submission period, tenderPeriod.endDate − startDate in whole days, is under the threshold.
  The days are counted on the city's clock (a change to daylight saving time takes no hour off); a
  deadline at or before the opening is a data problem (checked elsewhere), never a flag.
- LARGE_AMENDMENT (ours): an active award whose value now (its contract's, after amendments) is more
  than the percent above the award's own value; compared in one currency only.
- REPEATED_DIRECT (ours): one department buying from one supplier without competition (limited,
  direct or emergency) at least N times within the window of days. Each purchase of the run is
  flagged and its flag names the others. A run is every purchase of that department and supplier
  that shares such a window with another (windows that overlap make one run).

ocdscardinal on PyPI exposes no indicator in Python (they are in its Rust command line), so R018
and R003 follow its definitions here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.inputs.performance_settings import FlagSettings
from generator.site import buying
from generator.site.parties import OrgRef
from generator.site.process import Process
from generator.site.statistics import COMPETITIVE
from generator.site.texts import Name
from generator.values import Money

SINGLE_BID, SHORT_PERIOD, LARGE_AMENDMENT, REPEATED_DIRECT = (
    "single-bid", "short-period", "large-amendment", "repeated-direct-awards")
KINDS = (SINGLE_BID, SHORT_PERIOD, LARGE_AMENDMENT, REPEATED_DIRECT)
WITHOUT_COMPETITION = (*buying.NON_COMPETITIVE, buying.EMERGENCY)  # purchases counted by REPEATED_DIRECT
OPEN_TO_ALL = (buying.OPEN, buying.FRAMEWORK)  # ways whose open tender R003 checks (not orders)
LISTED = 50  # flags of one kind listed on the performance page; the rest are counted (all in the CSV)


@dataclass(frozen=True)
class Purchase:
    """One purchase of a run of repeated purchases without competition."""

    ocid: str
    path: str
    name: Name
    date: dt.datetime


@dataclass(frozen=True)
class Flag:
    code: str  # one of KINDS
    ocid: str
    path: str  # the process's page
    name: Name  # the process's name
    buyer: OrgRef | None
    date: dt.datetime | None = None  # when: the deadline, the award's date or the purchase's date
    method: str = ""  # how it was bought (Process.buying)
    days: int | None = None  # SHORT_PERIOD: the submission period in whole days
    opened: dt.datetime | None = None  # SHORT_PERIOD: tenderPeriod.startDate
    award: Name | None = None  # LARGE_AMENDMENT: the award
    awarded: Money | None = None  # LARGE_AMENDMENT: the award's own value
    value: Money | None = None  # LARGE_AMENDMENT: its value now (its contract's)
    percent: Decimal | None = None  # LARGE_AMENDMENT: how much more, in % of the award
    supplier: OrgRef | None = None  # LARGE_AMENDMENT (the first supplier) and REPEATED_DIRECT
    run: tuple[Purchase, ...] = ()  # REPEATED_DIRECT: every purchase of the run, oldest first, this one included

    @property
    def anchor(self) -> str:
        """The id of the kind's definition on the performance page."""
        return f"flag-{self.code}"

    @property
    def others(self) -> tuple[Purchase, ...]:
        """REPEATED_DIRECT: the run's other purchases."""
        return tuple(p for p in self.run if p.ocid != self.ocid)


@dataclass(frozen=True)
class Kind:
    """One kind of flag over the whole city: its flags in list order, and how many processes it
    could be checked on."""

    code: str
    flags: tuple[Flag, ...]
    processes: int  # distinct processes raising it
    checked: int  # processes it applies to whose data allows the check
    unchecked: int  # processes it applies to whose data lacks what it needs

    @property
    def anchor(self) -> str:
        return f"flag-{self.code}"

    @property
    def shown(self) -> tuple[Flag, ...]:
        return self.flags[:LISTED]

    @property
    def more(self) -> int:
        return max(len(self.flags) - LISTED, 0)


def _base(code: str, p: Process, **facts) -> Flag:
    return Flag(code, p.ocid, p.path, p.name or Name(p.title), p.buyer, method=p.buying, **facts)


def single_bid(p: Process) -> tuple[bool, Flag | None]:
    """(whether it applies and can be checked, the flag or None). Competitive procedures only."""
    if p.buying not in COMPETITIVE or p.number_of_tenderers is None:
        return False, None
    return True, (_base(SINGLE_BID, p, date=p.deadline or p.published) if p.number_of_tenderers == 1 else None)


def period_days(opened: dt.datetime, closed: dt.datetime) -> int:
    """Whole days from `opened` to `closed` on the clock of `opened`'s time zone (wall-clock time, so
    a daylight-saving change does not shorten the period); negative when `closed` is earlier."""
    local = closed.astimezone(opened.tzinfo) if opened.tzinfo and closed.tzinfo else closed
    return (local.replace(tzinfo=None) - opened.replace(tzinfo=None)) // dt.timedelta(days=1)


def short_period(p: Process, threshold: int) -> tuple[bool, Flag | None]:
    if p.method != buying.OPEN or p.buying not in OPEN_TO_ALL or not (p.tender_start and p.deadline):
        return False, None
    if p.deadline <= p.tender_start:
        return False, None  # closes before it opens: a data problem (the check tender-period-order)
    days = period_days(p.tender_start, p.deadline)
    return True, (_base(SHORT_PERIOD, p, date=p.deadline, days=days, opened=p.tender_start)
                  if days < threshold else None)


def increase(awarded: Money | None, now: Money | None) -> Decimal | None:
    """How much more `now` is than `awarded`, in % of it; None unless both are in one currency and
    the award's value is above zero."""
    if not awarded or not now or awarded.currency != now.currency or awarded.amount <= 0:
        return None
    return (now.amount - awarded.amount) * 100 / awarded.amount


def large_amendments(p: Process, threshold: Decimal) -> tuple[bool, tuple[Flag, ...]]:
    """(whether it can be checked, a flag for each active award whose value now, its contract's, is
    more than `threshold` % over the award's own value). It can be checked when an award has a value
    and its contract's, if different, is in the same currency."""
    checkable, found = False, []
    for a in p.active_awards:
        percent = increase(a.awarded, a.value)
        checkable = checkable or (a.value is not None and (a.awarded is None or percent is not None))
        if percent is not None and percent > threshold:
            found.append(_base(LARGE_AMENDMENT, p, date=a.date, award=a.name, awarded=a.awarded, value=a.value,
                               percent=percent, supplier=a.suppliers[0] if a.suppliers else None))
    return checkable, tuple(found)


Bought = tuple[dt.datetime, str, OrgRef]  # a purchase without competition: (date, ocid, supplier)


def _purchases(processes) -> dict[tuple[str, str], list[Bought]]:
    """Purchases without competition by (department, supplier), oldest first. A purchase's date is
    the earliest of its active awards to that supplier (an award's date, else its contract's
    signature); a purchase without a department, a supplier or a date cannot be placed."""
    pairs: dict[tuple[str, str], dict[str, Bought]] = defaultdict(dict)
    for p in processes:
        if p.buying not in WITHOUT_COMPETITION or not p.buyer:
            continue
        signed = {c.award_id: c.date_signed for c in p.contracts if c.award_id and c.date_signed}
        for a in p.active_awards:
            when = a.date or signed.get(a.id)
            for s in a.suppliers if when else ():
                known = pairs[(p.buyer.key, s.key)].get(p.ocid)
                if known is None or when < known[0]:
                    pairs[(p.buyer.key, s.key)][p.ocid] = (when, p.ocid, s)
    return {pair: sorted(found.values(), key=lambda b: (b[0], b[1])) for pair, found in sorted(pairs.items())}


def runs(dates: list[dt.datetime], count: int, window_days: int) -> list[tuple[int, int]]:
    """The runs among sorted `dates`: index ranges [start, end) made of windows of at most
    `window_days` (first to last, in calendar days) holding at least `count` dates; overlapping
    windows make one run. O(n)."""
    found: list[list[int]] = []
    end = 0
    for start, first in enumerate(dates):
        end = max(end, start)
        while end < len(dates) and (dates[end].date() - first.date()).days <= window_days:
            end += 1
        if end - start >= max(count, 1):
            if found and start < found[-1][1]:
                found[-1][1] = end
            else:
                found.append([start, end])
    return [(s, e) for s, e in found]


def repeated(pairs: dict[tuple[str, str], list[Bought]], by_ocid: Mapping[str, Process],
             settings: FlagSettings) -> list[Flag]:
    """REPEATED_DIRECT flags: one per purchase of each run."""
    flagged = []
    for bought in pairs.values():
        for start, end in runs([b[0] for b in bought], settings.repeated_direct_awards, settings.repeated_window_days):
            run = tuple(Purchase(ocid, by_ocid[ocid].path, by_ocid[ocid].name, when)
                        for when, ocid, _ in bought[start:end])
            flagged.extend(_base(REPEATED_DIRECT, by_ocid[ocid], date=when, supplier=supplier, run=run)
                           for when, ocid, supplier in bought[start:end])
    return flagged


def _order(flag: Flag) -> tuple:
    """List order within a kind: newest first (a run by its latest purchase, kept together), then ocid."""
    latest = flag.run[-1].date if flag.run else flag.date
    pair = (flag.buyer.key if flag.buyer else "", flag.supplier.key if flag.supplier else "") if flag.run else ("", "")
    return (-latest.timestamp() if latest else float("inf"), pair,
            -flag.date.timestamp() if flag.date else float("inf"), flag.ocid, str(flag.award or ""))


def find(processes: Mapping[str, Process], settings: FlagSettings) -> tuple[Kind, ...]:
    """Every flag of every process, by kind (in KINDS order), each kind's flags in list order, with
    how many processes each kind could be checked on. O(n log n)."""
    ordered = [processes[o] for o in sorted(processes)]
    found: dict[str, list[Flag]] = {k: [] for k in KINDS}
    checked, unchecked = dict.fromkeys(KINDS, 0), dict.fromkeys(KINDS, 0)

    def count(code: str, applies: bool, can: bool, flags) -> None:
        checked[code] += applies and can
        unchecked[code] += applies and not can
        found[code].extend(flags)

    for p in ordered:
        can, flag = single_bid(p)
        count(SINGLE_BID, p.buying in COMPETITIVE, can, (flag,) if flag else ())
        can, flag = short_period(p, settings.short_submission_days)
        count(SHORT_PERIOD, p.method == buying.OPEN and p.buying in OPEN_TO_ALL, can, (flag,) if flag else ())
        count(LARGE_AMENDMENT, bool(p.active_awards), *large_amendments(p, settings.large_amendment_percent))
    pairs = _purchases(ordered)
    placed = {ocid for bought in pairs.values() for _, ocid, _ in bought}
    for p in ordered:
        count(REPEATED_DIRECT, p.buying in WITHOUT_COMPETITION and bool(p.active_awards), p.ocid in placed, ())
    found[REPEATED_DIRECT].extend(repeated(pairs, processes, settings))
    return tuple(Kind(code, tuple(sorted(found[code], key=_order)), len({f.ocid for f in found[code]}),
                      checked[code], unchecked[code]) for code in KINDS)


def every_flag(kinds: tuple[Kind, ...]) -> tuple[Flag, ...]:
    return tuple(f for k in kinds for f in k.flags)


def with_flags(processes: dict[str, Process], kinds: tuple[Kind, ...]) -> dict[str, Process]:
    """Give each process the flags it raises (Process.flags), in KINDS order."""
    by_ocid: dict[str, list[Flag]] = defaultdict(list)
    for flag in every_flag(kinds):
        by_ocid[flag.ocid].append(flag)
    for ocid, flags in by_ocid.items():
        processes[ocid] = replace(processes[ocid], flags=tuple(flags))
    return processes
